/**
 * A local imitation of Slack for tests and demos: a real HTTP server on
 * 127.0.0.1 that answers the Web API methods the notifier uses
 * (`auth.test`, `chat.postMessage`, `conversations.list`) and incoming
 * webhooks, following Slack's rules for channels, blocks, threads and rate
 * limits. Faults (5xx, 429, timeouts, resets, Slack errors) can be injected,
 * and every request and every accepted message is recorded for assertions.
 *
 * It uses `node:http` and web APIs only, so it runs under Deno and, compiled,
 * under Node.
 *
 * @example Post a message to an emulated channel
 * ```ts
 * import { startSlackEmulator } from "./slack_emulator.ts";
 *
 * const slack = await startSlackEmulator({
 *   channels: [{ id: "C0000000001", name: "alerts" }],
 * });
 * try {
 *   const res = await fetch(`${slack.apiUrl}/chat.postMessage`, {
 *     method: "POST",
 *     headers: {
 *       "authorization": "Bearer xoxb-test-token",
 *       "content-type": "application/json; charset=utf-8",
 *     },
 *     body: JSON.stringify({ channel: "#alerts", text: "Hello" }),
 *   });
 *   console.log(await res.json()); // { ok: true, channel: "C0000000001", ts: "1700000000.000100", … }
 *   console.log(slack.posted.length); // 1
 * } finally {
 *   await slack.close();
 * }
 * ```
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A channel the emulated workspace has. */
export interface EmulatorChannel {
  /** Channel ID, e.g. `C0000000001` (`G…` for a private channel). */
  id: string;
  /** Lower-case name without `#`. */
  name: string;
  /** Private: visible (by name, in `conversations.list`, for posting) only when the bot is a member. */
  isPrivate?: boolean;
  /** Whether the bot is in the channel (default `true`); `false` makes `chat.postMessage` answer `not_in_channel`. */
  isMember?: boolean;
  /** Archived: `chat.postMessage` answers `is_archived`; `conversations.list` leaves it out when `exclude_archived=true`. */
  isArchived?: boolean;
  /**
   * Whether posting with the name works (default `true`). `false` makes a post
   * by name answer `channel_not_found`: only the ID works, found through
   * `conversations.list`.
   */
  resolvableByName?: boolean;
}

/** An incoming webhook the emulated workspace has. */
export interface EmulatorWebhook {
  /** Path it is served at (`POST {url}{path}`), e.g. `/services/T000/B000/XXXX`. */
  path: string;
  /** Channel the webhook posts to; informational only. */
  channel?: string;
  /** A dead webhook answers this error to every post (`no_service` 404, `channel_not_found` 404, `channel_is_archived` 410, `action_prohibited` 403). */
  dead?: "no_service" | "channel_not_found" | "channel_is_archived" | "action_prohibited";
}

/**
 * A failure to inject. `times` is how many matching requests get it (default:
 * every one, forever).
 */
export type Fault =
  /** Answer this HTTP status (e.g. 500, or 502 with an HTML page). */
  | { kind: "status"; status: number; body?: string; contentType?: string; times?: number }
  /** Answer 429, with a `Retry-After` header of `retryAfter` seconds (none when `null` or absent). */
  | { kind: "ratelimit"; retryAfter?: number | null; times?: number }
  /** Accept the request and never answer: the socket is held until `close()`. */
  | { kind: "timeout"; times?: number }
  /** Destroy the socket without answering. */
  | { kind: "reset"; times?: number }
  /** Answer a Slack error: HTTP 200 `{"ok":false,"error":…}` on the Web API, a plain-text error on a webhook. */
  | { kind: "slack_error"; error: string; times?: number };

/** A fault and the requests it applies to (all requests when `match` is absent). */
export interface FaultRule {
  /** The failure to inject. */
  fault: Fault;
  /** Which requests get the fault; every given field must match. */
  match?: {
    /** Request path, e.g. `/api/chat.postMessage` or a webhook path. */
    path?: string;
    /** The `channel` field of the request body (JSON or form). */
    channel?: string;
  };
}

