/**
 * A local imitation of the Socket REST API (`https://api.socket.dev/v0`) for
 * tests: a real HTTP server on 127.0.0.1 that answers the routes an
 * unattended notifier uses (repository lookup, full scan listing, diff scan
 * creation, lookup and polling), with Basic auth, Socket's error shape, and
 * diffs computed from the artifacts of the two full scans. Faults (any
 * status, 429 with `Retry-After`, 403) can be injected, and every request is
 * recorded for assertions.
 *
 * Field names and shapes follow Socket's OpenAPI description. It uses
 * `node:http` and web APIs only, so it runs under Deno and, compiled, under
 * Node.
 *
 * @example Find the newest scan of a repository and diff it with the one before
 * ```ts
 * import { startSocketApiEmulator } from "./socket_api_emulator.ts";
 *
 * const socket = await startSocketApiEmulator({
 *   repos: [{
 *     slug: "web",
 *     scans: [
 *       { id: "s1", created_at: "2024-05-01T00:00:00Z", branch: "main", commit_hash: "a1", artifacts: [] },
 *       { id: "s2", created_at: "2024-05-02T00:00:00Z", branch: "main", commit_hash: "b2", artifacts: [] },
 *     ],
 *   }],
 * });
 * try {
 *   const headers = { authorization: `Basic ${btoa("sktsec_test_token:")}` };
 *   const repo = await fetch(`${socket.url}/orgs/acme/repos/web`, { headers });
 *   console.log(await repo.json()); // { slug: "web", default_branch: "main", head_full_scan_id: "s2", … }
 *   const created = await fetch(`${socket.url}/orgs/acme/diff-scans/from-ids?before=s1&after=s2`, {
 *     method: "POST",
 *     headers,
 *   });
 *   console.log(created.status); // 201
 * } finally {
 *   await socket.close();
 * }
 * ```
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A package in a full scan, as Socket reports it (a subset of `SocketDiffArtifact`). */
export interface SocketArtifact {
  /** Socket's artifact ID. */
  id: string;
  /** Ecosystem, e.g. `npm`, `pypi`. */
  type: string;
  /** Scope or group, e.g. `@babel`; part of the package identity. */
  namespace?: string;
  /** Package name. */
  name: string;
  /** Package version. */
  version: string;
  /** How the package is reached from the manifests (in diffs: `head` on the after side). */
  head?: Array<
    { direct: boolean; manifestFiles: Array<{ file: string }>; topLevelAncestors: string[] }
  >;
  /** Alerts on the package. */
  alerts: Array<{
    /** Stable key of the alert instance. */
    key: string;
    /** Alert type, e.g. `criticalCVE`. */
    type: string;
    /** `low`, `middle`, `high` or `critical`. */
    severity: string;
    /** Type-specific properties. */
    props?: Record<string, unknown>;
    /** Policy action: `error`, `warn`, `monitor` or `ignore`. */
    action: string;
  }>;
}

/** A full scan of a repository. */
export interface SocketScanSpec {
  /** Full scan ID. */
  id: string;
  /** ISO 8601 creation time; the list is sorted by it. */
  created_at: string;
  /** Branch the scan was made on. */
  branch: string;
  /** Commit the scan was made at. */
  commit_hash: string;
  /** Pull request number, or `null` (the default). */
  pull_request?: number | null;
  /** `null` (the default) once processed; e.g. `"pending"` while Socket still works on it. */
  scan_state?: string | null;
  /** Packages found; never listed, only used to compute diffs. */
  artifacts: SocketArtifact[];
}

/** Which requests a fault applies to; every given field must match. */
export interface SocketFaultMatch {
  /** URL path including `/v0` (e.g. `/v0/orgs/acme/diff-scans`): a prefix, or a pattern to test. */
  path?: string | RegExp;
  /** HTTP method, e.g. `POST` (any case). */
  method?: string;
}

/**
 * A failure to inject, checked in order before auth and normal handling.
 * `times` is how many matching requests get it (default: every one,
 * forever); `match` selects them (default: all).
 */
