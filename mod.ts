/**
 * Post Socket Security scan results to Slack: the new alerts of a Socket
 * report and the findings of a reachability analysis, through incoming
 * webhooks or a Slack app's bot token, filtered per destination and split so
 * that no message exceeds Slack's limits.
 *
 * @example Send a report through an incoming webhook
 * ```ts ignore
 * import { notify } from "@socket/slack-notify";
 *
 * const result = await notify({
 *   config: { url: process.env.SLACK_WEBHOOK_URL },
 *   report: await readFile("socket-report.json", "utf8"),
 *   context: { pr: "42" },
 * });
 * console.log(`sent ${result.sent}, failed ${result.failed}, skipped ${result.skipped}`);
 * ```
 *
 * @example Plan the messages for a report
 * ```ts
 * import { buildPlan, parseConfig, parseReport } from "@socket/slack-notify";
 *
 * const { config } = parseConfig(
 *   JSON.stringify({ url: "https://hooks.slack.com/services/T0/B0/XXXX" }),
 *   "example",
 * );
 * const { report } = parseReport(JSON.stringify({ new_alerts: [] }));
 * const plan = buildPlan({ config, report, context: { repo: "acme/web" } });
 * console.log(plan.messages.length); // 0: no alert, nothing to send
 * ```
 *
 * @module
 */

export type * from "./lib/types.ts";
export { ConfigError, InputError, type Problem, UsageError } from "./lib/errors.ts";
export { type ParsedReport, parseReport, type ParseReportOptions } from "./lib/report.ts";
export { type ParsedFacts, parseFacts, type ParseFactsOptions } from "./lib/facts.ts";
export { parseConfig, type ParsedConfig, validateConfig, webhookShortcut } from "./lib/config.ts";
export { contextFromEnv, type EnvLookup, resolveContext } from "./lib/context.ts";
export {
  buildReachIndex,
  filterAlerts,
  filterFindings,
  type ReachIndex,
  type ReachLookup,
  reachLookup,
} from "./lib/filter.ts";
export {
  buildDiffMessages,
  buildReachabilityMessages,
  MAX_BLOCKS,
  type MessageContext,
  type ReachabilityOptions,
} from "./lib/blocks.ts";
export { escape } from "./lib/mrkdwn.ts";
export { buildPlan, type PlanInput } from "./lib/plan.ts";
export { deliver, type DeliverOptions, notify, type NotifyOptions } from "./lib/notify.ts";
export {
  type HttpAnswer,
  type Outcome,
  type RequestSpec,
  retryAfterMs,
  SKIPPED,
  type Sleep,
  Transport,
  type TransportOptions,
  type Verdict,
} from "./lib/transport.ts";
export {
  type ScanOutcome,
  SEEN_FOR_MS,
  watch,
  type WatchOptions,
  type WatchReport,
} from "./lib/watch.ts";
export {
  JsonFileStore,
  MemoryStore,
  type StateEntry,
  type StateKey,
  type StateStore,
  type StoredEntry,
} from "./lib/state.ts";
export {
  alertsFromDiffScan,
  alertTitle,
  type DiffScanResult,
  type ScanAlert,
} from "./lib/scan_alerts.ts";
export { DEFAULT_SOCKET_API_URL, SocketApiError } from "./lib/socket_api.ts";
export { VERSION } from "./lib/version.ts";

// Run as a program (`deno run` of the published package runs this entry point), it is the command line.
if ((import.meta as { main?: boolean }).main) {
  const { main } = await import("./cli.ts");
  await main();
}
