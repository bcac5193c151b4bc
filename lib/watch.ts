/**
 * Unattended mode: watch repositories on Socket and post each new alert to
 * Slack once. One pass, for any scheduler (cron, CI schedules, Kubernetes
 * CronJobs, Deno Deploy): for each repository, the full scans newer than
 * the stored cursor are diffed, oldest first, against the scan before them;
 * alerts already notified are dropped; the rest go through {@link notify};
 * the cursor and the notified alerts are stored only once delivery succeeded.
 *
 * @module
 */

import { notify } from "./notify.ts";
import { alertsFromDiffScan, type ScanAlert } from "./scan_alerts.ts";
import { DEFAULT_SOCKET_API_URL, type FullScan, SocketApi, SocketApiError } from "./socket_api.ts";
import { botTokenProblem, parseConfig, urlProblem, validateConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";
import type { StateEntry, StateStore } from "./state.ts";
import { Transport, type TransportOptions } from "./transport.ts";
import type { DeliveryEvent, DeliveryReport, SlackConfig } from "./types.ts";

function isConfig(value: unknown): value is SlackConfig {
  const v = value as SlackConfig;
  return typeof v === "object" && v !== null && Array.isArray(v.webhooks) &&
    Array.isArray(v.botRoutes);
}

/** How many times a run asks for a diff that Socket is still computing. */
const DIFF_POLLS = 3;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a notified alert is remembered. */
export const SEEN_FOR_MS = 180 * 24 * 3600 * 1000;

/** Options of {@link watch}. */
export interface WatchOptions extends TransportOptions {
  /** Socket organization slug. */
  org: string;
  /** Repository slugs to watch. */
  repos: readonly string[];
  /** Branch to watch; default each repository's default branch. */
  branch?: string;
  /** Where the cursors and notified alerts are kept. */
  state: StateStore;
  /** Socket API token (`SOCKET_SECURITY_API_TOKEN`). */
  apiToken: string;
  /** Socket API base; default `https://api.socket.dev/v0`. */
  socketApiUrl?: string;
  /** The Slack configuration, as for {@link notify}. */
  config: unknown;
  /** Bot mode: the bot token. */
  botToken?: string;
  /** Bot mode: the Slack Web API base. */
  apiUrl?: string;
  /** Plan and report, but post nothing and store nothing. */
  dryRun?: boolean;
  /** Wait between two reads of a diff Socket is still computing; default 1000 ms (3 reads a run). */
  diffPollMs?: number;
  /** On the very first run, notify the newest scan's new alerts too (default: only record where to start). */
  notifyFirstRun?: boolean;
  /** Progress. */
  onEvent?: (event: DeliveryEvent) => void;
}

/** What happened to one scan. */
export interface ScanOutcome {
  /** Scan id. */
  scan: string;
  /** `notified` (alerts posted), `nothing-new`, `first-run` (cursor recorded), `processing` (resumed next run), `failed` (Slack failed: retried next run). */
  status: "notified" | "nothing-new" | "first-run" | "processing" | "failed";
  /** New alerts found in the scan (after dropping those already notified). */
  alerts: number;
  /** The delivery, when there was one. */
  delivery?: DeliveryReport;
}

/** What one pass did, per repository. */
export interface WatchReport {
  /** Per repository, in the order given. */
  repos: Array<{ repo: string; branch: string; scans: ScanOutcome[]; error?: string }>;
}

const cursorKey = (org: string, repo: string, branch: string) =>
  ["cursor", org, repo, branch] as const;
const seenKey = (org: string, repo: string, a: ScanAlert) =>
  ["seen", org, repo, a.artifactId, a.key] as const;

/** Alerts not notified before, or escalated from warn to error since. */
async function unseen(
  state: StateStore,
  org: string,
  repo: string,
  alerts: ScanAlert[],
): Promise<ScanAlert[]> {
  const fresh: ScanAlert[] = [];
  // Batches of ten: Deno KV's getMany takes at most ten keys.
  for (let i = 0; i < alerts.length; i += 10) {
    const batch = alerts.slice(i, i + 10);
    const seen = await state.getMany(batch.map((a) => seenKey(org, repo, a)));
    batch.forEach((a, j) => {
      const before = (seen[j] as { action?: string } | undefined)?.action;
      if (before === undefined || (before === "warn" && a.action === "error")) fresh.push(a);
    });
  }
  return fresh;
}

/**
 * Errors that retrying cannot cure: the destination itself is gone or closed
 * to us. Waiting on them would hold every later scan back and post this one
 * again and again to the destinations that work.
 */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "restricted_action",
  "team_not_found",
  "no_service",
  "channel_is_archived",
  "action_prohibited",
]);

