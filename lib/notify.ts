/**
 * The library entry: plan the messages and deliver them, returning a report
 * that accounts for every planned message.
 *
 * @module
 */

import { type BotRun, DEFAULT_API_URL, sendBotLane, SlackApi } from "./bot.ts";
import { botTokenProblem, urlProblem, validateConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";
import { parseFacts } from "./facts.ts";
import { buildPlan } from "./plan.ts";
import { parseReport } from "./report.ts";
import { Transport, type TransportOptions } from "./transport.ts";
import type {
  Context,
  DeliveryEntry,
  DeliveryEvent,
  DeliveryReport,
  Facts,
  FactsInput,
  Plan,
  PlannedMessage,
  Report,
  SlackConfig,
} from "./types.ts";
import { sendWebhookLane } from "./webhook.ts";

/** Options of {@link deliver}. */
export interface DeliverOptions extends TransportOptions {
  /** Bot mode: the bot token (`xoxb-…`). */
  botToken?: string;
  /** Bot mode: the Web API base; default `https://slack.com/api`. */
  apiUrl?: string;
  /** Build the report without sending anything. */
  dryRun?: boolean;
  /**
   * The transport to send through, to share pacing across runs of one process
   * (unattended mode sends each scan separately); default a new one.
   */
  transport?: Transport;
  /** Called as each message reaches its final state, and for debug details. */
  onEvent?: (event: DeliveryEvent) => void;
}

function entryOf(m: PlannedMessage): DeliveryEntry {
  return {
    destination: m.destination.name,
    kind: m.kind,
    part: m.part,
    parts: m.parts,
    blocks: m.message.blocks.length,
    status: "skipped",
    attempts: 0,
    ...(m.destination.kind === "bot" ? { channel: m.destination.channel } : {}),
  };
}

function summarize(
  plan: Plan,
  messages: DeliveryEntry[],
  dryRun: boolean,
  durationMs: number,
): DeliveryReport {
  const count = (status: DeliveryEntry["status"]) =>
    messages.filter((m) => m.status === status).length;
  return {
    mode: plan.mode,
    dryRun,
    sent: count("sent"),
    failed: count("failed"),
    skipped: count("skipped"),
    durationMs,
    messages,
  };
}

/**
 * Sends a plan. Destinations are served concurrently (4 at a time by
 * default), each in order and paced; the report has one entry per planned
 * message, in plan order. Never throws for a delivery failure: it reports it.
 */
export async function deliver(plan: Plan, options: DeliverOptions = {}): Promise<DeliveryReport> {
  const entries = plan.messages.map(entryOf);
  const emit = (entry: DeliveryEntry) => options.onEvent?.({ type: "message", entry });
  if (options.dryRun) {
    plan.messages.forEach((m, i) => {
      const channel = m.destination.kind === "bot" ? m.destination.channel : undefined;
      Object.assign(entries[i], {
        reason: "dry run",
        payload: {
          ...(channel ? { channel } : {}),
          text: m.message.text,
          blocks: m.message.blocks,
        },
      });
    });
    return summarize(plan, entries, true, 0);
  }
  const debug = (message: string) => options.onEvent?.({ type: "debug", message });
  const transport = options.transport ??
    new Transport({ ...options, debug: options.debug ?? debug });
  const started = transport.now();

  // Lanes: one per destination, its messages in plan order.
  const lanes = new Map<string, number[]>();
  plan.messages.forEach((m, i) => {
    const indexes = lanes.get(m.destination.name) ?? [];
    indexes.push(i);
    lanes.set(m.destination.name, indexes);
  });
  const items = (indexes: number[]) =>
    indexes.map((i) => ({ message: plan.messages[i].message, entry: entries[i] }));

  let run: BotRun | undefined;
  if (plan.mode === "bot" && plan.messages.length > 0) {
    const problem = botTokenProblem(options.botToken);
    if (problem) throw new ConfigError("notify() options", [{ ...problem, path: "botToken" }]);
    const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
    const apiProblem = urlProblem(apiUrl);
    if (apiProblem) {
      throw new ConfigError("notify() options", [{ path: "apiUrl", message: apiProblem }]);
    }
    run = {
      api: new SlackApi(transport, apiUrl, options.botToken!.trim()),
      transport,
      ids: new Map(),
    };
  }

  await transport.runLanes([...lanes.values()].map((indexes) => () => {
    const destination = plan.messages[indexes[0]].destination;
    if (destination.kind === "webhook") {
      return sendWebhookLane(transport, destination.name, destination.url, items(indexes), emit);
    }
    return sendBotLane(run!, destination, items(indexes), emit, debug);
  }));
  return summarize(plan, entries, false, transport.now() - started);
}

/** Options of {@link notify}. */
export interface NotifyOptions extends DeliverOptions {
  /**
   * The Slack configuration: the same JSON as `SOCKET_SLACK_CONFIG_JSON`
   * (as text or parsed), or a validated {@link SlackConfig}.
   */
  config: unknown;
  /** The Socket report: its JSON text, the parsed JSON, or a {@link Report}. */
  report?: unknown;
  /** The `.socket.facts.json`: its JSON text, the parsed JSON, or {@link Facts}. */
  facts?: unknown;
  /** Repository, branch, PR and commit; default from the report. */
  context?: Context;
  /** Skip malformed alerts and components instead of throwing. */
  lenient?: boolean;
}

function isSlackConfig(value: unknown): value is SlackConfig {
  const v = value as SlackConfig;
  return typeof v === "object" && v !== null && Array.isArray(v.webhooks) &&
    Array.isArray(v.botRoutes) &&
    typeof v.maxFindings === "number";
}

function toText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Plans and delivers Socket scan results to Slack. Throws
 * {@link ConfigError} or {@link InputError} for bad configuration or input
 * (nothing is sent); delivery failures are in the returned report.
 *
 * @example Send a report through a webhook
 * ```ts ignore
 * import { readFile } from "node:fs/promises";
 * import { notify } from "@socket/slack-notify";
 *
 * const report = await readFile("socket-report.json", "utf8");
 * const result = await notify({
 *   config: { url: process.env.SLACK_WEBHOOK_URL },
 *   report,
 *   context: { pr: "42" },
 * });
 * console.log(`sent ${result.sent}, failed ${result.failed}`);
 * ```
 */
export async function notify(options: NotifyOptions): Promise<DeliveryReport> {
  const config = isSlackConfig(options.config)
    ? options.config
    : typeof options.config === "string"
    ? validateConfig(JSON.parse(options.config), "notify() config").config
    : validateConfig(options.config, "notify() config").config;
  let report: Report | undefined;
  if (options.report !== undefined) {
    const r = options.report as Report;
    report = typeof r === "object" && r !== null && Array.isArray(r.alerts)
      ? r
      : parseReport(toText(options.report), { source: "notify() report", lenient: options.lenient })
        .report;
  }
  let facts: FactsInput;
  if (options.facts !== undefined) {
    const f = options.facts as Facts;
    facts = typeof f === "object" && f !== null && Array.isArray(f.findings)
      ? f
      : parseFacts(toText(options.facts), { source: "notify() facts", lenient: options.lenient })
        .facts;
  }
  const context: Context = {
    repo: options.context?.repo ?? report?.repo,
    branch: options.context?.branch ?? report?.branch,
    pr: options.context?.pr,
    sha: options.context?.sha ?? report?.sha,
  };
  const plan = buildPlan({ config, report, facts, context });
  for (const message of plan.warnings) options.onEvent?.({ type: "debug", message });
  return await deliver(plan, options);
}
