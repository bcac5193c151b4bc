import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { runJob, SCHEDULE } from "../examples/deploy_cron.ts";
import { HOOKS, TOKEN, workspace } from "./support/slack.ts";

/** Serves the sample report the way a CI artifact store would, behind a bearer token. */
async function artifactServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const report = await readFile(
    new URL("../fixtures/samples/socketcli-report.json", import.meta.url),
    "utf8",
  );
  const server = createServer((req, res) => {
    if (req.headers.authorization !== "Bearer artifact-token") {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(report);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/artifacts/socket-report.json`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the Deno Deploy cron example", () => {
  it("downloads the report and posts it to Slack through the bot", async () => {
    const emu = await workspace({ rateLimitMs: 0 });
    const artifacts = await artifactServer();
    try {
      const env: Record<string, string> = {
        SOCKET_REPORT_URL: artifacts.url,
        SOCKET_REPORT_AUTHORIZATION: "Bearer artifact-token",
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
          mode: "bot",
          bot_configs: [{ channels: ["security-alerts"] }],
        }),
        SOCKET_SLACK_BOT_TOKEN: TOKEN,
        SOCKET_SLACK_API_URL: emu.apiUrl,
      };
      const result = await runJob({ env: (name) => env[name] });
      assert.deepEqual([result.sent, result.failed], [1, 0]);
      assert.equal(emu.posted.length, 1);
      assert.match(SCHEDULE, /^\S+ \S+ \S+ \S+ \S+$/);
    } finally {
      await artifacts.close();
      await emu.close();
    }
  });

  it("fails clearly when the report cannot be downloaded, posting nothing", async () => {
    const emu = await workspace();
    const artifacts = await artifactServer();
    try {
      const env: Record<string, string> = {
        SOCKET_REPORT_URL: artifacts.url,
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: emu.webhookUrl(HOOKS.live) }),
      };
      await assert.rejects(
        runJob({ env: (name) => env[name] }),
        /HTTP 401: check SOCKET_REPORT_URL/,
      );
      assert.equal(emu.requests.length, 0);
    } finally {
      await artifacts.close();
      await emu.close();
    }
  });
});