/**
 * True when the delivery failed in a way the next run may cure (Slack down,
 * rate limits, a revoked token): then the scan is not recorded. Failures of
 * destinations that are gone for good do not hold the cursor back; they are
 * reported, and the other destinations are not posted to twice.
 */
function blocksCursor(delivery: DeliveryReport): boolean {
  const gone = new Set(
    delivery.messages.filter((m) => m.status === "failed" && PERMANENT.has(m.error ?? "")).map((
      m,
    ) => m.destination),
  );
  return delivery.messages.some((m) => m.status !== "sent" && !gone.has(m.destination));
}

/**
 * One pass over the repositories. Throws only for what stops everything
 * (a bad configuration); a repository whose API calls fail is reported with
 * its error and the others go on.
 */
export async function watch(options: WatchOptions): Promise<WatchReport> {
  const { org } = options;
  // Everything a pass needs is checked before the first request: a bad configuration stops it.
  const config = isConfig(options.config)
    ? options.config
    : typeof options.config === "string"
    ? parseConfig(options.config, "the Slack configuration").config
    : validateConfig(options.config, "the Slack configuration").config;
  const socketApiUrl = options.socketApiUrl ?? DEFAULT_SOCKET_API_URL;
  const urlIssue = urlProblem(socketApiUrl);
  if (urlIssue) {
    throw new ConfigError("watch() options", [{ path: "socketApiUrl", message: urlIssue }]);
  }
  if (config.mode === "bot" && !options.dryRun) {
    const problem = botTokenProblem(options.botToken);
    if (problem) throw new ConfigError("watch() options", [{ ...problem, path: "botToken" }]);
  }
  options = { ...options, config };
  // One Slack transport for the whole pass: posts of successive scans to a channel stay paced.
  const slack = new Transport({
    ...options,
    debug: (line) => options.onEvent?.({ type: "debug", message: line }),
  });
  const transport = new Transport({
    ...options,
    debug: (line) => options.onEvent?.({ type: "debug", message: line }),
  });
  const api = new SocketApi(
    transport,
    socketApiUrl,
    options.apiToken,
  );
  const report: WatchReport = { repos: [] };
  for (const repo of options.repos) {
    const entry: WatchReport["repos"][number] = { repo, branch: options.branch ?? "", scans: [] };
    report.repos.push(entry);
    try {
      const branch = options.branch ?? (await api.repo(org, repo)).defaultBranch;
      entry.branch = branch;
      await watchRepo(options, api, slack, repo, branch, entry.scans);
    } catch (err) {
      entry.error = err instanceof Error ? err.message : String(err);
      options.onEvent?.({ type: "debug", message: `${org}/${repo}: ${entry.error}` });
      // A refused token refuses every repository: say so for each, without asking again.
      if (err instanceof SocketApiError && err.status === 401) {
        for (const rest of options.repos.slice(options.repos.indexOf(repo) + 1)) {
          report.repos.push({
            repo: rest,
            branch: options.branch ?? "",
            scans: [],
            error: entry.error,
          });
        }
        break;
      }
    }
  }
  return report;
}