export type SocketFault =
  /**
   * Answer `status` with `body` (default: Socket's error JSON with the status
   * text); `contentType` defaults to JSON when `body` parses as JSON, else HTML.
   */
  | {
    kind: "status";
    status: number;
    body?: string;
    contentType?: string;
    times?: number;
    match?: SocketFaultMatch;
  }
  /** Answer 429 with a `Retry-After` of `retryAfter` seconds (default 1; `null` sends none). */
  | { kind: "ratelimit"; retryAfter?: number | null; times?: number; match?: SocketFaultMatch }
  /** Answer 403 with `message` (default `"Insufficient permissions for API method"`). */
  | { kind: "forbidden"; message?: string; times?: number; match?: SocketFaultMatch };

/** How to set up an emulator. */
export interface SocketEmulatorOptions {
  /** Organization slug; default `"acme"`. Other orgs answer 404. */
  org?: string;
  /** The API token accepted (as Basic auth user, or Bearer); default `"sktsec_test_token"`. */
  token?: string;
  /** Repositories of the organization, with their full scans. */
  repos?: Array<{
    /** Repository slug (also its name). */
    slug: string;
    /** Default branch; default `"main"`. */
    default_branch?: string;
    /** Full scans, in any order. */
    scans?: SocketScanSpec[];
  }>;
  /**
   * How many `cached=true` GETs of each diff scan answer 202 `processing`
   * before the diff is ready; default 1. GETs without `cached=true` compute
   * the diff on the spot (200), as Socket does.
   */
  processingPolls?: number;
  /** Faults to inject, checked in order. */
  faults?: SocketFault[];
}

/** One request the emulator received. */
export interface SocketRecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path including `/v0`, without the query string. */
  path: string;
  /** Query parameters (the last value wins when one is repeated). */
  query: Record<string, string>;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** Status answered. */
  status: number;
}

/** A running emulator. */
export interface SocketApiEmulator {
  /** API base URL, `http://127.0.0.1:PORT/v0`; routes are `${url}/orgs/…`. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: SocketRecordedRequest[];
  /** Adds a full scan to `repo` (created with default branch `main` if unknown); throws on a duplicate ID. */
  addScan(repo: string, scan: SocketScanSpec): void;
  /** Sets the `scan_state` of scan `id` (`null`: processed); throws on an unknown ID. */
  setScanState(id: string, state: string | null): void;
  /** Appends a fault after the existing ones. */
  addFault(f: SocketFault): void;
  /** Forgets the recorded requests. */
  reset(): void;
  /** Stops the server and drops open connections; safe to call twice. */
  close(): Promise<void>;
}

interface Repo {
  id: string;
  slug: string;
  defaultBranch: string;
  createdAt: string;
}

interface Scan {
  spec: SocketScanSpec;
  repo: Repo;
  state: string | null;
}

