/**
 * A small client for the Socket REST API calls that unattended mode makes:
 * a repository, its full scans, and the diff of two scans. Requests go
 * through the run's {@link Transport} (timeouts, retries on 5xx, 429 with
 * `Retry-After`); errors name what to do, and never the token.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { HttpAnswer, Transport, Verdict } from "./transport.ts";
import { isObject, type JsonObject } from "./validate.ts";

/** Pages of 100 scans read at most per repository and run. */
export const MAX_SCAN_PAGES = 20;

/** Socket's API base. */
export const DEFAULT_SOCKET_API_URL = "https://api.socket.dev/v0";

/** A Socket API call failed for good (after retries). */
export class SocketApiError extends Error {
  /** HTTP status, when the API answered. */
  readonly status?: number;
  /** What to do about it. */
  readonly hint: string;

  /** Creates the error; `message` says what failed, `hint` what to do. */
  constructor(message: string, hint: string, status?: number, options?: ErrorOptions) {
    super(`${message}: ${hint}`, options);
    this.name = "SocketApiError";
    this.status = status;
    this.hint = hint;
  }
}

/** A repository, as the API describes it. */
export interface SocketRepo {
  /** Slug. */
  slug: string;
  /** Default branch. */
  defaultBranch: string;
}

/** A full scan, as the list of scans describes it. */
export interface FullScan {
  /** Scan id. */
  id: string;
  /** ISO 8601 creation time. */
  createdAt: string;
  /** Branch scanned. */
  branch: string;
  /** Commit scanned. */
  commit: string;
  /** Pull request number, if the scan was for one. */
  pullRequest?: string;
  /** Link to the scan's report. */
  htmlReportUrl: string;
  /** True while Socket is still processing the scan. */
  processing: boolean;
}

/** A diff scan: still processing, or its body (for `alertsFromDiffScan`). */
export type DiffScanAnswer = { processing: true } | { processing: false; body: unknown };

type Answer = { status: number; body: unknown };

/** Permission words Socket uses in 403 messages, and the hint each deserves. */
function forbiddenHint(message: string): string {
  if (/quota/i.test(message)) {
    return "the organization's API quota is used up: wait for it to renew, or raise it";
  }
  return "the API token lacks a scope this needs (repo:list, full-scans:list, diff-scans:create, " +
    "diff-scans:list): create a token with them in Socket's settings";
}

function errorMessage(body: unknown): string {
  if (isObject(body) && isObject(body.error) && typeof body.error.message === "string") {
    return body.error.message;
  }
  return "";
}

/** The Socket API client of one run. */
export class SocketApi {
  readonly #transport: Transport;
  readonly #base: string;
  readonly #auth: string;

  /** Creates the client for `token` (sent as Basic auth, never printed) at `baseUrl`. */
  constructor(transport: Transport, baseUrl: string, token: string) {
    this.#transport = transport;
    this.#base = baseUrl.replace(/\/+$/, "");
    this.#auth = `Basic ${Buffer.from(`${token}:`).toString("base64")}`;
  }

