/**
 * Bot mode: `chat.postMessage` with a bot token, channels by ID or by name
 * (resolved once per run through `conversations.list` when Slack does not
 * know the name), parts 2..n threaded under part 1, and Slack's error codes
 * sorted into what stops the run, a channel, or a message.
 *
 * @module
 */

import { isChannelId } from "./config.ts";
import {
  type HttpAnswer,
  type Outcome,
  SKIPPED,
  type Transport,
  type Verdict,
} from "./transport.ts";
import type { DeliveryEntry, Message, MessageKind } from "./types.ts";

/** Slack's Web API base. */
export const DEFAULT_API_URL = "https://slack.com/api";

/** Errors that make every later post fail the same way: the run stops. */
const AUTH_ERRORS = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "not_allowed_token_type",
  "missing_scope",
]);

/** Errors that concern one channel: its remaining messages fail, other channels go on. */
const CHANNEL_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "restricted_action",
  "team_not_found",
]);

/** Errors Slack says are worth trying again. */
const RETRY_ERRORS = new Set([
  "ratelimited",
  "service_unavailable",
  "internal_error",
  "fatal_error",
  "request_timeout",
]);

/** How far a Slack error reaches. */
export type ErrorScope = "auth" | "channel" | "message";

/** The scope of a Slack error code: the whole run, one channel, or one message. */
export function errorScope(code: string): ErrorScope {
  // A 401 or 403 without Slack's JSON (a proxy, a wrong API URL) refuses every later call too.
  if (AUTH_ERRORS.has(code) || code === "http_401" || code === "http_403") return "auth";
  if (CHANNEL_ERRORS.has(code)) return "channel";
  return "message";
}

/** What to do about a Slack Web API error. */
export function botHint(code: string, needed?: string): string {
  switch (code) {
    case "not_authed":
    case "invalid_auth":
    case "not_allowed_token_type":
      return "check SOCKET_SLACK_BOT_TOKEN: it must be the Bot User OAuth Token (xoxb-…) of the installed Slack app";
    case "account_inactive":
    case "token_revoked":
    case "token_expired":
      return "the token no longer works: reinstall the Slack app and update SOCKET_SLACK_BOT_TOKEN";
    case "no_permission":
      return "the app lacks a permission for this workspace: ask a Slack admin to approve it";
    case "missing_scope":
      return `add the ${
        needed ? `${needed} scope` : "missing scope (chat:write)"
      } to the Slack app and reinstall it`;
    case "channel_not_found":
      return "invite the bot to the channel (/invite @your-bot), or grant channels:read and groups:read so " +
        "names can be resolved, or use the channel ID";
    case "not_in_channel":
      return "invite the bot: /invite @your-bot";
    case "is_archived":
      return "the channel is archived: unarchive it or route to another channel";
    case "restricted_action":
      return "posting is restricted in this channel: allow the app to post, or route to another channel";
    case "team_not_found":
      return "the channel belongs to another workspace: use a channel of the app's workspace";
    case "ratelimited":
      return "Slack kept rate-limiting: try again later";
    case "http_401":
    case "http_403":
      return "the Web API refused the request: check SOCKET_SLACK_BOT_TOKEN and SOCKET_SLACK_API_URL";
    default:
      if (code.startsWith("http_")) {
        return "check SOCKET_SLACK_API_URL (default https://slack.com/api)";
      }
      return "Slack rejected the message: report this with the --dry-run --json output";
  }
}

/** A Web API answer: `ok` with its fields, or Slack's error code. */
export type ApiResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; error: string; needed?: string; status?: number };

