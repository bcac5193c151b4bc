/**
 * Webhook mode: each planned message is POSTed as `{text, blocks}` to its
 * incoming webhook. 2xx is success; Slack's 4xx answers are fatal for that
 * webhook; 429, 5xx and network failures are retried by the transport.
 *
 * @module
 */

import type { HttpAnswer, Transport, Verdict } from "./transport.ts";
import type { DeliveryEntry, Message } from "./types.ts";

/** The result of one webhook post. */
export type WebhookResult = { ok: true } | { ok: false; error: string; status: number };

/** What each error answer of an incoming webhook means, and what to do. */
const HINTS: Record<string, string> = {
  invalid_payload: "Slack could not read the message: report this with the --dry-run --json output",
  invalid_blocks: "Slack rejected the blocks: report this with the --dry-run --json output",
  no_text: "Slack found no text in the message: report this with the --dry-run --json output",
  action_prohibited: "the workspace forbids this webhook from posting: ask a Slack admin",
  channel_not_found: "the webhook's channel was deleted: create a new incoming webhook",
  no_service:
    "the webhook was removed or its URL is wrong: create a new incoming webhook and update the config",
  channel_is_archived:
    "the webhook's channel is archived: unarchive it or create a webhook for another channel",
};

/** The hint for a webhook error code or HTTP status. */
export function webhookHint(error: string, status: number): string {
  return HINTS[error] ??
    (status === 401 || status === 403
      ? "Slack refused the webhook: check that it is still installed"
      : `Slack answered HTTP ${status}: check the webhook in the Slack app settings`);
}

function interpret(answer: HttpAnswer): Verdict<WebhookResult> {
  if (answer.status >= 200 && answer.status < 300) return { done: { ok: true } };
  if (answer.status >= 500) return { retry: `HTTP ${answer.status}` };
  // Slack answers a short code such as `no_service`; anything else is named by its status.
  const code = answer.body.trim();
  const error = /^[a-z_]{2,60}$/.test(code) ? code : `http_${answer.status}`;
  return { done: { ok: false, error, status: answer.status } };
}

/**
 * Sends one webhook's messages in order. After a failure the remaining
 * messages of that webhook fail with the same error, without a request.
 */
export async function sendWebhookLane(
  transport: Transport,
  name: string,
  url: string,
  items: Array<{ message: Message; entry: DeliveryEntry }>,
  emit: (entry: DeliveryEntry) => void,
): Promise<void> {
  let fatal: { error: string; hint: string; httpStatus?: number } | undefined;
  for (const { message, entry } of items) {
    if (fatal) {
      Object.assign(entry, { status: "failed", attempts: 0, ...fatal });
      emit(entry);
      continue;
    }
    const outcome = await transport.request({
      // Paced per URL: two names for one webhook are one destination to Slack.
      key: `webhook:${url}`,
      label: `${name} ${entry.kind} ${entry.part}/${entry.parts}`,
      url,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ text: message.text, blocks: message.blocks }),
      interpret,
    });
    entry.attempts = outcome.attempts;
    const result = outcome.ok ? outcome.value : undefined;
    if (result?.ok) {
      entry.status = "sent";
    } else {
      fatal = result
        ? {
          error: result.error,
          hint: webhookHint(result.error, result.status),
          httpStatus: result.status,
        }
        : !outcome.ok
        ? { error: outcome.reason, hint: outcome.hint, httpStatus: outcome.status }
        : undefined;
      Object.assign(entry, { status: "failed" }, fatal);
    }
    emit(entry);
  }
}