/** How to set up an emulator. */
export interface EmulatorOptions {
  /** Port to listen on; default 0, a random free port. */
  port?: number;
  /** Valid bot tokens; default `["xoxb-test-token"]`. */
  tokens?: string[];
  /** Channels of the workspace. */
  channels?: EmulatorChannel[];
  /** Incoming webhooks of the workspace. */
  webhooks?: EmulatorWebhook[];
  /**
   * Largest page `conversations.list` answers, whatever `limit` asks; default
   * 2, so that clients must follow `next_cursor`.
   */
  pageSize?: number;
  /**
   * Minimum spacing in ms between posts to the same channel or webhook; a
   * faster post gets 429 with `Retry-After`. Default 0: off. No burst is allowed.
   */
  rateLimitMs?: number;
  /** Faults to inject, checked in order before normal handling. */
  faults?: FaultRule[];
  /**
   * Clock in ms used for rate limiting and `RecordedRequest.at`; default
   * `performance.now()`. Share a virtual clock with the client under test to
   * check its pacing without real waiting.
   */
  now?: () => number;
}

/** One request the emulator received. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path, without the query string. */
  path: string;
  /** Query parameters (the last value wins when one is repeated). */
  query: Record<string, string>;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** Raw body, decoded as UTF-8. */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** When the request arrived, in ms of the emulator's clock. */
  at: number;
  /** HTTP status the emulator answered; 0 if it did not answer (timeout or reset fault). */
  status: number;
}

/** A message the emulator accepted. */
export interface PostedMessage {
  /** How it was posted. */
  via: "bot" | "webhook";
  /** Channel ID for a bot post, webhook path for a webhook post. */
  channel: string;
  /** Timestamp Slack gave the message. */
  ts: string;
  /** Parent message of the thread it was posted in, if any. */
  threadTs?: string;
  /** Fallback text, if any. */
  text?: string;
  /** Blocks, empty when none. */
  blocks: unknown[];
}

/** A running emulator. */
export interface SlackEmulator {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Web API base, `url + "/api"`. */
  readonly apiUrl: string;
  /** Full URL of the webhook served at `path`. */
  webhookUrl(path: string): string;
  /** Every request received, faulted ones included, in order of arrival. */
  readonly requests: RecordedRequest[];
  /** Every message accepted, in order. */
  readonly posted: PostedMessage[];
  /** Adds a fault rule after the existing ones. */
  addFault(rule: FaultRule): void;
  /** Changes a channel while running, e.g. `{ isMember: false }` to remove the bot. */
  setChannel(id: string, patch: Partial<EmulatorChannel>): void;
  /** Clears `requests` and `posted`; channels, threads, faults and rate-limit state stay. */
  reset(): void;
  /** Stops the server and destroys every open or held connection. */
  close(): Promise<void>;
}