function interpret(answer: HttpAnswer): Verdict<ApiResult> {
  if (answer.status >= 500) return { retry: `HTTP ${answer.status}` };
  let data: unknown;
  try {
    data = JSON.parse(answer.body);
  } catch {
    if (answer.status >= 400) {
      return { done: { ok: false, error: `http_${answer.status}`, status: answer.status } };
    }
    return { retry: `HTTP ${answer.status} with a body that is not JSON` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { retry: `HTTP ${answer.status} with an unexpected body` };
  }
  const body = data as Record<string, unknown>;
  if (body.ok === true) return { done: { ok: true, data: body } };
  const error = typeof body.error === "string" ? body.error : `http_${answer.status}`;
  if (RETRY_ERRORS.has(error)) return { retry: error };
  const needed = typeof body.needed === "string" ? body.needed : undefined;
  return { done: { ok: false, error, needed, status: answer.status } };
}

/** A channel as `conversations.list` lists it. */
export interface ListedChannel {
  /** Channel ID. */
  id: string;
  /** Channel name. */
  name: string;
  /** Whether the bot is a member. */
  isMember: boolean;
  /** Whether the channel is archived. */
  isArchived: boolean;
  /** Whether the channel is private. */
  isPrivate: boolean;
}

/** A Web API client for one run: the token, the base URL and the run's transport. */
export class SlackApi {
  readonly #transport: Transport;
  readonly #apiUrl: string;
  readonly #token: string;
  /**
   * The auth error that stopped the run, if one did. Set as the answer is read,
   * before any other request can take the freed slot, so nothing more goes out.
   */
  authFailure?: string;
  readonly #lists = new Map<
    boolean,
    Promise<Outcome<ApiResult> & { channels?: ListedChannel[] }>
  >();

  /** Creates the client; `apiUrl` has no trailing slash requirement. */
  constructor(transport: Transport, apiUrl: string, token: string) {
    this.#transport = transport;
    this.#apiUrl = apiUrl.replace(/\/+$/, "");
    this.#token = token;
  }

  #call(
    method: string,
    key: string | (() => string),
    label: string,
    body?: Record<string, unknown>,
    query?: string,
    onOk?: (data: Record<string, unknown>) => void,
  ) {
    return this.#transport.request({
      key,
      label,
      url: `${this.#apiUrl}/${method}${query ? `?${query}` : ""}`,
      method: body ? "POST" : "GET",
      headers: {
        Authorization: `Bearer ${this.#token}`,
        ...(body ? { "Content-Type": "application/json; charset=utf-8" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      skip: () => this.authFailure !== undefined,
      // onOk runs inside the request's pacing turn, before the next post to the channel may start.
      interpret: (answer) => {
        const verdict = interpret(answer);
        if ("done" in verdict) {
          const result = verdict.done;
          if (result.ok) onOk?.(result.data);
          else if (errorScope(result.error) === "auth") this.authFailure ??= result.error;
        }
        return verdict;
      },
    });
  }

  /**
   * `chat.postMessage`, paced per channel (`key`). `onChannel` learns the
   * channel's ID from Slack's answer before the channel's next post may go.
   */
  postMessage(
    channel: string,
    message: Message,
    threadTs: string | undefined,
    key: string | (() => string),
    label: string,
    onChannel?: (id: string) => void,
  ): Promise<Outcome<ApiResult>> {
    const learn = onChannel && ((data: Record<string, unknown>) => {
      if (typeof data.channel === "string" && isChannelId(data.channel)) onChannel(data.channel);
    });
    return this.#call(
      "chat.postMessage",
      key,
      label,
      {
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
      undefined,
      learn,
    );
  }

  /** `auth.test`. */
  authTest(): Promise<Outcome<ApiResult>> {
    return this.#call("auth.test", "", "auth.test", {});
  }

  /**
   * Every channel the bot can see, following `next_cursor`; fetched once per
   * run (per archived/not archived), however many names need resolving.
   */
  listChannels(
    includeArchived = false,
  ): Promise<Outcome<ApiResult> & { channels?: ListedChannel[] }> {
    let listing = this.#lists.get(includeArchived);
    if (!listing) {
      listing = this.#listAll(includeArchived);
      this.#lists.set(includeArchived, listing);
    }
    return listing;
  }

  async #listAll(
    includeArchived: boolean,
  ): Promise<Outcome<ApiResult> & { channels?: ListedChannel[] }> {
    const channels: ListedChannel[] = [];
    let cursor = "";
    let attempts = 0;
    for (let page = 1;; page++) {
      const query = new URLSearchParams({
        types: "public_channel,private_channel",
        exclude_archived: includeArchived ? "false" : "true",
        limit: "1000",
        ...(cursor ? { cursor } : {}),
      });
      const outcome = await this.#call(
        "conversations.list",
        "",
        `conversations.list page ${page}`,
        undefined,
        `${query}`,
      );
      attempts += outcome.attempts;
      if (!outcome.ok || !outcome.value.ok) return { ...outcome, attempts };
      const data = outcome.value.data;
      for (const c of Array.isArray(data.channels) ? data.channels : []) {
        if (
          typeof c !== "object" || c === null || typeof c.id !== "string" ||
          typeof c.name !== "string"
        ) continue;
        channels.push({
          id: c.id,
          name: c.name,
          isMember: c.is_member === true,
          isArchived: c.is_archived === true,
          isPrivate: c.is_private === true,
        });
      }
      const meta = data.response_metadata as { next_cursor?: unknown } | undefined;
      cursor = typeof meta?.next_cursor === "string" ? meta.next_cursor : "";
      if (!cursor) return { ...outcome, attempts, channels };
    }
  }
}

/** State shared by the bot lanes of one run. */
export interface BotRun {
  /** The client. */
  api: SlackApi;
  /** The run's transport, to tie a channel's name to its ID for pacing. */
  transport: Transport;
  /** Channel IDs learned so far, by channel name. */
  ids: Map<string, string>;
}

/** A channel failure: the lane's remaining messages fail with it. */
interface Failure {
  error: string;
  hint: string;
  httpStatus?: number;
}

/**
 * Sends one bot destination's messages in order: by name first (by ID once
 * known), resolving a name Slack does not know, threading parts 2..n under
 * part 1 when the route wants threads.
 */