async function watchRepo(
  options: WatchOptions,
  api: SocketApi,
  slack: Transport,
  repo: string,
  branch: string,
  outcomes: ScanOutcome[],
): Promise<void> {
  const { org, state } = options;
  const stored = (await state.get(cursorKey(org, repo, branch))) as { scan?: string } | undefined;
  const cursor: { scan?: string } = { scan: stored?.scan };
  let { scans, found } = await api.scansSince(org, repo, branch, cursor.scan);
  if (cursor.scan !== undefined && !found) {
    // The scan the cursor points at is gone (deleted, or past the history kept): start afresh.
    options.onEvent?.({
      type: "debug",
      message:
        `${org}/${repo}: the last scan handled is no longer listed; starting again from the newest`,
    });
    cursor.scan = undefined;
    scans = scans.slice(-1);
  }
  // A scan still being processed holds back the ones after it: they are diffed in order, next run.
  const held = scans.findIndex((scan) => scan.processing);
  const ready: FullScan[] = held < 0 ? scans : scans.slice(0, held);
  try {
    await watchScans(options, api, slack, repo, branch, ready, cursor.scan, outcomes);
  } finally {
    if (held >= 0) outcomes.push({ scan: scans[held].id, status: "processing", alerts: 0 });
  }
}

async function watchScans(
  options: WatchOptions,
  api: SocketApi,
  slack: Transport,
  repo: string,
  branch: string,
  ready: FullScan[],
  after: string | undefined,
  outcomes: ScanOutcome[],
): Promise<void> {
  const { org, state } = options;
  let previous = after;
  if (previous === undefined) {
    const newest = ready.at(-1);
    if (!newest) return;
    if (!options.notifyFirstRun || ready.length < 2) {
      if (!options.dryRun) {
        await state.set([{ key: cursorKey(org, repo, branch), value: { scan: newest.id } }]);
      }
      outcomes.push({ scan: newest.id, status: "first-run", alerts: 0 });
      return;
    }
    previous = ready[ready.length - 2].id;
    ready.splice(0, ready.length - 1);
  }
  for (const scan of ready) {
    const diff = await api.diffScan(org, previous, scan.id);
    // Socket computes a new diff in moments: ask a few times before leaving it to the next run.
    let result = await api.diffScanResult(org, diff.id);
    for (let poll = 1; result.processing && poll < DIFF_POLLS; poll++) {
      await (options.sleep ?? delay)(options.diffPollMs ?? 1000);
      result = await api.diffScanResult(org, diff.id);
    }
    if (result.processing) {
      outcomes.push({ scan: scan.id, status: "processing", alerts: 0 });
      return;
    }
    const parsed = alertsFromDiffScan(result.body);
    if (parsed.incomplete) {
      options.onEvent?.({
        type: "debug",
        message:
          `${org}/${repo}: Socket marks the diff of scan ${scan.id} incomplete; its alerts may be partial`,
      });
    }
    const fresh = await unseen(state, org, repo, parsed.alerts);
    const writes: StateEntry[] = fresh.map((a) => ({
      key: seenKey(org, repo, a),
      value: { action: a.action },
      expireInMs: SEEN_FOR_MS,
    }));
    let delivery: DeliveryReport | undefined;
    if (fresh.length > 0) {
      delivery = await notify({
        ...options,
        transport: slack,
        config: options.config,
        report: {
          new_alerts: fresh.map((a) => a.alert),
          diff_url: diff.htmlUrl || parsed.htmlUrl,
          repo: `${org}/${repo}`,
          branch: scan.branch || branch,
          commit_sha: scan.commit,
        },
        context: { pr: scan.pullRequest },
      });
      if (!options.dryRun && blocksCursor(delivery)) {
        // Nothing is recorded: the next run posts this scan's alerts again.
        outcomes.push({ scan: scan.id, status: "failed", alerts: fresh.length, delivery });
        return;
      }
    }
    if (!options.dryRun) {
      // Notified alerts first, the cursor last: a store that fails in between only re-reads this scan.
      await state.set(writes);
      await state.set([{ key: cursorKey(org, repo, branch), value: { scan: scan.id } }]);
    }
    outcomes.push({
      scan: scan.id,
      status: fresh.length ? "notified" : "nothing-new",
      alerts: fresh.length,
      delivery,
    });
    previous = scan.id;
  }
}
