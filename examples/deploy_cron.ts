/**
 * A Deno Deploy cron job: every 30 minutes it downloads the latest Socket
 * report (for example a CI artifact your pipeline publishes), and posts its
 * alerts to Slack with {@link notify}. Configuration and the bot token come
 * from the project's environment variables:
 *
 * - `SOCKET_REPORT_URL`: where to download the report (`socketcli --json-file` output);
 * - `SOCKET_REPORT_AUTHORIZATION` (optional): the `Authorization` header for that URL;
 * - `SOCKET_FACTS_URL` (optional): a `.socket.facts.json` for reachability messages;
 * - `SOCKET_SLACK_CONFIG_JSON`, `SOCKET_SLACK_BOT_TOKEN`, `SOCKET_SLACK_API_URL`: as for the CLI.
 *
 * In your own project, import `notify` from the published package instead of `../mod.ts`.
 *
 * @example Deploy it
 * ```sh
 * deployctl deploy --project=socket-slack examples/deploy_cron.ts
 * ```
 *
 * @module
 */

import { type DeliveryReport, notify } from "../mod.ts";

/** How often the job runs (cron syntax, UTC). */
export const SCHEDULE = "*/30 * * * *";

/** What the job needs from its environment. */
export interface JobOptions {
  /** Reads an environment variable. */
  env: (name: string) => string | undefined;
  /** The fetch used to download the report and to post to Slack; default the global one. */
  fetch?: typeof fetch;
}

async function download(
  url: string,
  fetcher: typeof fetch,
  authorization?: string,
): Promise<string> {
  const response = await fetcher(url, {
    headers: authorization ? { Authorization: authorization } : {},
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `Downloading the report failed with HTTP ${response.status}: check SOCKET_REPORT_URL`,
    );
  }
  return await response.text();
}

/** One run of the job: download the report (and facts), then notify. */
export async function runJob({ env, fetch: fetcher = fetch }: JobOptions): Promise<DeliveryReport> {
  const reportUrl = env("SOCKET_REPORT_URL");
  const config = env("SOCKET_SLACK_CONFIG_JSON");
  if (!reportUrl || !config) {
    throw new Error(
      "Set SOCKET_REPORT_URL and SOCKET_SLACK_CONFIG_JSON in the project's environment variables",
    );
  }
  const authorization = env("SOCKET_REPORT_AUTHORIZATION");
  const factsUrl = env("SOCKET_FACTS_URL");
  const report = await download(reportUrl, fetcher, authorization);
  const facts = factsUrl ? await download(factsUrl, fetcher, authorization) : undefined;
  return await notify({
    config,
    report,
    facts,
    botToken: env("SOCKET_SLACK_BOT_TOKEN"),
    apiUrl: env("SOCKET_SLACK_API_URL") || undefined,
    fetch: fetcher,
  });
}

if (import.meta.main) {
  Deno.cron("socket-slack-notify", SCHEDULE, async () => {
    const result = await runJob({ env: (name) => Deno.env.get(name) });
    console.log(`sent ${result.sent}, failed ${result.failed}, skipped ${result.skipped}`);
  });
}