export async function sendBotLane(
  run: BotRun,
  destination: { channel: string; threads: boolean; name: string },
  items: Array<{ message: Message; entry: DeliveryEntry }>,
  emit: (entry: DeliveryEntry) => void,
  debug: (line: string) => void,
): Promise<void> {
  const ref = destination.channel;
  const isName = !isChannelId(ref);
  let resolved = false;
  let channelFailure: Failure | undefined;
  const threads = new Map<MessageKind, { channel: string; ts: string }>();
  // Posts are paced per channel: by its ID once known (shared with lanes that name the channel by
  // ID, or by the same name), by its name until then.
  const paceKey = () => (isName ? run.ids.get(ref) ?? `#${ref}` : ref);
  const learn = (id: string) => {
    if (!isName || run.ids.get(ref) === id) return;
    run.ids.set(ref, id);
    run.transport.link(`#${ref}`, id);
  };
  const failedMessages = new Set<MessageKind>();

  for (const { message, entry } of items) {
    if (run.api.authFailure) {
      Object.assign(entry, {
        status: "skipped",
        attempts: 0,
        reason: `auth failed (${run.api.authFailure})`,
      });
      emit(entry);
      continue;
    }
    if (channelFailure) {
      Object.assign(entry, { status: "failed", attempts: 0, ...channelFailure });
      emit(entry);
      continue;
    }
    if (failedMessages.has(entry.kind)) {
      Object.assign(entry, {
        status: "skipped",
        attempts: 0,
        reason: "an earlier part of this message failed",
      });
      emit(entry);
      continue;
    }
    const thread = entry.part > 1 && destination.threads ? threads.get(entry.kind) : undefined;
    const label = `${destination.name} ${entry.kind} ${entry.part}/${entry.parts}`;
    let attempts = 0;
    let outcome: Outcome<ApiResult>;
    for (;;) {
      const target = thread?.channel ?? (isName ? run.ids.get(ref) : undefined) ?? ref;
      outcome = await run.api.postMessage(target, message, thread?.ts, paceKey, label, learn);
      attempts += outcome.attempts;
      const notFound = outcome.ok && !outcome.value.ok &&
        outcome.value.error === "channel_not_found";
      if (!notFound || !isName || resolved || isChannelId(target)) break;
      // Slack did not take the name: look it up once, then post to the ID.
      resolved = true;
      const found = await resolveName(run, ref, debug);
      attempts += found.attempts;
      if (found.failure) {
        channelFailure = found.failure;
        break;
      }
      if (!found.id) break;
      learn(found.id);
    }
    entry.attempts = attempts;
    if (!outcome.ok && outcome.reason === SKIPPED && run.api.authFailure) {
      // Queued behind requests that found the token refused: it never went out.
      Object.assign(entry, { status: "skipped", reason: `auth failed (${run.api.authFailure})` });
      emit(entry);
      continue;
    }
    if (channelFailure) {
      Object.assign(entry, { status: "failed", ...channelFailure });
      emit(entry);
      continue;
    }
    if (!outcome.ok) {
      // Retries did not help: later posts to this channel would wait and fail the same way.
      channelFailure = { error: outcome.reason, hint: outcome.hint, httpStatus: outcome.status };
      Object.assign(entry, { status: "failed", ...channelFailure });
      emit(entry);
      continue;
    }
    const result = outcome.value;
    if (result.ok) {
      const channel = typeof result.data.channel === "string" ? result.data.channel : ref;
      const ts = typeof result.data.ts === "string" ? result.data.ts : undefined;
      if (isChannelId(channel)) learn(channel);
      if (entry.part === 1 && ts) threads.set(entry.kind, { channel, ts });
      Object.assign(entry, { status: "sent", channel, ...(ts ? { ts } : {}) });
      emit(entry);
      continue;
    }
    const failure: Failure = { error: result.error, hint: botHint(result.error, result.needed) };
    if (result.status && result.status !== 200) failure.httpStatus = result.status;
    Object.assign(entry, { status: "failed" }, failure);
    const scope = errorScope(result.error);
    if (scope === "channel") channelFailure = failure;
    else failedMessages.add(entry.kind);
    emit(entry);
  }
}

/** Looks a channel name up in the run's (single) channel listing. */
async function resolveName(
  run: BotRun,
  name: string,
  debug: (line: string) => void,
): Promise<{ id?: string; attempts: number; failure?: Failure }> {
  debug(`#${name}: Slack does not know the name; resolving it through conversations.list`);
  const listing = await run.api.listChannels();
  if (!listing.ok) {
    return {
      attempts: listing.attempts,
      failure: { error: listing.reason, hint: listing.hint, httpStatus: listing.status },
    };
  }
  if (!listing.value.ok) {
    const { error, needed } = listing.value;
    if (error === "missing_scope") {
      return {
        attempts: listing.attempts,
        failure: {
          error: "channel_not_found",
          hint:
            `the channel name cannot be resolved without the ${
              needed ?? "channels:read, groups:read"
            } scope: ` +
            "grant it, or use the channel ID, and invite the bot (/invite @your-bot)",
        },
      };
    }
    return { attempts: listing.attempts, failure: { error, hint: botHint(error, needed) } };
  }
  const channel = listing.channels?.find((c) => c.name === name);
  if (!channel) {
    return {
      attempts: listing.attempts,
      failure: { error: "channel_not_found", hint: botHint("channel_not_found") },
    };
  }
  debug(`#${name}: resolved to ${channel.id}`);
  return { id: channel.id, attempts: listing.attempts };
}
