/**
 * The data shapes shared by the whole module: inputs (report, facts), the
 * configuration, the messages we build and the plan that lists them.
 *
 * @module
 */

/** A severity after normalisation (`middle` and `moderate` become `medium`). */
export type Severity = "critical" | "high" | "medium" | "low";

/** One alert of the Socket report (`new_alerts[i]`), validated and defaulted. */
export interface Alert {
  /** Socket alert type, camelCase (`malware`, `criticalCVE`, …). */
  type: string;
  /** Normalised severity. */
  severity: Severity;
  /** Severity word as the report wrote it (`middle`, `high`, …). */
  rawSeverity: string;
  /** Human title; the type when the report has none. */
  title: string;
  /** Package ecosystem (`npm`, `pypi`, …); empty when unknown. */
  pkgType: string;
  /** Package name; empty when unknown. */
  pkgName: string;
  /** Package version; empty when unknown. */
  pkgVersion: string;
  /** Package reference as the Socket CLI writes it (`name@version`). */
  purl: string;
  /** Socket package page; empty when unknown. */
  url: string;
  /** `[source, manifests]` pairs, in report order. */
  introducedBy: Array<[string, string]>;
  /** Blocking per the organisation's policy. */
  error: boolean;
  /** Warning per the organisation's policy. */
  warn: boolean;
  /** Advisory ids the alert carries (`props.ghsaId`, `props.cveId`), upper-cased. */
  vulnIds: string[];
}

/** The Socket report, validated. */
export interface Report {
  /** Alerts in report order. */
  alerts: Alert[];
  /** Link to the scan diff; empty when absent. */
  diffUrl: string;
  /** Link to the full report; empty when absent. */
  reportUrl: string;
  /** Repository slug from the report, if any. */
  repo?: string;
  /** Branch from the report, if any. */
  branch?: string;
  /** Commit SHA from the report, if any. */
  sha?: string;
  /** Whether the scan failed (blocking alerts found). */
  scanFailed: boolean;
}

/** Reachability state of one finding. */
export type ReachState = "reachable" | "unreachable" | "error" | "unknown";

/** One vulnerability of one component of a `.socket.facts.json` file. */
export interface Finding {
  /** `pkg:{type}/{namespace}/{name}@{version}`. */
  purl: string;
  /** GHSA id, else CVE id, else `Unknown`. */
  id: string;
  /** Every advisory id of the vulnerability (GHSA and CVE), upper-cased. */
  vulnIds: string[];
  /** Component ecosystem. */
  pkgType: string;
  /** Component namespace, empty when none. */
  namespace: string;
  /** Component name. */
  name: string;
  /** Component version. */
  version: string;
  /** Reachability state. */
  state: ReachState;
  /** Severity shown (after the reachability mapping). */
  severity: Severity;
  /** Severity from the advisory, or `unknown`. */
  baseSeverity: Severity | "unknown";
  /** Call trace, for reachable findings; empty otherwise. */
  trace: string;
}

/** Parsed facts: every finding, in file order. */
export interface Facts {
  /** One finding per vulnerability, in file order. */
  findings: Finding[];
}

/**
 * What the run knows about reachability: facts that loaded, facts that were
 * asked for but could not be read (only with `--lenient`), or none asked for.
 */
export type FactsInput = Facts | { unreadable: string } | undefined;

/** Filters shared by webhook routes and bot routes. */
export interface Route {
  /** Repositories (`owner/name`), lower-cased; empty = any. */
  repos: string[];
  /** Severities; empty = any. */
  severities: Severity[];
  /** Socket alert types, lower-cased; empty = any. */
  alertTypes: string[];
  /** Only diff alerts that the facts show as reachable. */
  reachabilityAlertsOnly: boolean;
  /** Send the reachability message even when no diff alert goes to this destination. */
  alwaysSendReachability: boolean;
}

/** A webhook of webhook mode, with its filters. */
export interface WebhookRoute extends Route {
  /** Config name (`default`, `webhook_0`, or the given name). */
  name: string;
  /** The incoming webhook URL: a secret. */
  url: string;
}

/** A route of bot mode. */
export interface BotRoute extends Route {
  /** Route name (`bot_config_{index}` by default). */
  name: string;
  /** Channel references: IDs as given, names lower-cased without `#`. */
  channels: string[];
  /** Post parts 2..n in the thread of part 1. */
  threads: boolean;
}