  async #call(
    method: "GET" | "POST",
    path: string,
    query: Record<string, string>,
    what: string,
    accept: number[] = [200],
  ): Promise<Answer> {
    const search = new URLSearchParams(query).toString();
    const outcome = await this.#transport.request<Answer>({
      key: "",
      label: `Socket API ${what}`,
      service: "the Socket API",
      url: `${this.#base}${path}${search ? `?${search}` : ""}`,
      method,
      headers: { Authorization: this.#auth, Accept: "application/json" },
      interpret: (answer: HttpAnswer): Verdict<Answer> => {
        if (answer.status >= 500) return { retry: `HTTP ${answer.status}` };
        let body: unknown = undefined;
        try {
          body = answer.body ? JSON.parse(answer.body) : undefined;
        } catch {
          if (answer.status < 400) {
            return { retry: `HTTP ${answer.status} with a body that is not JSON` };
          }
        }
        return { done: { status: answer.status, body } };
      },
    });
    if (!outcome.ok) {
      throw new SocketApiError(
        `Socket API ${what} failed (${outcome.reason})`,
        outcome.hint,
        outcome.status,
      );
    }
    const { status, body } = outcome.value;
    if (accept.includes(status)) return outcome.value;
    const message = errorMessage(body) || `HTTP ${status}`;
    const hint = status === 401
      ? "check SOCKET_SECURITY_API_TOKEN (or SOCKET_API_TOKEN): Socket did not accept it"
      : status === 403
      ? forbiddenHint(message)
      : status === 404
      ? "check the organization and repository slugs"
      : "see Socket's status page, or report it";
    throw new SocketApiError(`Socket API ${what} failed: ${message}`, hint, status);
  }

  /** `GET /orgs/{org}/repos/{repo}`. */
  async repo(org: string, repo: string): Promise<SocketRepo> {
    const path = `/orgs/${encodeURIComponent(org)}/repos/${encodeURIComponent(repo)}`;
    const { body } = await this.#call("GET", path, {}, `repository ${org}/${repo}`);
    if (!isObject(body) || typeof body.slug !== "string") {
      throw new SocketApiError(
        `Socket API repository ${org}/${repo}: unexpected answer`,
        "report it",
      );
    }
    return {
      slug: body.slug,
      defaultBranch: typeof body.default_branch === "string" ? body.default_branch : "main",
    };
  }

  /**
   * The full scans of a repository's branch newer than `since` (a scan id),
   * oldest first, and whether `since` was found. Pages through the
   * newest-first list until it reaches `since`; without `since`, one page
   * (the newest scans) is enough. At most {@link MAX_SCAN_PAGES} pages.
   */
  async scansSince(
    org: string,
    repo: string,
    branch: string,
    since: string | undefined,
  ): Promise<{ scans: FullScan[]; found: boolean }> {
    const newer: FullScan[] = [];
    for (let page = 1; page <= MAX_SCAN_PAGES; page++) {
      const { body } = await this.#call("GET", `/orgs/${encodeURIComponent(org)}/full-scans`, {
        repo,
        branch,
        sort: "created_at",
        direction: "desc",
        per_page: "100",
        page: String(page),
      }, `full scans of ${org}/${repo}`);
      const results = isObject(body) && Array.isArray(body.results) ? body.results : [];
      for (const raw of results) {
        const scan = fullScan(raw);
        // A scan of another branch is skipped, should the API not filter by branch.
        if (!scan || (scan.branch && scan.branch !== branch)) continue;
        if (scan.id === since) return { scans: oldestFirst(newer), found: true };
        newer.push(scan);
      }
      const next = isObject(body) ? body.nextPage : null;
      // Only a later page is followed: an API that repeats a page must not loop.
      if (since === undefined || typeof next !== "number" || next <= page || results.length === 0) {
        break;
      }
    }
    return { scans: oldestFirst(newer), found: false };
  }

  /** Creates the diff of `before` -> `after`, or finds it when it already exists (409). */
  async diffScan(
    org: string,
    before: string,
    after: string,
  ): Promise<{ id: string; htmlUrl: string }> {
    const base = `/orgs/${encodeURIComponent(org)}/diff-scans`;
    const created = await this.#call(
      "POST",
      `${base}/from-ids`,
      { before, after },
      "create a diff scan",
      [
        200,
        201,
        409,
      ],
    );
    let diff: unknown = isObject(created.body) ? created.body.diff_scan : undefined;
    if (created.status === 409) {
      const { body } = await this.#call("GET", base, {
        before_full_scan_id: before,
        after_full_scan_id: after,
        per_page: "1",
      }, "find a diff scan");
      diff = isObject(body) && Array.isArray(body.results) ? body.results[0] : undefined;
    }
    if (!isObject(diff) || typeof diff.id !== "string") {
      throw new SocketApiError("Socket API diff scan: unexpected answer", "report it");
    }
    return { id: diff.id, htmlUrl: typeof diff.html_url === "string" ? diff.html_url : "" };
  }

  /** `GET /orgs/{org}/diff-scans/{id}`: the diff, or `processing` while Socket computes it (202). */
  async diffScanResult(org: string, id: string): Promise<DiffScanAnswer> {
    const path = `/orgs/${encodeURIComponent(org)}/diff-scans/${encodeURIComponent(id)}`;
    const { status, body } = await this.#call(
      "GET",
      path,
      { cached: "true", omit_unchanged: "true" },
      "diff scan",
      [
        200,
        202,
      ],
    );
    return status === 202 ? { processing: true } : { processing: false, body };
  }
}

/** Newest-first scans, oldest first (by creation time, then as listed). */
function oldestFirst(scans: FullScan[]): FullScan[] {
  return scans.reverse().sort((
    a,
    b,
  ) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

function fullScan(raw: unknown): FullScan | undefined {
  if (!isObject(raw) || typeof raw.id !== "string") return undefined;
  const text = (o: JsonObject, k: string) => (typeof o[k] === "string" ? o[k] as string : "");
  const pr = raw.pull_request;
  return {
    id: raw.id,
    createdAt: text(raw, "created_at"),
    branch: text(raw, "branch"),
    commit: text(raw, "commit_hash"),
    pullRequest: typeof pr === "number" || (typeof pr === "string" && pr !== "")
      ? String(pr)
      : undefined,
    htmlReportUrl: text(raw, "html_report_url"),
    processing: raw.scan_state !== null && raw.scan_state !== undefined,
  };
}