interface DiffScan {
  id: string;
  before: Scan;
  after: Scan;
  createdAt: string;
  polls: number;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Incoming {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

type Json = Record<string, unknown>;

const CREATED_AT = "2024-01-01T00:00:00.000Z";

/** Starts an emulator on 127.0.0.1 (a free port); resolves once it listens, throws on invalid options. */
export async function startSocketApiEmulator(
  options: SocketEmulatorOptions = {},
): Promise<SocketApiEmulator> {
  const org = options.org ?? "acme";
  const token = options.token ?? "sktsec_test_token";
  const processingPolls = options.processingPolls ?? 1;
  if (!Number.isInteger(processingPolls) || processingPolls < 0) {
    throw new RangeError(
      `Invalid processingPolls "${processingPolls}": use a whole number of 0 or more`,
    );
  }
  const orgId = `org-${org}`;
  const repos = new Map<string, Repo>();
  const scans = new Map<string, Scan>();
  const diffs = new Map<string, DiffScan>();
  const faults: Array<{ fault: SocketFault; left: number }> = [];
  const requests: SocketRecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let apiUrl = "";

  const addRepo = (slug: string, defaultBranch = "main"): Repo => {
    if (repos.has(slug)) throw new Error(`Duplicate emulator repo "${slug}": give each a new slug`);
    const repo = { id: `repo-${repos.size + 1}`, slug, defaultBranch, createdAt: CREATED_AT };
    repos.set(slug, repo);
    return repo;
  };
  const addScan = (repoSlug: string, spec: SocketScanSpec): void => {
    if (scans.has(spec.id)) {
      throw new Error(`Duplicate emulator scan "${spec.id}": give each scan a new ID`);
    }
    if (Number.isNaN(Date.parse(spec.created_at))) {
      throw new Error(`Invalid created_at "${spec.created_at}" of scan "${spec.id}": use ISO 8601`);
    }
    const repo = repos.get(repoSlug) ?? addRepo(repoSlug);
    scans.set(spec.id, { spec, repo, state: spec.scan_state ?? null });
  };
  const addFault = (fault: SocketFault): void => {
    faults.push({ fault, left: fault.times ?? Infinity });
  };
  for (const repo of options.repos ?? []) {
    addRepo(repo.slug, repo.default_branch);
    for (const scan of repo.scans ?? []) addScan(repo.slug, scan);
  }
  for (const fault of options.faults ?? []) addFault(fault);

  const takeFault = (incoming: Incoming): SocketFault | undefined => {
    for (const entry of faults) {
      if (entry.left <= 0 || !faultMatches(entry.fault.match, incoming)) continue;
      entry.left--;
      return entry.fault;
    }
    return undefined;
  };

  const scanMeta = (scan: Scan): Json => {
    const { spec, repo } = scan;
    const htmlUrl = `https://socket.dev/dashboard/org/${org}/sbom/${spec.id}`;
    return {
      id: spec.id,
      created_at: spec.created_at,
      updated_at: spec.created_at,
      organization_id: orgId,
      organization_slug: org,
      repository_id: repo.id,
      repository_slug: repo.slug,
      branch: spec.branch,
      commit_message: null,
      commit_hash: spec.commit_hash,
      pull_request: spec.pull_request ?? null,
      committers: [],
      html_url: htmlUrl,
      api_url: `${apiUrl}/orgs/${org}/full-scans/${spec.id}`,
    };
  };
  const scanListItem = (scan: Scan): Json => ({
    ...scanMeta(scan),
    workspace: "",
    repo: scan.repo.slug,
    html_report_url: `https://socket.dev/dashboard/org/${org}/sbom/${scan.spec.id}`,
    integration_type: null,
    integration_repo_url: null,
    integration_branch_url: null,
    integration_commit_url: null,
    integration_pull_request_url: null,
    scan_type: "socket",
    scan_state: scan.state,
  });
  const diffMeta = (diff: DiffScan): Json => ({
    id: diff.id,
    organization_id: orgId,
    repository_id: diff.after.repo.id,
    created_at: diff.createdAt,
    updated_at: diff.createdAt,
    before_full_scan: scanMeta(diff.before),
    after_full_scan: scanMeta(diff.after),
    description: null,
    external_href: null,
    merge: false,
    html_url:
      `https://socket.dev/dashboard/org/${org}/diff/${diff.before.spec.id}/${diff.after.spec.id}`,
    api_url: `${apiUrl}/orgs/${org}/diff-scans/${diff.id}`,
  });

  const getRepo = (slug: string): Answer => {
    const repo = repos.get(slug);
    if (!repo) return error(404, "Repository not found");
    const head = [...scans.values()]
      .filter((s) => s.repo === repo && s.spec.branch === repo.defaultBranch && s.state === null)
      .sort(byCreatedAt)
      .at(-1);
    return json(200, {
      id: repo.id,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      html_url: `https://socket.dev/dashboard/org/${org}/repos/${repo.slug}`,
      head_full_scan_id: head?.spec.id ?? null,
      integration_meta: null,
      slug: repo.slug,
      name: repo.slug,
      description: null,
      homepage: null,
      visibility: "private",
      archived: false,
      default_branch: repo.defaultBranch,
      workspace: "",
      slig: repo.slug,
    });
  };

  const listScans = (query: Record<string, string>): Answer => {
    const paging = readPaging(query, 30);
    if (typeof paging === "string") return error(400, paging);
    const { perPage, descending } = paging;
    const page = query.page === undefined ? 1 : Number(query.page);
    if (!Number.isInteger(page) || page < 1) {
      return error(400, `Invalid page "${query.page}": use a whole number of 1 or more`);
    }
    if (query.sort !== undefined && query.sort !== "created_at" && query.sort !== "name") {
      return error(400, `Invalid sort "${query.sort}": use "created_at" or "name"`);
    }
    const matching = [...scans.values()]
      .filter((s) =>
        (query.repo === undefined || s.repo.slug === query.repo) &&
        (query.branch === undefined || s.spec.branch === query.branch) &&
        (query.commit_hash === undefined || s.spec.commit_hash === query.commit_hash) &&
        (query.pull_request === undefined ||
          String(s.spec.pull_request ?? "") === query.pull_request)
      )
      .sort(byCreatedAt);
    if (descending) matching.reverse();
    const start = (page - 1) * perPage;
    return json(200, {
      results: matching.slice(start, start + perPage).map(scanListItem),
      nextPageCursor: null,
      nextPage: start + perPage < matching.length ? page + 1 : null,
    });
  };

  const scanMetadata = (id: string): Answer => {
    const scan = scans.get(id);
    return scan ? json(200, scanListItem(scan)) : error(404, "Full scan not found");
  };

  const createDiff = (query: Record<string, string>): Answer => {
    if (!query.before || !query.after) {
      return error(400, "Missing query parameters: both before and after are required");
    }
    const before = scans.get(query.before);
    const after = scans.get(query.after);
    if (!before || !after) {
      return error(404, `Full scan not found: ${before ? query.after : query.before}`);
    }
    if (before.repo !== after.repo) {
      return error(400, "The full scans must be in the same repository");
    }
    for (const diff of diffs.values()) {
      if (diff.before === before && diff.after === after) {
        return error(409, "Diff scan already exists");
      }
    }
    const id = `00000000-0000-4000-8000-${(diffs.size + 1).toString(16).padStart(12, "0")}`;
    const diff = { id, before, after, createdAt: new Date().toISOString(), polls: 0 };
    diffs.set(id, diff);
    return json(201, { diff_scan: diffMeta(diff) });
  };

  const listDiffs = (query: Record<string, string>): Answer => {
    const paging = readPaging(query, 20);
    if (typeof paging === "string") return error(400, paging);
    const { perPage, descending } = paging;
    const offset = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!Number.isInteger(offset) || offset < 0) {
      return error(400, `Invalid cursor "${query.cursor}": pass a next_cursor from an answer`);
    }
    // Creation order is the created_at order: ids and times both grow.
    const matching = [...diffs.values()].filter((d) =>
      (query.before_full_scan_id === undefined || d.before.spec.id === query.before_full_scan_id) &&
      (query.after_full_scan_id === undefined || d.after.spec.id === query.after_full_scan_id) &&
      (query.repository_id === undefined || d.after.repo.id === query.repository_id)
    );
    if (descending) matching.reverse();
    const more = offset + perPage < matching.length;
    const nextQuery = new URLSearchParams({ ...query, cursor: String(offset + perPage) });
    return json(200, {
      results: matching.slice(offset, offset + perPage).map((d) => {
        const { before_full_scan: _b, after_full_scan: _a, ...meta } = diffMeta(d);
        return {
          ...meta,
          before_full_scan_id: d.before.spec.id,
          after_full_scan_id: d.after.spec.id,
        };
      }),
      next_page_href: more ? `${apiUrl}/orgs/${org}/diff-scans?${nextQuery}` : null,
      next_cursor: more ? String(offset + perPage) : null,
    });
  };

  const getDiff = (id: string, query: Record<string, string>): Answer => {
    const diff = diffs.get(id);
    if (!diff) return error(404, "Diff scan not found");
    if (query.cached === "true" && diff.polls < processingPolls) {
      diff.polls++;
      return json(202, { status: "processing", id });
    }
    const artifacts = computeDiff(diff.before.spec.artifacts, diff.after.spec.artifacts);
    return json(200, {
      diff_scan: {
        ...diffMeta(diff),
        incomplete: false,
        artifacts: {
          ...artifacts,
          unchanged: query.omit_unchanged === "true" ? null : artifacts.unchanged,
        },
      },
    });
  };

  const route = (incoming: Incoming): Answer => {
    if (!isAuthorized(incoming.headers.authorization, token)) return error(401, "Unauthorized");
    const parts = incoming.path.split("/").slice(1).map(decodeSegment);
    if (parts[0] !== "v0" || parts[1] !== "orgs" || parts.length < 4 || parts.includes(undefined)) {
      return error(404, "Not Found");
    }
    if (parts[2] !== org) return error(404, "Organization not found");
    const rest = parts.slice(3) as string[];
    const { method, query } = incoming;
    const allow = (allowed: string, run: () => Answer): Answer =>
      method === allowed ? run() : error(405, `Method ${method} not allowed, use ${allowed}`);
    if (rest[0] === "repos" && rest.length === 2) return allow("GET", () => getRepo(rest[1]));
    if (rest[0] === "full-scans" && rest.length === 1) return allow("GET", () => listScans(query));
    if (rest[0] === "full-scans" && rest.length === 3 && rest[2] === "metadata") {
      return allow("GET", () => scanMetadata(rest[1]));
    }
    if (rest[0] === "diff-scans" && rest.length === 1) return allow("GET", () => listDiffs(query));
    if (rest[0] === "diff-scans" && rest.length === 2 && rest[1] === "from-ids") {
      return allow("POST", () => createDiff(query));
    }
    if (rest[0] === "diff-scans" && rest.length === 2) {
      return allow("GET", () => getDiff(rest[1], query));
    }
    return error(404, "Not Found");
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const incoming = readIncoming(req);
    const record: SocketRecordedRequest = { ...incoming, status: 0 };
    requests.push(record);
    const fault = takeFault(incoming);
    const answer = fault ? faultAnswer(fault) : route(incoming);
    record.status = answer.status;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  // The routes take no body, but it is read to the end so the connection stays usable.
  const server = createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => handle(req, res));
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  apiUrl = `http://127.0.0.1:${port}/v0`;
  let closing: Promise<void> | undefined;
  return {
    url: apiUrl,
    requests,
    addScan,
    setScanState(id: string, state: string | null): void {
      const scan = scans.get(id);
      if (!scan) throw new Error(`Unknown emulator scan "${id}": add it with addScan() first`);
      scan.state = state;
    },
    addFault,
    reset(): void {
      requests.length = 0;
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((done) => {
        // close() alone waits for keep-alive connections to end.
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** The five lists of a diff scan's `artifacts`, each artifact tagged with its `diffType`. */
function computeDiff(before: SocketArtifact[], after: SocketArtifact[]): Record<
  "added" | "removed" | "unchanged" | "replaced" | "updated",
  Json[]
> {
  const identity = (a: SocketArtifact): string => `${a.type}/${a.namespace ?? ""}/${a.name}`;
  const versionKey = (a: SocketArtifact): string => `${identity(a)}@${a.version}`;
  const beforeByVersion = new Map(before.map((a) => [versionKey(a), a]));
  const afterByVersion = new Map(after.map((a) => [versionKey(a), a]));
  const afterIds = new Set(after.map(identity));
  const out = {
    added: [] as Json[],
    removed: [] as Json[],
    unchanged: [] as Json[],
    replaced: [] as Json[],
    updated: [] as Json[],
  };
  const afterSide = (a: SocketArtifact, diffType: string, base?: SocketArtifact): Json => {
    const { head, ...fields } = a;
    return {
      diffType,
      ...fields,
      ...(head ? { head } : {}),
      ...(base?.head ? { base: base.head } : {}),
    };
  };
  for (const a of after) {
    const old = beforeByVersion.get(versionKey(a));
    if (!old) out.added.push(afterSide(a, "added"));
    else if (sameAlerts(old.alerts, a.alerts)) out.unchanged.push(afterSide(a, "unchanged", old));
    else out.updated.push(afterSide(a, "updated", old));
  }
  for (const b of before) {
    if (afterByVersion.has(versionKey(b))) continue;
    // Another version of the package in the after scan makes this one replaced, not removed.
    const diffType = afterIds.has(identity(b)) ? "replaced" : "removed";
    const { head, ...fields } = b;
    out[diffType].push({ diffType, ...fields, ...(head ? { base: head } : {}) });
  }
  return out;
}

function sameAlerts(a: SocketArtifact["alerts"], b: SocketArtifact["alerts"]): boolean {
  if (a.length !== b.length) return false;
  const canonical = (alerts: SocketArtifact["alerts"]): string[] => alerts.map(stableJson).sort();
  const left = canonical(a);
  const right = canonical(b);
  return left.every((value, i) => value === right[i]);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function byCreatedAt(a: Scan, b: Scan): number {
  return Date.parse(a.spec.created_at) - Date.parse(b.spec.created_at);
}

function readPaging(
  query: Record<string, string>,
  defaultPerPage: number,
): { perPage: number; descending: boolean } | string {
  const perPage = query.per_page === undefined ? defaultPerPage : Number(query.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return `Invalid per_page "${query.per_page}": use a whole number from 1 to 100`;
  }
  const direction = query.direction ?? "desc";
  if (direction !== "asc" && direction !== "desc") {
    return `Invalid direction "${direction}": use "asc" or "desc"`;
  }
  return { perPage, descending: direction === "desc" };
}

function isAuthorized(header: string | undefined, token: string): boolean {
  const [scheme, credentials] = (header ?? "").split(" ", 2);
  if (!credentials) return false;
  if (scheme.toLowerCase() === "bearer") return credentials === token;
  if (scheme.toLowerCase() !== "basic") return false;
  let decoded: string;
  try {
    decoded = atob(credentials);
  } catch {
    return false;
  }
  const colon = decoded.indexOf(":");
  return colon !== -1 && decoded.slice(0, colon) === token;
}

function faultMatches(match: SocketFaultMatch | undefined, incoming: Incoming): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== incoming.method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string"
    ? incoming.path.startsWith(match.path)
    : match.path.test(incoming.path);
}

function faultAnswer(fault: SocketFault): Answer {
  switch (fault.kind) {
    case "status": {
      if (fault.body === undefined) {
        return error(fault.status, STATUS_CODES[fault.status] ?? "Error");
      }
      return {
        status: fault.status,
        body: fault.body,
        headers: { "content-type": fault.contentType ?? guessContentType(fault.body) },
      };
    }
    case "ratelimit": {
      const answer = error(429, "Insufficient quota for API route");
      const retryAfter = fault.retryAfter === undefined ? 1 : fault.retryAfter;
      if (retryAfter !== null) answer.headers["retry-after"] = String(retryAfter);
      return answer;
    }
    case "forbidden":
      return error(403, fault.message ?? "Insufficient permissions for API method");
  }
}

function guessContentType(body: string): string {
  try {
    JSON.parse(body);
    return "application/json; charset=utf-8";
  } catch {
    return "text/html; charset=utf-8";
  }
}

function json(status: number, body: unknown): Answer {
  return {
    status,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json; charset=utf-8" },
  };
}

function error(status: number, message: string): Answer {
  return json(status, { error: { message, details: null } });
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function readIncoming(req: IncomingMessage): Incoming {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { method: req.method ?? "GET", path: url.pathname, query, headers };
}
