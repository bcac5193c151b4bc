/**
 * The Slack configuration (`SOCKET_SLACK_CONFIG_JSON`, `--config`,
 * `--slack-webhook`), compatible with the Socket Python CLI's, validated in
 * full before anything is sent.
 *
 * @module
 */

import { ConfigError, type Problem } from "./errors.ts";
import { normalizeSeverity } from "./report.ts";
import type { BotRoute, Route, Severity, SlackConfig, WebhookRoute } from "./types.ts";
import {
  at,
  Checker,
  isObject,
  type JsonObject,
  parseJson,
  quote,
  unknownKeys,
} from "./validate.ts";

/** What {@link parseConfig} returns. */
export interface ParsedConfig {
  /** The validated configuration. */
  config: SlackConfig;
  /** Unknown keys and other things that do not stop the run. */
  warnings: string[];
}

/** Default number of reachability findings shown per destination. */
export const DEFAULT_MAX_FINDINGS = 45;

const TOP_KEYS = ["enabled", "mode", "url", "url_configs", "bot_configs", "max_findings", "levels"];
const ROUTE_KEYS = [
  "repos",
  "severities",
  "alert_types",
  "reachability_alerts_only",
  "always_send_reachability",
];
const BOT_KEYS = [...ROUTE_KEYS, "name", "channels", "threads"];
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;
const CHANNEL_NAME = /^[\p{Ll}\p{Lo}\p{N}_-][\p{Ll}\p{Lo}\p{N}._-]{0,79}$/u;

/**
 * Validates a parsed configuration object. Throws {@link ConfigError} with
 * every problem found; `source` names where the configuration came from.
 */
export function validateConfig(value: unknown, source: string): ParsedConfig {
  const check = new Checker();
  const warnings: string[] = [];
  if (!isObject(value)) {
    check.expected("", "a JSON object", value);
    throw new ConfigError(source, check.problems);
  }
  unknownKeys(value, TOP_KEYS, "", warnings);
  const enabled = check.optBoolean(value, "enabled", "") ?? true;
  const modeValue = value["mode"];
  let mode: "webhook" | "bot" | undefined = "webhook";
  if (modeValue === "bot" || modeValue === "webhook") mode = modeValue;
  else if (modeValue !== undefined && modeValue !== null) {
    check.expected("mode", '"webhook" or "bot"', modeValue);
    mode = undefined; // which destinations to check is unknown until the mode is fixed
  }
  check.optStrings(value, "levels", "");
  const maxFindings = readMaxFindings(value, check);

  let webhooks: WebhookRoute[] = [];
  let botRoutes: BotRoute[] = [];
  if (mode === "webhook") webhooks = readWebhooks(value, check, warnings, enabled);
  if (mode === "bot") botRoutes = readBotRoutes(value, check, warnings, enabled);
  if (check.failed || !mode) throw new ConfigError(source, check.problems, { warnings });
  return { config: { enabled, mode, webhooks, botRoutes, maxFindings }, warnings };
}

/**
 * Parses configuration JSON text and validates it. Invalid JSON is a
 * {@link ConfigError} naming `source` and the position.
 */
export function parseConfig(text: string, source: string): ParsedConfig {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new ConfigError(source, [parsed.problem]);
  return validateConfig(parsed.value, source);
}

/** The configuration `--slack-webhook URL` stands for: webhook mode, that URL, no filters. */
export function webhookShortcut(url: string): ParsedConfig {
  return validateConfig({ mode: "webhook", url }, "--slack-webhook");
}

function readMaxFindings(value: JsonObject, check: Checker): number {
  const v = value["max_findings"];
  if (v === undefined || v === null) return DEFAULT_MAX_FINDINGS;
  if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 500) return v;
  check.expected("max_findings", "an integer from 1 to 500", v);
  return DEFAULT_MAX_FINDINGS;
}