/** A validated Slack configuration. */
export interface SlackConfig {
  /** False: send nothing. */
  enabled: boolean;
  /** Delivery path. */
  mode: "webhook" | "bot";
  /** Webhook mode's webhooks, in config order. */
  webhooks: WebhookRoute[];
  /** Bot mode's routes, in config order. */
  botRoutes: BotRoute[];
  /** Reachability findings shown per destination. */
  maxFindings: number;
}

/** Repository, branch, pull request and commit of the scan. */
export interface Context {
  /** `owner/name`. */
  repo?: string;
  /** Branch name. */
  branch?: string;
  /** Pull request (or merge request) number. */
  pr?: string;
  /** Commit SHA. */
  sha?: string;
}

/** A section block with mrkdwn text. */
export interface SectionBlock {
  /** Block type. */
  type: "section";
  /** The mrkdwn text. */
  text: { type: "mrkdwn"; text: string };
}

/** A divider block. */
export interface DividerBlock {
  /** Block type. */
  type: "divider";
}

/** A Slack block this module posts. */
export type Block = SectionBlock | DividerBlock;

/** One Slack message: the body of one post, minus channel and thread. */
export interface Message {
  /** Notification text (push notifications, screen readers). */
  text: string;
  /** At most 50 blocks. */
  blocks: Block[];
}

/** Which message a planned message belongs to. */
export type MessageKind = "diff" | "reachability";

/** Where a planned message goes. */
export type Destination =
  | {
    /** Webhook mode. */
    kind: "webhook";
    /** Config name of the webhook; used in every output instead of the URL. */
    name: string;
    /** The webhook URL: a secret, never printed. */
    url: string;
  }
  | {
    /** Bot mode. */
    kind: "bot";
    /** `route#channel`, used in every output. */
    name: string;
    /** Route name. */
    route: string;
    /** Channel reference: an ID, or a normalised name. */
    channel: string;
    /** Post parts 2..n in the thread of part 1. */
    threads: boolean;
  };

/** One message of the plan: what goes where, in order. */
export interface PlannedMessage {
  /** Destination of the message. */
  destination: Destination;
  /** Diff or reachability. */
  kind: MessageKind;
  /** Part number, from 1. */
  part: number;
  /** Number of parts of this message. */
  parts: number;
  /** The message. */
  message: Message;
}

/** The plan of a run: every message for every destination, in order. */
export interface Plan {
  /** Delivery mode. */
  mode: "webhook" | "bot";
  /** Messages grouped by destination, in destination order. */
  messages: PlannedMessage[];
  /** Things the user should know (a filter that cannot apply, …). */
  warnings: string[];
}

/** What became of a planned message. */
export type DeliveryStatus = "sent" | "failed" | "skipped";

/** One planned message in the delivery report. */
export interface DeliveryEntry {
  /** Webhook name, or `route#channel`. */
  destination: string;
  /** Diff or reachability. */
  kind: MessageKind;
  /** Part number, from 1. */
  part: number;
  /** Number of parts of this message. */
  parts: number;
  /** Number of blocks. */
  blocks: number;
  /** Sent, failed or skipped. */
  status: DeliveryStatus;
  /** HTTP requests made for this message. */
  attempts: number;
  /** Bot mode: the channel ID Slack posted to (or the reference, when it never answered). */
  channel?: string;
  /** Bot mode: the message timestamp Slack returned. */
  ts?: string;
  /** Failed: Slack's error code (`not_in_channel`, `no_service`, `http_502`, …). */
  error?: string;
  /** Failed: what to do about it. */
  hint?: string;
  /** Failed: the HTTP status, when the failure came with one. */
  httpStatus?: number;
  /** Skipped: why. */
  reason?: string;
  /** Dry run only: what would be posted (no secrets). */
  payload?: { channel?: string; text: string; blocks: Block[] };
}

/** The result of a run: one entry per planned message, in plan order. */
export interface DeliveryReport {
  /** Delivery mode. */
  mode: "webhook" | "bot";
  /** True when nothing was sent on purpose. */
  dryRun: boolean;
  /** Messages sent. */
  sent: number;
  /** Messages failed. */
  failed: number;
  /** Messages skipped. */
  skipped: number;
  /** Wall time of the delivery, in milliseconds. */
  durationMs: number;
  /** One entry per planned message. */
  messages: DeliveryEntry[];
}

/** Progress of a run, as messages go out. */
export type DeliveryEvent =
  | {
    /** A message reached its final state. */
    type: "message";
    /** Its entry in the report. */
    entry: DeliveryEntry;
  }
  | {
    /** A detail worth a debug line (a retry, a wait, a channel resolution). */
    type: "debug";
    /** The line, free of secrets. */
    message: string;
  };
