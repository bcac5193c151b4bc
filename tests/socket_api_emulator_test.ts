import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type SocketApiEmulator,
  type SocketArtifact,
  type SocketEmulatorOptions,
  type SocketScanSpec,
  startSocketApiEmulator,
} from "./support/socket_api_emulator.ts";

const TOKEN = "sktsec_test_token";
const AUTH = `Basic ${btoa(`${TOKEN}:`)}`;

type Alert = SocketArtifact["alerts"][number];

const cve: Alert = {
  key: "k-cve",
  type: "criticalCVE",
  severity: "critical",
  props: { cveId: "CVE-2024-0001" },
  action: "error",
};
const head = [{ direct: true, manifestFiles: [{ file: "package.json" }], topLevelAncestors: [] }];

function artifact(
  name: string,
  version: string,
  alerts: Alert[] = [],
  extra: Partial<SocketArtifact> = {},
): SocketArtifact {
  return { id: `${name}@${version}`, type: "npm", name, version, head, alerts, ...extra };
}

function scan(id: string, day: number, extra: Partial<SocketScanSpec> = {}): SocketScanSpec {
  return {
    id,
    created_at: `2024-05-${String(day).padStart(2, "0")}T12:00:00.000Z`,
    branch: "main",
    commit_hash: `c${id}`,
    artifacts: [],
    ...extra,
  };
}

const BEFORE = scan("before", 1, {
  artifacts: [
    artifact("left-pad", "1.0.0"),
    artifact("lodash", "4.17.20", [cve]),
    artifact("gone", "2.0.0"),
    artifact("quiet", "1.0.0", [cve]),
    artifact("core", "7.0.0", [], { namespace: "@babel" }),
  ],
});
const AFTER = scan("after", 2, {
  artifacts: [
    artifact("left-pad", "1.0.0"),
    artifact("lodash", "4.17.21"),
    artifact("fresh", "0.1.0", [cve]),
    artifact("quiet", "1.0.0", [{ ...cve, action: "warn" }]),
    // Same name in another namespace: a different package.
    artifact("core", "7.0.0", [], { namespace: "@other" }),
  ],
});

const REPOS: SocketEmulatorOptions["repos"] = [
  {
    slug: "web",
    scans: [
      BEFORE,
      AFTER,
      scan("feature", 3, { branch: "feature/x", pull_request: 7 }),
      scan("pending", 4, { scan_state: "pending" }),
      ...[5, 6, 7, 8, 9].map((day) => scan(`old${day}`, day - 4, { branch: "old" })),
    ],
  },
  { slug: "api", default_branch: "trunk", scans: [scan("api1", 1, { branch: "trunk" })] },
  { slug: "empty" },
];

