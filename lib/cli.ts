/**
 * The command line, as a function of its arguments and an I/O shell, so it
 * can be tested without processes. `cli.ts` wires it to the real process.
 *
 * @module
 */

import { parseArgs, parseEnv } from "node:util";
import {
  botTokenProblem,
  isChannelId,
  parseConfig,
  urlProblem,
  webhookShortcut,
} from "./config.ts";
import { resolveContext } from "./context.ts";
import { ConfigError, InputError, UsageError } from "./errors.ts";
import { parseFacts } from "./facts.ts";
import { buildPlan } from "./plan.ts";
import { deliver } from "./notify.ts";
import { botHint, DEFAULT_API_URL, SlackApi } from "./bot.ts";
import { Transport, type TransportOptions } from "./transport.ts";
import { parseReport } from "./report.ts";
import type {
  Block,
  Context,
  DeliveryEvent,
  FactsInput,
  Plan,
  PlannedMessage,
  Report,
  SlackConfig,
} from "./types.ts";
import { VERSION } from "./version.ts";
import { DEFAULT_SOCKET_API_URL } from "./socket_api.ts";
import { JsonFileStore } from "./state.ts";
import { watch } from "./watch.ts";

/** What the command line needs from its process. */
export interface CliIO {
  /** Reads an environment variable; undefined when unset. */
  env(name: string): string | undefined;
  /** Reads a text file; rejects with the runtime's error (`code` ENOENT, …). */
  readFile(path: string): Promise<string>;
  /** Reads all of standard input. */
  readStdin(): Promise<string>;
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Whether standard error is a terminal (colour is used only then, and without NO_COLOR). */
  stderrIsTTY?: boolean;
  /** Transport settings for tests (a faster pacing interval, a virtual clock). */
  transport?: TransportOptions;
}

/** The usage text printed by `--help`. */
export const USAGE =
  `Usage: slack-notify [send] [options]    post the report's alerts and findings to Slack
       slack-notify check [options]     validate config, token and channels; post nothing
       slack-notify watch --org ORG --repo REPO[,REPO…] --state FILE [options]
                                        post new alerts of the repositories' Socket scans, once

Options:
  --report FILE          Socket report JSON (socketcli --json-file); - reads stdin
  --facts FILE           .socket.facts.json; enables reachability messages
  --config FILE          Slack config JSON (default: $SOCKET_SLACK_CONFIG_JSON)
  --slack-webhook URL    shortcut for {"mode":"webhook","url":URL}
  --repo, --branch, --pr, --sha VALUE
                         context (default: from the report, then the CI environment)
  --dry-run              build every message and print the plan; send nothing
  --json                 print the result as one JSON object on stdout
  --lenient              skip malformed alerts, components or vulnerabilities
  --timeout SECONDS      per request (default 10)
  --env-file FILE        load variables from a .env file (existing variables win)
  --verbose, --quiet     more / less on stderr
  --org ORG              watch: the Socket organization
  --state FILE           watch: where notified alerts are remembered (JSON)
  --notify-first-run     watch: on the first run, post the newest scan's new alerts too
  -h, --help             show this help
  -V, --version          show the version

Environment:
  SOCKET_SLACK_CONFIG_JSON  Slack config JSON
  SOCKET_SLACK_BOT_TOKEN    bot token (xoxb-…), bot mode
  SOCKET_SLACK_API_URL      Slack Web API base (default https://slack.com/api)
  SOCKET_SECURITY_API_TOKEN Socket API token, watch (also read as SOCKET_API_TOKEN)
  SOCKET_API_URL            Socket API base (default https://api.socket.dev/v0)

Exit status: 0 all sent (or nothing to send), 1 a message failed or was skipped,
2 usage, configuration or input error (nothing sent).
`;

const USAGE_LINE = "Usage: slack-notify [send|check|watch] [options]; see slack-notify --help";