function readWebhooks(
  value: JsonObject,
  check: Checker,
  warnings: string[],
  enabled: boolean,
): WebhookRoute[] {
  const urls = readUrls(value["url"], check, enabled, warnings);
  const configs = value["url_configs"];
  let routes: JsonObject = {};
  if (configs !== undefined && configs !== null) {
    if (isObject(configs)) routes = configs;
    else check.expected("url_configs", "an object mapping webhook names to filters", configs);
  }
  const names = urls.map((u) => u.name);
  for (const key of Object.keys(routes)) {
    if (!names.includes(key)) {
      warnings.push(
        `${at("url_configs", key)}: no webhook is named ${
          quote(key)
        }, so these filters apply to nothing ` +
          `(webhooks: ${names.map(quote).join(", ") || "none"})`,
      );
    }
  }
  const seen = new Set<string>();
  return urls.map(({ name, url, path }) => {
    if (seen.has(name)) {
      check.fail(path, `duplicate webhook name ${quote(name)}: give each webhook its own name`);
    }
    seen.add(name);
    const routePath = at("url_configs", name);
    const raw = routes[name];
    const route = raw === undefined
      ? readRoute({}, routePath, check, warnings)
      : readRouteValue(raw, routePath, check, warnings);
    return { name, url, ...route };
  });
}

function readUrls(
  value: unknown,
  check: Checker,
  enabled: boolean,
  warnings: string[],
): Array<{ name: string; url: string; path: string }> {
  const out: Array<{ name: string; url: string; path: string }> = [];
  const expected = "a webhook URL, a list of URLs, or a list of {name, url} objects";
  if (value === undefined || value === null) {
    if (enabled) {
      check.fail("url", `expected ${expected} (webhook mode needs at least one webhook)`);
    }
    return out;
  }
  if (typeof value === "string") {
    if (checkWebhookUrl(value, "url", check)) {
      out.push({ name: "default", url: value, path: "url" });
    }
    return out;
  }
  if (!Array.isArray(value)) {
    check.expected("url", expected, value);
    return out;
  }
  if (value.length === 0 && enabled) check.fail("url", `expected ${expected}, got an empty array`);
  value.forEach((item, i) => {
    const path = at("url", i);
    if (typeof item === "string") {
      if (checkWebhookUrl(item, path, check)) out.push({ name: `webhook_${i}`, url: item, path });
      return;
    }
    if (!isObject(item)) {
      check.expected(path, "a URL or a {name, url} object", item);
      return;
    }
    const name = item["name"] === undefined || item["name"] === null
      ? `webhook_${i}`
      : check.reqString(item, "name", path, "a non-empty string");
    const url = item["url"];
    if (typeof url !== "string") {
      check.fail(
        at(path, "url"),
        `expected a webhook URL string, got ${url === undefined ? "nothing" : typeof url}`,
      );
      return;
    }
    unknownKeys(item, ["name", "url"], path, warnings);
    if (checkWebhookUrl(url, at(path, "url"), check) && name) out.push({ name, url, path });
  });
  return out;
}

/** True for a loopback host name or address (`localhost`, `127.x.x.x`, `[::1]`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) ||
    host === "::1";
}

/**
 * Why `url` is not acceptable for Slack traffic (https, or http to a
 * loopback host), or undefined when it is. Never quotes the URL: it may be a secret.
 */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "expected an absolute https URL, got a value that is not a URL";
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return undefined;
  if (parsed.protocol === "http:") {
    return "expected an https URL (plain http is allowed only for a loopback host such as 127.0.0.1)";
  }
  return `expected an https URL, got a ${parsed.protocol.replace(/:$/, "")}: URL`;
}

function checkWebhookUrl(url: string, path: string, check: Checker): boolean {
  const problem = urlProblem(url);
  if (problem) check.fail(path, problem);
  return !problem;
}

function readRouteValue(raw: unknown, path: string, check: Checker, warnings: string[]): Route {
  if (isObject(raw)) return readRoute(raw, path, check, warnings);
  check.expected(path, "an object of filters", raw);
  return readRoute({}, path, check, warnings);
}