const DEFAULT_TOKENS = ["xoxb-test-token"];
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_TEXT = 40_000;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const JSON_TYPE = "application/json; charset=utf-8";
const TEXT_TYPE = "text/plain; charset=utf-8";
const AUTH_TEST = {
  ok: true,
  url: "https://emulated.slack.com/",
  team: "Emulated",
  user: "socket-bot",
  team_id: "T00000001",
  user_id: "U00000001",
  bot_id: "B00000001",
};
const WEBHOOK_ERROR_STATUS: Record<string, number> = {
  no_service: 404,
  channel_not_found: 404,
  channel_is_archived: 410,
  action_prohibited: 403,
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface ActiveFault {
  rule: FaultRule;
  /** Matching requests still to fault; `undefined` for forever. */
  remaining: number | undefined;
}

interface Incoming {
  record: RecordedRequest;
  /** Query and form fields, then JSON body fields (Web API parameters). */
  params: Record<string, unknown>;
  /** Why the body could not be read as parameters, as a Slack error code. */
  bodyError?: string;
  contentType: string;
}

/** The result of checking a message's text and blocks: its blocks, or a Slack error code. */
type Content = { text?: string; blocks: unknown[] } | { error: string };

/** Starts an emulator on 127.0.0.1; resolves once it listens, rejects on invalid options or a busy port. */
export async function startSlackEmulator(
  options: EmulatorOptions = {},
): Promise<SlackEmulator> {
  const now = options.now ?? (() => performance.now());
  const tokens = new Set(options.tokens ?? DEFAULT_TOKENS);
  const pageSize = Math.max(1, options.pageSize ?? 2);
  const rateLimitMs = options.rateLimitMs ?? 0;
  const channels = new Map<string, EmulatorChannel>();
  for (const channel of options.channels ?? []) {
    if (channels.has(channel.id)) {
      throw new Error(`Duplicate emulator channel "${channel.id}": give each channel its own ID`);
    }
    channels.set(channel.id, { ...channel });
  }
  const webhooks = new Map<string, EmulatorWebhook>();
  for (const hook of options.webhooks ?? []) {
    if (!hook.path.startsWith("/")) {
      throw new Error(`Invalid emulator webhook path "${hook.path}": start it with "/"`);
    }
    webhooks.set(hook.path, { ...hook });
  }
  const faults: ActiveFault[] = [];
  const addFault = (rule: FaultRule): void => {
    faults.push({ rule, remaining: rule.fault.times });
  };
  (options.faults ?? []).forEach(addFault);

  const requests: RecordedRequest[] = [];
  const posted: PostedMessage[] = [];
  // Kept apart from `posted` so that reset() does not break threads in progress.
  const messageTs = new Map<string, Set<string>>();
  const lastPostAt = new Map<string, number>();
  const sockets = new Set<Socket>();
  let tsSeq = 0;

  const nextTs = (): string => {
    tsSeq += 1;
    const micros = tsSeq * 100;
    const seconds = 1_700_000_000 + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };

  const takeFault = (incoming: Incoming): Fault | undefined => {
    const channel = incoming.params.channel;
    for (const active of faults) {
      const match = active.rule.match;
      if (active.remaining !== undefined && active.remaining <= 0) continue;
      if (match?.path !== undefined && match.path !== incoming.record.path) continue;
      if (match?.channel !== undefined && match.channel !== channel) continue;
      if (active.remaining !== undefined) active.remaining -= 1;
      return active.rule.fault;
    }
    return undefined;
  };

  /**
   * The `Retry-After` seconds to answer when the previous accepted or limited
   * post to `key` is too recent; `undefined` when the post may go on.
   */
  const rateLimit = (key: string, at: number): number | undefined => {
    if (rateLimitMs <= 0) return undefined;
    const last = lastPostAt.get(key);
    if (last !== undefined && at - last < rateLimitMs) {
      // A limited post restarts the window, so the honest wait is a whole window.
      lastPostAt.set(key, at);
      return Math.max(1, Math.ceil(rateLimitMs / 1000));
    }
    return undefined;
  };

  const accept = (message: PostedMessage, key: string, at: number): void => {
    posted.push(message);
    lastPostAt.set(key, at);
    let known = messageTs.get(message.channel);
    if (!known) messageTs.set(message.channel, known = new Set());
    known.add(message.ts);
  };

  const visible = (channel: EmulatorChannel): boolean =>
    !channel.isPrivate || (channel.isMember ?? true);

  const findForPost = (ref: string): EmulatorChannel | undefined => {
    if (CHANNEL_ID.test(ref)) {
      const channel = channels.get(ref);
      return channel && visible(channel) ? channel : undefined;
    }
    const name = ref.startsWith("#") ? ref.slice(1) : ref;
    for (const channel of channels.values()) {
      if (channel.name !== name) continue;
      if (channel.resolvableByName === false || !visible(channel)) return undefined;
      return channel;
    }
    return undefined;
  };

  const postMessage = (incoming: Incoming): Answer => {
    const { params, record } = incoming;
    const ref = params.channel;
    const channel = typeof ref === "string" && ref !== "" ? findForPost(ref) : undefined;
    if (!channel) return slackError("channel_not_found");
    if (channel.isArchived) return slackError("is_archived");
    if (!(channel.isMember ?? true)) return slackError("not_in_channel");
    const key = `bot:${channel.id}`;
    const retryAfter = rateLimit(key, record.at);
    if (retryAfter !== undefined) return rateLimited(retryAfter, false);
    const content = readContent(params.text, params.blocks);
    if ("error" in content) return slackError(content.error);
    const threadTs = params.thread_ts;
    if (threadTs !== undefined && threadTs !== "") {
      if (typeof threadTs !== "string" || !messageTs.get(channel.id)?.has(threadTs)) {
        return slackError("thread_not_found");
      }
    }
    const ts = nextTs();
    const message: PostedMessage = {
      via: "bot",
      channel: channel.id,
      ts,
      blocks: content.blocks,
    };
    if (typeof threadTs === "string" && threadTs !== "") message.threadTs = threadTs;
    if (content.text !== undefined) message.text = content.text;
    accept(message, key, record.at);
    return json(200, {
      ok: true,
      channel: channel.id,
      ts,
      message: {
        type: "message",
        text: content.text ?? "",
        user: AUTH_TEST.user_id,
        bot_id: AUTH_TEST.bot_id,
        team: AUTH_TEST.team_id,
        ts,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        ...(content.blocks.length > 0 ? { blocks: content.blocks } : {}),
      },
    });
  };

  const listConversations = (incoming: Incoming): Answer => {
    const { params } = incoming;
    const types = new Set(
      String(params.types ?? "public_channel").split(",").map((t) => t.trim()),
    );
    const excludeArchived = params.exclude_archived === true ||
      params.exclude_archived === "true" || params.exclude_archived === "1";
    let limit = DEFAULT_LIST_LIMIT;
    if (params.limit !== undefined && params.limit !== "") {
      limit = Number(params.limit);
      if (!Number.isInteger(limit) || limit < 0) return slackError("invalid_limit");
      if (limit === 0) limit = DEFAULT_LIST_LIMIT;
    }
    limit = Math.min(limit, pageSize, MAX_LIST_LIMIT);
    let offset = 0;
    if (params.cursor !== undefined && params.cursor !== "") {
      const decoded = decodeCursor(params.cursor);
      if (decoded === undefined) return slackError("invalid_cursor");
      offset = decoded;
    }
    const listed = [...channels.values()].filter((channel) =>
      (channel.isPrivate
        ? types.has("private_channel") && (channel.isMember ?? true)
        : types.has("public_channel")) &&
      !(excludeArchived && channel.isArchived)
    );
    const page = listed.slice(offset, offset + limit);
    const next = offset + limit < listed.length ? encodeCursor(offset + limit) : "";
    return json(200, {
      ok: true,
      channels: page.map((channel) => ({
        id: channel.id,
        name: channel.name,
        is_private: channel.isPrivate ?? false,
        is_member: channel.isMember ?? true,
        is_archived: channel.isArchived ?? false,
      })),
      response_metadata: { next_cursor: next },
    });
  };

  const methods: Record<string, (incoming: Incoming) => Answer> = {
    "auth.test": () => json(200, AUTH_TEST),
    "chat.postMessage": postMessage,
    "conversations.list": listConversations,
  };

  const webApi = (incoming: Incoming): Answer => {
    const method = incoming.record.path.slice("/api/".length);
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) return json(404, { ok: false, error: "unknown_method" });
    if (incoming.bodyError) return slackError(incoming.bodyError);
    const bearer = /^Bearer\s+(\S+)$/i.exec(incoming.record.headers.authorization ?? "");
    const token = bearer?.[1] ?? incoming.params.token;
    if (typeof token !== "string" || token === "") return slackError("not_authed");
    if (!tokens.has(token)) return slackError("invalid_auth");
    return handler(incoming);
  };

  const webhook = (incoming: Incoming): Answer => {
    const { record } = incoming;
    const hook = webhooks.get(record.path);
    if (!hook) return text(404, "no_service");
    if (hook.dead) return text(WEBHOOK_ERROR_STATUS[hook.dead], hook.dead);
    if (record.method !== "POST") return text(400, "invalid_payload");
    const key = `webhook:${hook.path}`;
    const retryAfter = rateLimit(key, record.at);
    if (retryAfter !== undefined) return rateLimited(retryAfter, true);
    const payload = readWebhookPayload(incoming);
    if (!isObject(payload)) return text(400, "invalid_payload");
    const content = readContent(payload.text, payload.blocks);
    if ("error" in content) return text(400, content.error);
    const message: PostedMessage = {
      via: "webhook",
      channel: hook.path,
      ts: nextTs(),
      blocks: content.blocks,
    };
    if (content.text !== undefined) message.text = content.text;
    accept(message, key, record.at);
    return text(200, "ok");
  };

  const faultAnswer = (fault: Fault, isWebhook: boolean): Answer | "hold" | "reset" => {
    switch (fault.kind) {
      case "status":
        return {
          status: fault.status,
          headers: { "content-type": fault.contentType ?? TEXT_TYPE },
          body: fault.body ?? `Emulated HTTP ${fault.status}`,
        };
      case "ratelimit":
        return rateLimited(fault.retryAfter ?? undefined, isWebhook);
      case "timeout":
        return "hold";
      case "reset":
        return "reset";
      case "slack_error":
        return isWebhook
          ? text(WEBHOOK_ERROR_STATUS[fault.error] ?? 400, fault.error)
          : slackError(fault.error);
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse, at: number, body: string): void => {
    const incoming = readIncoming(req, at, body);
    const { record } = incoming;
    requests.push(record);
    const isApi = record.path.startsWith("/api/");
    const fault = takeFault(incoming);
    const answer = fault
      ? faultAnswer(fault, !isApi)
      : isApi
      ? webApi(incoming)
      : webhook(incoming);
    if (answer === "hold") return; // The socket stays open until close() destroys it.
    if (answer === "reset") {
      req.socket.destroy();
      return;
    }
    record.status = answer.status;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    const at = now();
    const decoder = new TextDecoder();
    let body = "";
    req.on("data", (chunk: Uint8Array) => {
      body += decoder.decode(chunk, { stream: true });
    });
    req.on("end", () => handle(req, res, at, body + decoder.decode()));
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}/api`,
    webhookUrl: (path: string): string => `${url}${path.startsWith("/") ? "" : "/"}${path}`,
    requests,
    posted,
    addFault,
    setChannel(id: string, patch: Partial<EmulatorChannel>): void {
      const channel = channels.get(id);
      if (!channel) {
        throw new Error(`Unknown emulator channel "${id}": add it in the "channels" option`);
      }
      channels.set(id, { ...channel, ...patch, id });
    },
    reset(): void {
      requests.length = 0;
      posted.length = 0;
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((done) => {
        // close() alone waits for keep-alive and held connections to end.
        server.close(() => done());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function readIncoming(req: IncomingMessage, at: number, body: string): Incoming {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const record: RecordedRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query,
    headers,
    body,
    at,
    status: 0,
  };
  const contentType = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const params: Record<string, unknown> = { ...query };
  let bodyError: string | undefined;
  if (contentType === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(body)) params[name] = value;
  } else if (body.trim() !== "") {
    try {
      record.json = JSON.parse(body);
    } catch {
      // Not JSON: said below for the Web API; a webhook answers invalid_payload.
    }
    if (contentType !== "application/json") bodyError = "invalid_post_type";
    else if (record.json === undefined) bodyError = "invalid_json";
    else if (!isObject(record.json)) bodyError = "json_not_object";
    else Object.assign(params, record.json);
  }
  return { record, params, bodyError, contentType };
}

function readWebhookPayload(incoming: Incoming): unknown {
  const { record, contentType } = incoming;
  if (contentType === "application/x-www-form-urlencoded") {
    const payload = incoming.params.payload;
    if (typeof payload !== "string") return undefined;
    try {
      return JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  return record.json;
}

/** Checks text and blocks the way Slack does for both bot and webhook posts. */
function readContent(text: unknown, rawBlocks: unknown): Content {
  let blocks: unknown = rawBlocks;
  if (typeof blocks === "string") {
    // Form bodies carry blocks as a JSON string.
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return { error: "invalid_blocks" };
    }
  }
  if (blocks !== undefined && blocks !== null && !validBlocks(blocks)) {
    return { error: "invalid_blocks" };
  }
  const list = Array.isArray(blocks) ? blocks : [];
  if (text !== undefined && text !== null && typeof text !== "string") {
    return { error: "invalid_arguments" };
  }
  const hasText = typeof text === "string" && text !== "";
  if (!hasText && list.length === 0) return { error: "no_text" };
  if (hasText && text.length > MAX_TEXT) return { error: "msg_too_long" };
  return hasText ? { text, blocks: list } : { blocks: list };
}

function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return false;
  return blocks.every((block) => {
    if (!isObject(block) || typeof block.type !== "string" || block.type === "") return false;
    if (block.type !== "section" || block.text === undefined) return true;
    return isObject(block.text) && typeof block.text.text === "string" &&
      block.text.text.length <= MAX_SECTION_TEXT;
  });
}

function encodeCursor(offset: number): string {
  return btoa(`offset:${offset}`);
}

function decodeCursor(cursor: unknown): number | undefined {
  if (typeof cursor !== "string") return undefined;
  try {
    const match = /^offset:(\d+)$/.exec(atob(cursor));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function json(status: number, value: unknown): Answer {
  return { status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(value) };
}

function text(status: number, body: string): Answer {
  return { status, headers: { "content-type": TEXT_TYPE }, body };
}

function slackError(error: string): Answer {
  return json(200, { ok: false, error });
}

function rateLimited(retryAfter: number | undefined, isWebhook: boolean): Answer {
  const answer = isWebhook ? text(429, "rate_limited") : json(429, {
    ok: false,
    error: "ratelimited",
  });
  if (retryAfter !== undefined) answer.headers["retry-after"] = String(retryAfter);
  return answer;
}