const OPTIONS = {
  report: { type: "string" },
  facts: { type: "string" },
  config: { type: "string" },
  "slack-webhook": { type: "string" },
  repo: { type: "string" },
  branch: { type: "string" },
  pr: { type: "string" },
  sha: { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  lenient: { type: "boolean" },
  timeout: { type: "string" },
  "env-file": { type: "string" },
  org: { type: "string" },
  state: { type: "string" },
  "notify-first-run": { type: "boolean" },
  verbose: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** Parsed command line. */
export interface CliOptions {
  /** `send`, `check` or `watch`. */
  command: "send" | "check" | "watch";
  /** `--org` (watch). */
  org?: string;
  /** `--state` (watch). */
  state?: string;
  /** `--notify-first-run` (watch). */
  notifyFirstRun: boolean;
  /** `--report`. */
  report?: string;
  /** `--facts`. */
  facts?: string;
  /** `--config`. */
  config?: string;
  /** `--slack-webhook`. */
  slackWebhook?: string;
  /** `--repo`, `--branch`, `--pr`, `--sha`. */
  context: Context;
  /** `--dry-run`. */
  dryRun: boolean;
  /** `--json`. */
  json: boolean;
  /** `--lenient`. */
  lenient: boolean;
  /** `--timeout`, in milliseconds. */
  timeoutMs: number;
  /** `--env-file`. */
  envFile?: string;
  /** `--verbose`. */
  verbose: boolean;
  /** `--quiet`. */
  quiet: boolean;
  /** `--help`. */
  help: boolean;
  /** `--version`. */
  version: boolean;
}

/** Parses the arguments; throws {@link UsageError} on an unknown option or a missing value. */
export function parseCliArgs(args: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`${message}\n${USAGE_LINE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  let command: CliOptions["command"] = "send";
  if (positionals.length > 0) {
    const [first, ...rest] = positionals;
    if (first === "send" || first === "check" || first === "watch") command = first;
    else throw new UsageError(`${unexpected(first)}\n${USAGE_LINE}`);
    if (rest.length > 0) throw new UsageError(`${unexpected(rest[0])}\n${USAGE_LINE}`);
  }
  let timeoutMs = 10_000;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds < 0.001 || seconds > 600) {
      throw new UsageError(
        `--timeout: expected a number of seconds from 0 to 600, got "${values.timeout}"\n${USAGE_LINE}`,
      );
    }
    timeoutMs = Math.round(seconds * 1000);
  }
  return {
    command,
    report: values.report,
    facts: values.facts,
    config: values.config,
    slackWebhook: values["slack-webhook"],
    context: { repo: values.repo, branch: values.branch, pr: values.pr, sha: values.sha },
    dryRun: values["dry-run"] ?? false,
    json: values.json ?? false,
    lenient: values.lenient ?? false,
    timeoutMs,
    envFile: values["env-file"],
    verbose: values.verbose ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    org: values.org,
    state: values.state,
    notifyFirstRun: values["notify-first-run"] ?? false,
  };
}

/** Names an unexpected argument without echoing anything that may be a secret (a URL, a token). */
function unexpected(arg: string): string {
  return /^[\w.-]{1,40}$/.test(arg) && !arg.startsWith("xox")
    ? `Unknown command "${arg}": expected "send", "check" or "watch"`
    : "Unexpected argument: options take the form --name value";
}

/** A little output helper: colour on a TTY without NO_COLOR, quiet and verbose levels. */
class Output {
  readonly #io: CliIO;
  readonly #colour: boolean;
  readonly #quiet: boolean;
  /** More output asked for (and not silenced by --quiet). */
  readonly verbose: boolean;

  constructor(io: CliIO, options: { quiet: boolean; verbose: boolean }) {
    this.#io = io;
    this.#colour = !!io.stderrIsTTY && !io.env("NO_COLOR");
    this.#quiet = options.quiet;
    this.verbose = options.verbose && !options.quiet;
  }

  paint(code: number, text: string): string {
    return this.#colour ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  info(line: string): void {
    if (!this.#quiet) this.#io.stderr(line + "\n");
  }

  detail(line: string): void {
    if (this.verbose) this.#io.stderr(line + "\n");
  }

  warn(line: string): void {
    if (!this.#quiet) this.#io.stderr(`${this.paint(33, "warning:")} ${line}\n`);
  }

  error(line: string): void {
    this.#io.stderr(`${this.paint(31, "error:")} ${line}\n`);
  }
}

/** Reads an input file (or stdin for `-`), turning I/O failures into an {@link InputError}. */
async function readInput(io: CliIO, path: string, what: string, hint: string): Promise<string> {
  try {
    return path === "-" ? await io.readStdin() : await io.readFile(path);
  } catch (err) {
    const code = (err as { code?: string } | null)?.code;
    const reason = code === "ENOENT" || (err instanceof Error && err.name === "NotFound")
      ? "file not found"
      : code === "EISDIR" || (err instanceof Error && err.name === "IsADirectory")
      ? "is a directory, not a file"
      : err instanceof Error && err.name === "NotCapable"
      ? `permission denied: ${err.message}`
      : code === "EACCES" || (err instanceof Error && err.name === "PermissionDenied")
      ? "permission denied"
      : `cannot be read (${err instanceof Error ? err.message : String(err)})`;
    const file = path === "-" ? "stdin" : path;
    throw new InputError(file, [{ path: "", message: reason }], hint, {
      cause: err,
      headline: `Cannot read ${what} ${file}: ${reason}`,
    });
  }
}

/** The environment, with a `.env` file filling variables that are not set. */
async function loadEnv(
  io: CliIO,
  envFile: string | undefined,
): Promise<(name: string) => string | undefined> {
  if (!envFile) return (name) => io.env(name);
  const text = await readInput(io, envFile, "the .env file", "Check the --env-file path");
  const values = parseEnv(text);
  return (name) => io.env(name) ?? values[name];
}

/** Loads the Slack configuration from `--config`, `--slack-webhook`, or `SOCKET_SLACK_CONFIG_JSON`. */
async function loadConfig(
  io: CliIO,
  options: CliOptions,
  env: (name: string) => string | undefined,
) {
  if (options.config !== undefined && options.slackWebhook !== undefined) {
    throw new UsageError(
      `--config and --slack-webhook cannot be used together: choose one\n${USAGE_LINE}`,
    );
  }
  if (options.slackWebhook !== undefined) return webhookShortcut(options.slackWebhook);
  if (options.config !== undefined) {
    const source = `--config ${options.config}`;
    const text = await readInput(
      io,
      options.config,
      "the Slack configuration",
      "Check the --config path",
    );
    return parseConfig(text, source);
  }
  const fromEnv = env("SOCKET_SLACK_CONFIG_JSON");
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return parseConfig(fromEnv, "SOCKET_SLACK_CONFIG_JSON");
  }
  throw new ConfigError("the environment", [{
    path: "",
    message:
      "no Slack configuration found: set SOCKET_SLACK_CONFIG_JSON, or pass --config FILE or --slack-webhook URL",
  }]);
}

/** The JSON form of a planned message. */
function messageJson(m: PlannedMessage, withPayload: boolean): Record<string, unknown> {
  const channel = m.destination.kind === "bot" ? m.destination.channel : undefined;
  const out: Record<string, unknown> = {
    destination: m.destination.name,
    kind: m.kind,
    part: m.part,
    parts: m.parts,
    blocks: m.message.blocks.length,
  };
  if (channel !== undefined) out.channel = channel;
  if (withPayload) {
    out.payload = channel === undefined
      ? { text: m.message.text, blocks: m.message.blocks }
      : { channel, text: m.message.text, blocks: m.message.blocks };
  }
  return out;
}

/**
 * Writes the dry-run report, one JSON object, message by message, so that no
 * single string of the whole report is built: on a monorepo's report it is
 * tens of megabytes long.
 */
const DIVIDER_JSON = '{"type":"divider"}';

function writeDryRunJson(io: CliIO, plan: Plan): void {
  // A section shared by several messages (destinations that filter alike) is serialised once.
  const cache = new Map<Block, string>();
  const blockJson = (block: Block): string => {
    if (block.type !== "section") return DIVIDER_JSON;
    let json = cache.get(block);
    if (json === undefined) {
      json = `{"type":"section","text":{"type":"mrkdwn","text":${
        JSON.stringify(block.text.text)
      }}}`;
      cache.set(block, json);
    }
    return json;
  };
  let pieces = [
    `{"mode":${
      JSON.stringify(plan.mode)
    },"dryRun":true,"sent":0,"failed":0,"skipped":0,"messages":[`,
  ];
  let size = 0;
  plan.messages.forEach((m, i) => {
    const head = JSON.stringify(messageJson(m, false));
    const channel = m.destination.kind === "bot"
      ? `"channel":${JSON.stringify(m.destination.channel)},`
      : "";
    const blocks = m.message.blocks.map(blockJson).join(",");
    const piece =
      `${i ? "," : ""}${head.slice(0, -1)},"payload":{${channel}"text":${
        JSON.stringify(m.message.text)
      },` +
      `"blocks":[${blocks}]}}`;
    pieces.push(piece);
    size += piece.length;
    if (size > 1 << 20) {
      io.stdout(pieces.join(""));
      pieces = [];
      size = 0;
    }
  });
  pieces.push("]}\n");
  io.stdout(pieces.join(""));
}

function printPlan(out: Output, plan: Plan): void {
  const destinations = new Set(plan.messages.map((m) => m.destination.name));
  // One write for the whole plan: a monorepo's plan has thousands of lines.
  const lines = [
    `Dry run (${plan.mode} mode): ${plan.messages.length} message(s) to ${destinations.size} destination(s); nothing sent`,
  ];
  for (const m of plan.messages) {
    lines.push(
      `  ${out.paint(36, "•")} ${
        labelOf(m)
      }  ${m.kind} ${m.part}/${m.parts}  ${m.message.blocks.length} blocks`,
    );
    if (out.verbose) lines.push(JSON.stringify(messageJson(m, true).payload, null, 2));
  }
  out.info(lines.join("\n"));
}

/**
 * Runs the command line and returns the exit status: 0 success, 1 a message
 * failed or was skipped, 2 usage, configuration or input error.
 */
export async function runCli(args: string[], io: CliIO): Promise<number> {
  let options: CliOptions | undefined;
  let out = new Output(io, { quiet: false, verbose: false });
  try {
    options = parseCliArgs(args);
    out = new Output(io, options);
    if (options.help) {
      io.stdout(USAGE);
      return 0;
    }
    if (options.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    return await run(io, options, out);
  } catch (err) {
    if (err instanceof ConfigError) err.warnings.forEach((w) => out.warn(w));
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof InputError) {
      out.error(err.message);
      return 2;
    }
    out.error(`unexpected failure: ${err instanceof Error ? err.message : String(err)}`);
    if (options?.verbose && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

async function run(io: CliIO, options: CliOptions, out: Output): Promise<number> {
  if (options.command === "send" && options.report === undefined && options.facts === undefined) {
    throw new UsageError(`send needs --report FILE or --facts FILE (or both)\n${USAGE_LINE}`);
  }
  const env = await loadEnv(io, options.envFile);
  const { config, warnings } = await loadConfig(io, options, env);
  warnings.forEach((w) => out.warn(w));
  if (!config.enabled) {
    out.info("Slack notifications are disabled (enabled: false): nothing sent");
    if (options.json) {
      const empty = {
        mode: config.mode,
        dryRun: options.dryRun,
        sent: 0,
        failed: 0,
        skipped: 0,
        messages: [],
      };
      io.stdout(JSON.stringify(empty) + "\n");
    }
    return 0;
  }
  if (options.command === "check") return await check(io, options, out, config, env);
  if (options.command === "watch") return await runWatch(io, options, out, env, config);
  if (config.mode === "bot") {
    const problem = botTokenProblem(env("SOCKET_SLACK_BOT_TOKEN"));
    if (problem && !options.dryRun) throw new ConfigError("the environment", [problem]);
    if (problem) out.warn(`${problem.path} ${problem.message} (a dry run needs no token)`);
    const apiUrl = env("SOCKET_SLACK_API_URL");
    const apiProblem = apiUrl ? urlProblem(apiUrl) : undefined;
    if (apiProblem) {
      throw new ConfigError("the environment", [{
        path: "SOCKET_SLACK_API_URL",
        message: apiProblem,
      }]);
    }
  }

  let report: Report | undefined;
  if (options.report !== undefined) {
    const source = options.report === "-" ? "stdin" : options.report;
    const text = await readInput(
      io,
      options.report,
      "the Socket report",
      "Check the --report path",
    );
    const parsed = parseReport(text, { source, lenient: options.lenient });
    parsed.warnings.forEach((w) => out.warn(`${source}: ${w}`));
    report = parsed.report;
  }
  let facts: FactsInput;
  if (options.facts !== undefined) {
    try {
      // Read after the report is parsed, so the two files' texts and trees are never in memory together.
      const text = await readInput(io, options.facts, "the facts file", "Check the --facts path");
      const parsed = parseFacts(text, { source: options.facts, lenient: options.lenient });
      parsed.warnings.forEach((w) => out.warn(`${options.facts}: ${w}`));
      facts = parsed.facts;
    } catch (err) {
      // Lenient runs go on without reachability, as the Python CLI does when its facts file is unreadable.
      if (!(err instanceof InputError) || !options.lenient) throw err;
      const reason = err.message.split("\n")[0];
      out.warn(`${reason}; going on without reachability data (--lenient)`);
      facts = { unreadable: reason };
    }
  }

  const context = resolveContext(options.context, report, env);
  const plan = buildPlan({ config, report, facts, context });
  plan.warnings.forEach((w) => out.warn(w));

  if (options.dryRun) {
    if (!options.quiet) printPlan(out, plan);
    if (options.json) writeDryRunJson(io, plan);
    return 0;
  }
  return await send(io, options, out, plan, env);
}

/** Prints a line per message as it reaches its final state, and debug lines with --verbose. */
function progress(
  out: Output,
  label: (destination: string) => string,
): (event: DeliveryEvent) => void {
  return (event) => {
    if (event.type === "debug") {
      out.detail(`  ${event.message}`);
      return;
    }
    const e = event.entry;
    const what = `${label(e.destination)}  ${e.kind} ${e.part}/${e.parts}  ${e.blocks} blocks`;
    if (e.status === "sent") out.info(`${out.paint(32, "✓")} ${what}`);
    else if (e.status === "failed") {
      out.info(`${out.paint(31, "✗")} ${what}  ${e.error}: ${e.hint}`);
    } else out.info(`${out.paint(33, "–")} ${what}  skipped: ${e.reason}`);
  };
}

/** How a message is named in progress lines: `#channel (route)` or the webhook's name. */
function labelOf(m: PlannedMessage): string {
  return m.destination.kind === "bot" ? `#${m.destination.channel}` : m.destination.name;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Sends the plan, printing a line per message as it happens, then a summary. */
async function send(
  io: CliIO,
  options: CliOptions,
  out: Output,
  plan: Plan,
  env: (name: string) => string | undefined,
): Promise<number> {
  const labels = new Map(plan.messages.map((m) => [m.destination.name, labelOf(m)]));
  if (plan.messages.length === 0) {
    out.info("Nothing to send: no alert or finding passed the filters");
  }
  const report = await deliver(plan, {
    ...io.transport,
    timeoutMs: options.timeoutMs,
    botToken: env("SOCKET_SLACK_BOT_TOKEN"),
    apiUrl: env("SOCKET_SLACK_API_URL") || DEFAULT_API_URL,
    onEvent: progress(out, (name) => labels.get(name) ?? name),
  });
  out.info(
    `sent ${report.sent}, failed ${report.failed}, skipped ${report.skipped} in ${
      seconds(report.durationMs)
    }`,
  );
  const hints = new Set(
    report.messages.filter((m) => m.status === "failed").map((m) =>
      `${m.destination}: ${m.error}: ${m.hint}`
    ),
  );
  for (const hint of hints) out.info(`  ${hint}`);
  if (options.json) {
    const { durationMs: _durationMs, ...json } = report;
    io.stdout(JSON.stringify(json) + "\n");
  }
  return report.failed + report.skipped > 0 ? 1 : 0;
}

/** One channel as `check` reports it. */
interface ChannelCheck {
  destination: string;
  channel: string;
  status: "found" | "not_found" | "not_member" | "archived" | "unknown";
  id?: string;
  hint?: string;
}

/** `check`: validates the configuration, the token and every channel; posts nothing. */
async function check(
  io: CliIO,
  options: CliOptions,
  out: Output,
  config: SlackConfig,
  env: (name: string) => string | undefined,
): Promise<number> {
  if (config.mode === "webhook") {
    out.info("Configuration valid (webhook mode)");
    for (const hook of config.webhooks) {
      out.info(
        `${
          out.paint(32, "✓")
        } ${hook.name}: URL well formed (a webhook cannot be probed without posting)`,
      );
    }
    if (options.json) {
      io.stdout(
        JSON.stringify({
          mode: "webhook",
          ok: true,
          webhooks: config.webhooks.map((h) => ({ name: h.name, status: "valid" })),
        }) + "\n",
      );
    }
    return 0;
  }
  const token = env("SOCKET_SLACK_BOT_TOKEN");
  const problem = botTokenProblem(token);
  const apiUrl = env("SOCKET_SLACK_API_URL") || DEFAULT_API_URL;
  const apiProblem = urlProblem(apiUrl);
  if (problem || apiProblem) {
    throw new ConfigError("the environment", [
      ...(problem ? [problem] : []),
      ...(apiProblem ? [{ path: "SOCKET_SLACK_API_URL", message: apiProblem }] : []),
    ]);
  }
  const api = new SlackApi(
    new Transport({ ...io.transport, timeoutMs: options.timeoutMs }),
    apiUrl,
    token!.trim(),
  );
  const auth = await api.authTest();
  const authError = !auth.ok ? auth.reason : !auth.value.ok ? auth.value.error : undefined;
  if (authError) {
    const hint = !auth.ok
      ? auth.hint
      : botHint(authError, auth.value.ok ? undefined : auth.value.needed);
    out.error(`auth.test failed: ${authError}: ${hint}`);
    if (options.json) {
      io.stdout(
        JSON.stringify({ mode: "bot", ok: false, auth: { ok: false, error: authError, hint } }) +
          "\n",
      );
    }
    return 1;
  }
  const authData = auth.ok && auth.value.ok ? auth.value.data : {};
  out.info(
    `${out.paint(32, "✓")} token valid: ${String(authData.user ?? "bot")} in ${
      String(authData.team ?? "the workspace")
    }`,
  );
  const listing = await api.listChannels(true);
  const listError = !listing.ok
    ? listing.reason
    : !listing.value.ok
    ? listing.value.error
    : undefined;
  const channels: ChannelCheck[] = [];
  for (const route of config.botRoutes) {
    for (const channel of route.channels) {
      const destination = `${route.name}#${channel}`;
      if (listError) {
        channels.push({
          destination,
          channel,
          status: "unknown",
          hint:
            `channels cannot be listed (${listError}): grant channels:read and groups:read to check them`,
        });
        continue;
      }
      const found = listing.channels?.find((
        c,
      ) => (isChannelId(channel) ? c.id === channel : c.name === channel));
      if (!found) {
        channels.push({
          destination,
          channel,
          status: "not_found",
          hint: botHint("channel_not_found"),
        });
      } else if (found.isArchived) {
        channels.push({
          destination,
          channel,
          status: "archived",
          id: found.id,
          hint: botHint("is_archived"),
        });
      } else if (!found.isMember) {
        channels.push({
          destination,
          channel,
          status: "not_member",
          id: found.id,
          hint: botHint("not_in_channel"),
        });
      } else {
        channels.push({ destination, channel, status: "found", id: found.id });
      }
    }
  }
  const words = {
    found: "found",
    not_found: "not found",
    not_member: "bot not a member",
    archived: "archived",
    unknown: "unknown",
  };
  for (const c of channels) {
    const mark = c.status === "found" ? out.paint(32, "✓") : out.paint(31, "✗");
    out.info(
      `${mark} #${c.channel} (${c.destination.split("#")[0]}): ${words[c.status]}${
        c.id ? ` ${c.id}` : ""
      }` +
        (c.hint ? ` — ${c.hint}` : ""),
    );
  }
  const ok = channels.every((c) => c.status === "found");
  if (options.json) {
    io.stdout(
      JSON.stringify({
        mode: "bot",
        ok,
        auth: { ok: true, team: authData.team, user: authData.user },
        channels,
      }) + "\n",
    );
  }
  return ok ? 0 : 1;
}

/** `watch`: one pass of unattended mode over the repositories. */
async function runWatch(
  io: CliIO,
  options: CliOptions,
  out: Output,
  env: (name: string) => string | undefined,
  config: SlackConfig,
): Promise<number> {
  const repos = (options.context.repo ?? "").split(",").map((r) => r.trim()).filter(Boolean);
  if (!options.org || repos.length === 0 || !options.state) {
    throw new UsageError(
      `watch needs --org ORG, --repo REPO[,REPO…] and --state FILE\n${USAGE_LINE}`,
    );
  }
  const apiToken = env("SOCKET_SECURITY_API_TOKEN") || env("SOCKET_API_TOKEN");
  if (!apiToken) {
    throw new ConfigError("the environment", [{
      path: "SOCKET_SECURITY_API_TOKEN",
      message:
        "not set: watch needs a Socket API token (scopes repo:list, full-scans:list, diff-scans:create, " +
        "diff-scans:list); SOCKET_API_TOKEN is read too",
    }]);
  }
  const socketApiUrl = env("SOCKET_API_URL") || DEFAULT_SOCKET_API_URL;
  const apiProblem = urlProblem(socketApiUrl);
  if (apiProblem) {
    throw new ConfigError("the environment", [{ path: "SOCKET_API_URL", message: apiProblem }]);
  }
  const slackApi = env("SOCKET_SLACK_API_URL");
  if (config.mode === "bot" && !options.dryRun) {
    const problem = botTokenProblem(env("SOCKET_SLACK_BOT_TOKEN")) ??
      (slackApi && urlProblem(slackApi)
        ? { path: "SOCKET_SLACK_API_URL", message: urlProblem(slackApi)! }
        : undefined);
    if (problem) throw new ConfigError("the environment", [problem]);
  }
  let state: JsonFileStore;
  try {
    state = await JsonFileStore.open(options.state);
    // Written once now, so a state file that cannot be written stops the run before anything is posted.
    if (!options.dryRun) await state.set([]);
  } catch (err) {
    throw new InputError(options.state, [], "", {
      cause: err,
      headline: err instanceof Error ? err.message : String(err),
    });
  }
  const report = await watch({
    ...io.transport,
    timeoutMs: options.timeoutMs,
    org: options.org,
    repos,
    branch: options.context.branch,
    state,
    apiToken,
    socketApiUrl,
    config,
    botToken: env("SOCKET_SLACK_BOT_TOKEN"),
    apiUrl: slackApi || undefined,
    dryRun: options.dryRun,
    notifyFirstRun: options.notifyFirstRun,
    // Bot destinations are `route#channel`: shown as `#channel`, as `send` shows them.
    onEvent: progress(
      out,
      (name) => (config.mode === "bot" ? name.slice(name.indexOf("#")) : name),
    ),
  });
  let failed = false;
  for (const r of report.repos) {
    if (r.error) {
      failed = true;
      out.info(`${out.paint(31, "✗")} ${options.org}/${r.repo}: ${r.error}`);
      continue;
    }
    if (r.scans.length === 0) out.info(`  ${options.org}/${r.repo} (${r.branch}): no new scan`);
    for (const s of r.scans) {
      if (s.status === "failed") failed = true;
      const sent = s.delivery ? `, sent ${s.delivery.sent}, failed ${s.delivery.failed}` : "";
      out.info(
        `  ${options.org}/${r.repo} (${r.branch}) scan ${s.scan}: ${s.status}, ${s.alerts} new alert(s)${sent}`,
      );
    }
  }
  if (options.json) {
    // Like `send`, without wall times: the same run prints the same JSON.
    const json = JSON.stringify(
      { org: options.org, dryRun: options.dryRun, ...report },
      (key, value) => (key === "durationMs" ? undefined : value),
    );
    io.stdout(json + "\n");
  }
  return failed ? 1 : 0;
}