async function withEmulator(
  options: SocketEmulatorOptions,
  run: (socket: SocketApiEmulator) => Promise<void>,
): Promise<void> {
  const socket = await startSocketApiEmulator({ repos: REPOS, ...options });
  try {
    await run(socket);
  } finally {
    await socket.close();
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  socket: SocketApiEmulator,
  path: string,
  query: Record<string, string> = {},
  init: { method?: string; auth?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json" };
  const auth = init.auth === undefined ? AUTH : init.auth;
  if (auth !== null) headers.authorization = auth;
  const qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : "";
  const res = await fetch(`${socket.url}${path}${qs}`, { method: init.method ?? "GET", headers });
  return {
    status: res.status,
    headers: res.headers,
    body: await res.json() as Record<string, unknown>,
  };
}

function errorOf(answer: Answer): unknown {
  return answer.body.error;
}

function ids(answer: Answer): string[] {
  return (answer.body.results as Array<{ id: string }>).map((r) => r.id);
}

async function createDiff(
  socket: SocketApiEmulator,
  before: string,
  after: string,
): Promise<Answer> {
  return await call(socket, "/orgs/acme/diff-scans/from-ids", { before, after }, {
    method: "POST",
  });
}

type DiffArtifact = Record<string, unknown> & { name: string; version: string; diffType: string };

function names(list: unknown): string[] {
  return (list as DiffArtifact[]).map((a) =>
    `${a.namespace ? `${a.namespace}/` : ""}${a.name}@${a.version}`
  )
    .sort();
}

describe("startSocketApiEmulator()", () => {
  it("answers 401 in Socket's error shape without a token or with a wrong one", async () => {
    await withEmulator({}, async (socket) => {
      const unauthorized = { message: "Unauthorized", details: null };
      const missing = await call(socket, "/orgs/acme/repos/web", {}, { auth: null });
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, { error: unauthorized });
      const wrong = await call(socket, "/orgs/acme/repos/web", {}, {
        auth: `Basic ${btoa("nope:")}`,
      });
      assert.equal(wrong.status, 401);
      assert.deepEqual(errorOf(wrong), unauthorized);
      const garbled = await call(socket, "/orgs/acme/repos/web", {}, { auth: "Basic !!!" });
      assert.equal(garbled.status, 401);
      const noColon = await call(socket, "/orgs/acme/repos/web", {}, {
        auth: `Basic ${btoa(TOKEN)}`,
      });
      assert.equal(noColon.status, 401);
      assert.equal((await call(socket, "/orgs/acme/repos/web")).status, 200);
      const bearer = await call(socket, "/orgs/acme/repos/web", {}, { auth: `Bearer ${TOKEN}` });
      assert.equal(bearer.status, 200);
    });
  });

  it("accepts the token given in the options", async () => {
    await withEmulator({ token: "sktsec_other" }, async (socket) => {
      assert.equal((await call(socket, "/orgs/acme/repos/web")).status, 401);
      const ok = await call(socket, "/orgs/acme/repos/web", {}, {
        auth: `Basic ${btoa("sktsec_other:")}`,
      });
      assert.equal(ok.status, 200);
    });
  });

  it("looks up a repository with the newest processed default-branch scan as head", async () => {
    await withEmulator({}, async (socket) => {
      const web = await call(socket, "/orgs/acme/repos/web");
      assert.equal(web.status, 200);
      assert.match(web.headers.get("content-type") ?? "", /^application\/json/);
      // "feature" is on another branch and "pending" is not processed yet.
      assert.equal(web.body.head_full_scan_id, "after");
      assert.equal(web.body.slug, "web");
      assert.equal(web.body.name, "web");
      assert.equal(web.body.default_branch, "main");
      assert.equal(typeof web.body.id, "string");

      const api = await call(socket, "/orgs/acme/repos/api");
      assert.equal(api.body.default_branch, "trunk");
      assert.equal(api.body.head_full_scan_id, "api1");
      assert.equal((await call(socket, "/orgs/acme/repos/empty")).body.head_full_scan_id, null);

      socket.setScanState("pending", null);
      assert.equal((await call(socket, "/orgs/acme/repos/web")).body.head_full_scan_id, "pending");
      socket.addScan("web", scan("newest", 20));
      assert.equal((await call(socket, "/orgs/acme/repos/web")).body.head_full_scan_id, "newest");
    });
  });

  it("answers 404 for an unknown repository, organization, route or scan", async () => {
    await withEmulator({}, async (socket) => {
      const repo = await call(socket, "/orgs/acme/repos/nope");
      assert.equal(repo.status, 404);
      assert.deepEqual(errorOf(repo), { message: "Repository not found", details: null });
      assert.equal((await call(socket, "/orgs/other/repos/web")).status, 404);
      assert.equal((await call(socket, "/orgs/acme/nothing-here")).status, 404);
      assert.equal((await call(socket, "/v1/orgs/acme/repos/web")).status, 404);
      assert.equal((await call(socket, "/orgs/acme/full-scans/nope/metadata")).status, 404);
      const diff = await call(socket, "/orgs/acme/diff-scans/00000000-0000-4000-8000-000000000999");
      assert.equal(diff.status, 404);
      assert.deepEqual(errorOf(diff), { message: "Diff scan not found", details: null });
      const badScan = await createDiff(socket, "before", "nope");
      assert.equal(badScan.status, 404);
      assert.equal((errorOf(badScan) as { message: string }).message, "Full scan not found: nope");
    });
  });

  it("lists full scans of a repository and branch, newest first by default", async () => {
    await withEmulator({}, async (socket) => {
      const main = await call(socket, "/orgs/acme/full-scans", { repo: "web", branch: "main" });
      assert.equal(main.status, 200);
      assert.deepEqual(ids(main), ["pending", "after", "before"]);
      assert.equal(main.body.nextPage, null);

      const [pending, after] = main.body.results as Array<Record<string, unknown>>;
      assert.equal(pending.scan_state, "pending");
      assert.equal(after.scan_state, null);
      assert.equal(after.branch, "main");
      assert.equal(after.commit_hash, "cafter");
      assert.equal(after.pull_request, null);
      assert.equal(after.repo, "web");
      assert.equal(after.organization_slug, "acme");
      assert.equal(after.created_at, "2024-05-02T12:00:00.000Z");
      assert.equal(after.html_report_url, "https://socket.dev/dashboard/org/acme/sbom/after");
      assert.equal("artifacts" in after, false);

      const asc = await call(socket, "/orgs/acme/full-scans", {
        repo: "web",
        branch: "main",
        sort: "created_at",
        direction: "asc",
      });
      assert.deepEqual(ids(asc), ["before", "after", "pending"]);

      const feature = await call(socket, "/orgs/acme/full-scans", {
        repo: "web",
        branch: "feature/x",
      });
      assert.deepEqual(ids(feature), ["feature"]);
      assert.equal((feature.body.results as Array<{ pull_request: unknown }>)[0].pull_request, 7);

      const allBranches = await call(socket, "/orgs/acme/full-scans", { repo: "web" });
      assert.equal(ids(allBranches).length, 9);
      const otherRepo = await call(socket, "/orgs/acme/full-scans", { repo: "api" });
      assert.deepEqual(ids(otherRepo), ["api1"]);
      assert.deepEqual(ids(await call(socket, "/orgs/acme/full-scans", { repo: "nope" })), []);
    });
  });

  it("pages full scans with page and per_page until nextPage is null", async () => {
    await withEmulator({}, async (socket) => {
      const query = { repo: "web", branch: "old", direction: "desc", per_page: "2" };
      const seen: string[] = [];
      const nextPages: unknown[] = [];
      for (let page = 1; page <= 5; page++) {
        const answer = await call(socket, "/orgs/acme/full-scans", {
          ...query,
          page: String(page),
        });
        assert.equal(answer.status, 200);
        seen.push(...ids(answer));
        nextPages.push(answer.body.nextPage);
        if (answer.body.nextPage === null) break;
      }
      assert.deepEqual(seen, ["old9", "old8", "old7", "old6", "old5"]);
      assert.deepEqual(nextPages, [2, 3, null]);
      const beyond = await call(socket, "/orgs/acme/full-scans", { ...query, page: "9" });
      assert.deepEqual(ids(beyond), []);
      assert.equal(beyond.body.nextPage, null);
      const exact = await call(socket, "/orgs/acme/full-scans", { ...query, per_page: "5" });
      assert.equal(exact.body.nextPage, null);
      const bads: Array<Record<string, string>> = [
        { per_page: "101" },
        { per_page: "0" },
        { page: "0" },
        { direction: "up" },
      ];
      for (const bad of bads) {
        const answer = await call(socket, "/orgs/acme/full-scans", { ...query, ...bad });
        assert.equal(answer.status, 400, JSON.stringify(bad));
        assert.equal(typeof (errorOf(answer) as { message: unknown }).message, "string");
      }
    });
  });

  it("reports a scan's state in its metadata", async () => {
    await withEmulator({}, async (socket) => {
      const pending = await call(socket, "/orgs/acme/full-scans/pending/metadata");
      assert.equal(pending.status, 200);
      assert.equal(pending.body.scan_state, "pending");
      socket.setScanState("pending", null);
      assert.equal(
        (await call(socket, "/orgs/acme/full-scans/pending/metadata")).body.scan_state,
        null,
      );
      assert.throws(() => socket.setScanState("nope", null), /Unknown emulator scan "nope"/);
      assert.throws(
        () => socket.addScan("web", scan("after", 9)),
        /Duplicate emulator scan "after"/,
      );
    });
  });

  it("creates a diff scan once (201), answers 409 to a duplicate, and finds it by scan IDs", async () => {
    await withEmulator({}, async (socket) => {
      const created = await createDiff(socket, "before", "after");
      assert.equal(created.status, 201);
      const diff = created.body.diff_scan as Record<string, unknown>;
      assert.match(
        String(diff.id),
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      assert.equal(diff.html_url, "https://socket.dev/dashboard/org/acme/diff/before/after");
      assert.equal((diff.before_full_scan as { id: string }).id, "before");
      assert.equal((diff.after_full_scan as { id: string }).id, "after");

      const duplicate = await createDiff(socket, "before", "after");
      assert.equal(duplicate.status, 409);
      assert.deepEqual(duplicate.body, {
        error: { message: "Diff scan already exists", details: null },
      });

      const reversed = await createDiff(socket, "after", "before");
      assert.equal(reversed.status, 201);
      assert.notEqual((reversed.body.diff_scan as { id: string }).id, diff.id);

      const found = await call(socket, "/orgs/acme/diff-scans", {
        before_full_scan_id: "before",
        after_full_scan_id: "after",
        per_page: "1",
      });
      assert.equal(found.status, 200);
      assert.deepEqual(ids(found), [diff.id]);
      const [result] = found.body.results as Array<Record<string, unknown>>;
      assert.equal(result.html_url, diff.html_url);
      assert.equal(result.before_full_scan_id, "before");
      assert.equal(result.after_full_scan_id, "after");
      assert.equal(found.body.next_cursor, null);

      const none = await call(socket, "/orgs/acme/diff-scans", {
        before_full_scan_id: "before",
        after_full_scan_id: "feature",
        per_page: "1",
      });
      assert.deepEqual(ids(none), []);

      const firstOfTwo = await call(socket, "/orgs/acme/diff-scans", { per_page: "1" });
      assert.deepEqual(ids(firstOfTwo), [(reversed.body.diff_scan as { id: string }).id]);
      assert.equal(typeof firstOfTwo.body.next_cursor, "string");
      const second = await call(socket, "/orgs/acme/diff-scans", {
        per_page: "1",
        cursor: String(firstOfTwo.body.next_cursor),
      });
      assert.deepEqual(ids(second), [diff.id]);
      assert.equal(second.body.next_cursor, null);
    });
  });

  it("refuses a diff scan without both IDs or across repositories (400)", async () => {
    await withEmulator({}, async (socket) => {
      const missing = await call(socket, "/orgs/acme/diff-scans/from-ids", { before: "before" }, {
        method: "POST",
      });
      assert.equal(missing.status, 400);
      assert.equal((await createDiff(socket, "before", "api1")).status, 400);
      const wrongMethod = await call(socket, "/orgs/acme/diff-scans/from-ids", {
        before: "before",
        after: "after",
      });
      assert.equal(wrongMethod.status, 405);
    });
  });

  it("answers 202 processing first, then the diff classified from both scans' artifacts", async () => {
    await withEmulator({}, async (socket) => {
      const id =
        ((await createDiff(socket, "before", "after")).body.diff_scan as { id: string }).id;
      const path = `/orgs/acme/diff-scans/${id}`;
      const query = { cached: "true", omit_unchanged: "true" };
      const first = await call(socket, path, query);
      assert.equal(first.status, 202);
      assert.deepEqual(first.body, { status: "processing", id });

      const ready = await call(socket, path, query);
      assert.equal(ready.status, 200);
      const diff = ready.body.diff_scan as Record<string, unknown>;
      assert.equal(diff.id, id);
      assert.equal(diff.incomplete, false);
      assert.equal(diff.html_url, "https://socket.dev/dashboard/org/acme/diff/before/after");
      assert.equal((diff.before_full_scan as { id: string }).id, "before");
      assert.equal((diff.after_full_scan as { id: string }).id, "after");
      const artifacts = diff.artifacts as Record<string, DiffArtifact[] | null>;
      assert.equal(artifacts.unchanged, null);
      assert.deepEqual(names(artifacts.added), [
        "@other/core@7.0.0",
        "fresh@0.1.0",
        "lodash@4.17.21",
      ]);
      assert.deepEqual(names(artifacts.removed), ["@babel/core@7.0.0", "gone@2.0.0"]);
      assert.deepEqual(names(artifacts.replaced), ["lodash@4.17.20"]);
      assert.deepEqual(names(artifacts.updated), ["quiet@1.0.0"]);

      const fresh = artifacts.added!.find((a) => a.name === "fresh")!;
      assert.equal(fresh.diffType, "added");
      assert.deepEqual(fresh.head, head);
      assert.equal("base" in fresh, false);
      assert.deepEqual(fresh.alerts, [cve]);
      const old = artifacts.replaced![0];
      assert.equal(old.diffType, "replaced");
      assert.deepEqual(old.base, head);
      assert.equal("head" in old, false);
      assert.deepEqual(old.alerts, [cve]);
      const gone = artifacts.removed!.find((a) => a.name === "gone")!;
      assert.deepEqual(gone.base, head);
      const quiet = artifacts.updated![0];
      assert.equal((quiet.alerts as Alert[])[0].action, "warn");

      const full = await call(socket, path, { cached: "true" });
      const all = (full.body.diff_scan as { artifacts: Record<string, unknown> }).artifacts;
      assert.deepEqual(names(all.unchanged), ["left-pad@1.0.0"]);
      assert.equal((all.unchanged as DiffArtifact[])[0].diffType, "unchanged");
    });
  });

  it("counts processing polls per diff scan and computes on the spot without cached=true", async () => {
    await withEmulator({ processingPolls: 2 }, async (socket) => {
      const id =
        ((await createDiff(socket, "before", "after")).body.diff_scan as { id: string }).id;
      const other =
        ((await createDiff(socket, "after", "pending")).body.diff_scan as { id: string }).id;
      const poll = async (diffId: string) =>
        (await call(socket, `/orgs/acme/diff-scans/${diffId}`, { cached: "true" })).status;
      assert.deepEqual([await poll(id), await poll(id), await poll(other), await poll(id)], [
        202,
        202,
        202,
        200,
      ]);
      assert.equal((await call(socket, `/orgs/acme/diff-scans/${other}`)).status, 200);
    });
    await withEmulator({ processingPolls: 0 }, async (socket) => {
      const id =
        ((await createDiff(socket, "before", "after")).body.diff_scan as { id: string }).id;
      assert.equal(
        (await call(socket, `/orgs/acme/diff-scans/${id}`, { cached: "true" })).status,
        200,
      );
    });
    await assert.rejects(startSocketApiEmulator({ processingPolls: -1 }), RangeError);
  });

  it("answers 429 with Retry-After for a rate-limit fault, for `times` matching requests", async () => {
    await withEmulator({
      faults: [{
        kind: "ratelimit",
        retryAfter: 7,
        times: 2,
        match: { path: "/v0/orgs/acme/full-scans" },
      }],
    }, async (socket) => {
      assert.equal((await call(socket, "/orgs/acme/repos/web")).status, 200);
      for (let i = 0; i < 2; i++) {
        const limited = await call(socket, "/orgs/acme/full-scans", { repo: "web" });
        assert.equal(limited.status, 429);
        assert.equal(limited.headers.get("retry-after"), "7");
        assert.deepEqual(errorOf(limited), {
          message: "Insufficient quota for API route",
          details: null,
        });
      }
      assert.equal((await call(socket, "/orgs/acme/full-scans", { repo: "web" })).status, 200);

      socket.addFault({ kind: "ratelimit", retryAfter: null, times: 1 });
      const bare = await call(socket, "/orgs/acme/repos/web");
      assert.equal(bare.status, 429);
      assert.equal(bare.headers.get("retry-after"), null);
    });
  });

  it("answers 403 with the permission message, matched by method and path pattern", async () => {
    await withEmulator({
      faults: [{
        kind: "forbidden",
        message: "Insufficient permissions for API method",
        match: { method: "post", path: /\/diff-scans\/from-ids$/ },
      }],
    }, async (socket) => {
      const forbidden = await createDiff(socket, "before", "after");
      assert.equal(forbidden.status, 403);
      assert.deepEqual(forbidden.body, {
        error: { message: "Insufficient permissions for API method", details: null },
      });
      // Wrong method: the fault does not apply, the route answers 405.
      assert.equal(
        (await call(socket, "/orgs/acme/diff-scans/from-ids", { before: "a", after: "b" })).status,
        405,
      );
      assert.equal((await call(socket, "/orgs/acme/diff-scans")).status, 200);
    });
  });

  it("answers an injected status fault before auth, in order, with Socket's error JSON by default", async () => {
    await withEmulator({
      faults: [
        { kind: "status", status: 503, times: 1 },
        { kind: "status", status: 502, body: "<html>Bad gateway</html>", times: 1 },
      ],
    }, async (socket) => {
      const down = await call(socket, "/orgs/acme/repos/web", {}, { auth: null });
      assert.equal(down.status, 503);
      assert.deepEqual(down.body, { error: { message: "Service Unavailable", details: null } });
      const res = await fetch(`${socket.url}/orgs/acme/repos/web`, {
        headers: { authorization: AUTH },
      });
      assert.equal(res.status, 502);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(await res.text(), "<html>Bad gateway</html>");
      assert.equal((await call(socket, "/orgs/acme/repos/web")).status, 200);
    });
  });

  it("records every request with its query, lower-case headers and status; reset() forgets them", async () => {
    await withEmulator({}, async (socket) => {
      await call(socket, "/orgs/acme/full-scans", { repo: "web", per_page: "100" });
      await call(socket, "/orgs/acme/repos/web", {}, { auth: null });
      await createDiff(socket, "before", "after");
      assert.deepEqual(
        socket.requests.map((r) => [r.method, r.path, r.status]),
        [
          ["GET", "/v0/orgs/acme/full-scans", 200],
          ["GET", "/v0/orgs/acme/repos/web", 401],
          ["POST", "/v0/orgs/acme/diff-scans/from-ids", 201],
        ],
      );
      assert.deepEqual(socket.requests[0].query, { repo: "web", per_page: "100" });
      assert.equal(socket.requests[0].headers.authorization, AUTH);
      assert.equal(socket.requests[1].headers.authorization, undefined);
      socket.reset();
      assert.equal(socket.requests.length, 0);
      await call(socket, "/orgs/acme/repos/web");
      assert.equal(socket.requests.length, 1);
    });
  });

  it("serves on 127.0.0.1 under /v0 and stops listening on close()", async () => {
    const socket = await startSocketApiEmulator();
    assert.match(socket.url, /^http:\/\/127\.0\.0\.1:\d+\/v0$/);
    const answer = await call(socket, "/orgs/acme/repos/anything");
    assert.equal(answer.status, 404);
    await socket.close();
    await socket.close();
    await assert.rejects(fetch(`${socket.url}/orgs/acme/repos/web`));
  });
});