function readRoute(
  raw: JsonObject,
  path: string,
  check: Checker,
  warnings: string[],
  botRoute = false,
): Route {
  if (!botRoute) unknownKeys(raw, ROUTE_KEYS, path, warnings);
  const repos = check.optStrings(raw, "repos", path) ?? [];
  const severities: Severity[] = [];
  (check.optStrings(raw, "severities", path) ?? []).forEach((word, i) => {
    const severity = normalizeSeverity(word);
    if (severity) severities.push(severity);
    else {check.expected(
        at(at(path, "severities"), i),
        '"critical", "high", "medium" (or "middle", "moderate") or "low"',
        word,
      );}
  });
  return {
    repos: repos.map((r) => r.trim().toLowerCase()),
    severities: [...new Set(severities)],
    alertTypes: (check.optStrings(raw, "alert_types", path) ?? []).map((t) =>
      t.trim().toLowerCase()
    ),
    reachabilityAlertsOnly: check.optBoolean(raw, "reachability_alerts_only", path) ?? false,
    alwaysSendReachability: check.optBoolean(raw, "always_send_reachability", path) ?? true,
  };
}

function readBotRoutes(
  value: JsonObject,
  check: Checker,
  warnings: string[],
  enabled: boolean,
): BotRoute[] {
  const raw = value["bot_configs"];
  const expected = "a non-empty array of bot routes ({name, channels, …})";
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    if (enabled) check.expected("bot_configs", `${expected} (bot mode needs at least one)`, raw);
    return [];
  }
  if (!Array.isArray(raw)) {
    check.expected("bot_configs", expected, raw);
    return [];
  }
  const routes: BotRoute[] = [];
  const names = new Set<string>();
  raw.forEach((item, i) => {
    const path = at("bot_configs", i);
    if (!isObject(item)) {
      check.expected(path, "a bot route object with channels", item);
      return;
    }
    unknownKeys(item, BOT_KEYS, path, warnings);
    const name = item["name"] === undefined || item["name"] === null
      ? `bot_config_${i}`
      : check.reqString(item, "name", path, "a non-empty string") ?? `bot_config_${i}`;
    if (names.has(name)) {
      check.fail(
        at(path, "name"),
        `duplicate route name ${quote(name)}: give each route its own name`,
      );
    }
    names.add(name);
    const channels = readChannels(item, path, check, warnings);
    const threads = check.optBoolean(item, "threads", path) ?? true;
    routes.push({ name, channels, threads, ...readRoute(item, path, check, warnings, true) });
  });
  return routes;
}

/** Normalises a channel reference: IDs as given; names without `#`, lower-cased. */
export function normalizeChannel(ref: string): string {
  const trimmed = ref.trim();
  if (CHANNEL_ID.test(trimmed)) return trimmed;
  return trimmed.replace(/^#/, "").toLowerCase();
}

/** True when a channel reference is a Slack channel ID (`C…`, `G…`, `D…`). */
export function isChannelId(ref: string): boolean {
  return CHANNEL_ID.test(ref);
}

function readChannels(
  item: JsonObject,
  path: string,
  check: Checker,
  warnings: string[],
): string[] {
  const value = item["channels"];
  const cpath = at(path, "channels");
  if (!Array.isArray(value) || value.length === 0) {
    check.expected(cpath, "a non-empty array of strings", value);
    return [];
  }
  const channels: string[] = [];
  value.forEach((ref, i) => {
    if (typeof ref !== "string") {
      check.expected(at(cpath, i), "a channel name or ID string", ref);
      return;
    }
    const channel = normalizeChannel(ref);
    if (!isChannelId(channel) && !CHANNEL_NAME.test(channel)) {
      check.expected(
        at(cpath, i),
        "a channel ID (C0123456789) or name (lower-case letters, digits, - and _, at most 80)",
        ref,
      );
      return;
    }
    if (channels.includes(channel)) {
      warnings.push(
        `${at(cpath, i)}: channel "${channel}" is listed twice; it gets each message once`,
      );
      return;
    }
    channels.push(channel);
  });
  return channels;
}

/** Problems with a bot token: missing, or not a bot token (`xoxb-`). The token is never quoted. */
export function botTokenProblem(token: string | undefined): Problem | undefined {
  if (token === undefined || token.trim() === "") {
    return {
      path: "SOCKET_SLACK_BOT_TOKEN",
      message:
        "not set: bot mode needs the Slack app's Bot User OAuth Token (xoxb-…) in this variable",
    };
  }
  if (!token.trim().startsWith("xoxb-")) {
    return {
      path: "SOCKET_SLACK_BOT_TOKEN",
      message:
        'is not a bot token: expected a value starting with "xoxb-" (the Bot User OAuth Token, ' +
        "not a user or app-level token)",
    };
  }
  return undefined;
}
