import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { run } from "./support/io.ts";
import type { SlackEmulator } from "../scripts/slack_emulator.ts";
import { rawAlert } from "./support/data.ts";
import { CHANNELS, FAST, HOOKS, leaksSecret, TOKEN, workspace } from "./support/slack.ts";

const REPORT = JSON.stringify({
  new_alerts: Array.from({ length: 30 }, (_, i) => rawAlert({ title: `alert ${i}` })),
  repo: "acme/web",
});

async function cli(args: string[], env: Record<string, string>) {
  const result = await run(args, { env, files: { "r.json": REPORT }, transport: FAST });
  assert.equal(leaksSecret(result.stdout, result.stderr), undefined, "no secret in the output");
  return result;
}

describe("slack-notify send", () => {
  let emu: SlackEmulator;
  before(async () => (emu = await workspace()));
  after(() => emu.close());

  it("webhook mode: live webhooks delivered, the dead one reported by name, exit 1", async () => {
    emu.reset();
    const config = {
      url: [
        { name: "live", url: emu.webhookUrl(HOOKS.live) },
        { name: "dead", url: emu.webhookUrl(HOOKS.dead) },
        { name: "live2", url: emu.webhookUrl(HOOKS.live2) },
      ],
    };
    const { status, stdout, stderr } = await cli(["--report", "r.json", "--json"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify(config),
    });
    assert.equal(status, 1);
    assert.match(stderr, /^✓ live {2}diff 1\/2 {2}50 blocks$/m);
    assert.match(
      stderr,
      /^✗ dead {2}diff 1\/2 {2}50 blocks {2}no_service: the webhook was removed/m,
    );
    assert.match(stderr, /^sent 4, failed 2, skipped 0 in \d+\.\d s$/m);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), [
      "mode",
      "dryRun",
      "sent",
      "failed",
      "skipped",
      "messages",
    ]);
    assert.deepEqual([report.mode, report.dryRun, report.sent, report.failed, report.skipped], [
      "webhook",
      false,
      4,
      2,
      0,
    ]);
    assert.deepEqual(report.messages[2], {
      destination: "dead",
      kind: "diff",
      part: 1,
      parts: 2,
      blocks: 50,
      status: "failed",
      attempts: 1,
      error: "no_service",
      hint:
        "the webhook was removed or its URL is wrong: create a new incoming webhook and update the config",
      httpStatus: 404,
    });
    assert.equal(emu.posted.length, 4);
  });

  it("bot mode: sends by name and ID, reports channel IDs and ts, exit 0", async () => {
    emu.reset();
    await new Promise((r) => setTimeout(r, 50));
    const { status, stdout, stderr } = await cli(["--report", "r.json", "--json", "--pr", "9"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
        mode: "bot",
        bot_configs: [{ name: "sec", channels: ["#security-alerts", CHANNELS.dev.id] }],
      }),
      SOCKET_SLACK_BOT_TOKEN: TOKEN,
      SOCKET_SLACK_API_URL: emu.apiUrl,
    });
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.sent, 4);
    assert.deepEqual(report.messages[0].channel, CHANNELS.security.id);
    assert.match(report.messages[0].ts, /^\d+\.\d+$/);
    assert.match(stderr, /^✓ #security-alerts {2}diff 1\/2 {2}50 blocks$/m);
  });

  it("a token Slack rejects stops the run after at most 4 calls, exit 1", async () => {
    emu.reset();
    const { status, stdout } = await cli(["--report", "r.json", "--json"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
        mode: "bot",
        bot_configs: [{ channels: ["a1", "a2", "a3", "a4", "a5", "a6", "a7"] }],
      }),
      SOCKET_SLACK_BOT_TOKEN: "xoxb-wrong-SECRETTOKEN",
      SOCKET_SLACK_API_URL: emu.apiUrl,
    });
    assert.equal(status, 1);
    assert.ok(emu.requests.length <= 4);
    const report = JSON.parse(stdout);
    assert.equal(report.sent, 0);
    assert.ok(report.messages.some((m: { error?: string }) => m.error === "invalid_auth"));
  });

  it("a missing or non-xoxb token exits 2 before any request", async () => {
    emu.reset();
    for (const token of [undefined, "xoxp-user-SECRETTOKEN"]) {
      const { status, stderr } = await cli(["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
          mode: "bot",
          bot_configs: [{ channels: ["dev-alerts"] }],
        }),
        ...(token ? { SOCKET_SLACK_BOT_TOKEN: token } : {}),
        SOCKET_SLACK_API_URL: emu.apiUrl,
      });
      assert.equal(status, 2);
      assert.match(stderr, /SOCKET_SLACK_BOT_TOKEN/);
    }
    assert.equal(emu.requests.length, 0);
  });

  it("--verbose shows retries without secrets", async () => {
    emu.reset();
    emu.addFault({ fault: { kind: "status", status: 503, times: 1 }, match: { path: HOOKS.live } });
    const { status, stderr } = await cli(["--report", "r.json", "--verbose"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: emu.webhookUrl(HOOKS.live) }),
    });
    assert.equal(status, 0);
    assert.match(stderr, /default diff 1\/2: HTTP 503; retrying in \d+ ms \(attempt 2\)/);
  });
});

describe("slack-notify check", () => {
  let emu: SlackEmulator;
  before(async () => (emu = await workspace()));
  after(() => emu.close());

  const env = (channels: string[], token = TOKEN) => ({
    SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
      mode: "bot",
      bot_configs: [{ name: "r", channels }],
    }),
    SOCKET_SLACK_BOT_TOKEN: token,
    SOCKET_SLACK_API_URL: emu.apiUrl,
  });

  it("reports every channel: found, not found, bot not a member, archived; exit 1; posts nothing", async () => {
    emu.reset();
    const { status, stdout, stderr } = await cli(
      ["check", "--json"],
      env([
        "#Security-Alerts",
        CHANNELS.hidden.id,
        "no-bot",
        "old-alerts",
        "nowhere",
        "secret-room",
      ]),
    );
    assert.equal(status, 1);
    const out = JSON.parse(stdout);
    assert.deepEqual(
      out.channels.map((c: { channel: string; status: string }) => `${c.channel} ${c.status}`),
      [
        "security-alerts found",
        `${CHANNELS.hidden.id} found`,
        "no-bot not_member",
        "old-alerts archived",
        "nowhere not_found",
        "secret-room not_found",
      ],
    );
    assert.match(stderr, /token valid/);
    assert.match(stderr, /#no-bot \(r\): bot not a member C0000000005 — invite the bot/);
    assert.equal(emu.posted.length, 0);
    assert.ok(emu.requests.some((r) => r.path === "/api/auth.test"));
  });

  it("exits 0 when every channel is ready", async () => {
    const { status } = await cli(["check"], env(["security-alerts", "private-sec"]));
    assert.equal(status, 0);
  });

  it("exits 1 on a token Slack rejects", async () => {
    const { status, stderr } = await cli(
      ["check"],
      env(["security-alerts"], "xoxb-bad-SECRETTOKEN"),
    );
    assert.equal(status, 1);
    assert.match(stderr, /auth\.test failed: invalid_auth/);
  });

  it("validates webhook URLs by form only, and exits 2 on an invalid config", async () => {
    const good = await cli(["check"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: emu.webhookUrl(HOOKS.live) }),
    });
    assert.equal(good.status, 0);
    assert.match(good.stderr, /default: URL well formed/);
    const bad = await cli(["check"], {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
        url: "http://hooks.slack.com/services/T0SECRET/B/HOOKSECRET",
      }),
    });
    assert.equal(bad.status, 2);
  });
});

describe("slack-notify as a process", () => {
  it("delivers to live webhooks and exits 1 for a dead one, never printing a URL", async () => {
    const emu = await workspace({ rateLimitMs: 1000 });
    try {
      const config = {
        url: [{ name: "live", url: emu.webhookUrl(HOOKS.live) }, {
          name: "dead",
          url: emu.webhookUrl(HOOKS.dead),
        }],
      };
      const report =
        new URL("../fixtures/python-parity/../samples/socketcli-report.json", import.meta.url)
          .pathname;
      const cliPath = new URL("../cli.ts", import.meta.url).pathname;
      const isDeno = "Deno" in globalThis;
      const args = isDeno
        ? ["run", "--allow-read", "--allow-env", "--allow-net=127.0.0.1", cliPath]
        : [cliPath.replace(/\.ts$/, ".js")];
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>(
        (resolve) => {
          execFile(
            process.execPath,
            [...args, "--report", report, "--pr", "1", "--json"],
            {
              env: {
                ...process.env,
                SOCKET_SLACK_CONFIG_JSON: JSON.stringify(config),
                NO_COLOR: "1",
              },
            },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
          );
        },
      );
      assert.equal(result.code, 1, result.stderr);
      assert.equal(leaksSecret(result.stdout, result.stderr), undefined);
      assert.equal(JSON.parse(result.stdout).sent, 1);
      assert.equal(emu.posted.length, 1);
      assert.match(result.stderr, /✗ dead .* no_service/);
    } finally {
      await emu.close();
    }
  });
});
