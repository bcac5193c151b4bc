import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { runCli } from "../lib/cli.ts";
import type { SlackEmulator } from "../scripts/slack_emulator.ts";
import { rawAlert } from "./support/data.ts";
import { CHANNELS, FAST, HOOKS, leaksSecret, TOKEN, workspace } from "./support/slack.ts";

const REPORT = JSON.stringify({
  new_alerts: Array.from({ length: 30 }, () => rawAlert()),
  repo: "acme/web",
});
const FACTS = JSON.stringify({
  components: [{
    type: "npm",
    name: "lodash",
    version: "1",
    vulnerabilities: [{ ghsaId: "GHSA-1" }],
  }],
});

async function cli(
  args: string[],
  env: Record<string, string>,
  files: Record<string, string> = {},
) {
  let out = "";
  const status = await runCli(args, {
    env: (name) => env[name],
    readFile: (path) =>
      path in files
        ? Promise.resolve(files[path])
        : path === "r.json"
        ? Promise.resolve(REPORT)
        : path === "f.json"
        ? Promise.resolve(FACTS)
        : Promise.reject(Object.assign(new Error("ENOENT"), { code: "ENOENT" })),
    readStdin: () => Promise.resolve(""),
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    transport: { ...FAST, timeoutMs: 200 },
  });
  return { status, out };
}

describe("secrets never appear in any output", () => {
  let emu: SlackEmulator;
  before(async () => {
    emu = await workspace({
      faults: [
        { fault: { kind: "status", status: 503, times: 1 }, match: { path: HOOKS.live } },
        { fault: { kind: "timeout", times: 1 }, match: { path: HOOKS.live2 } },
        {
          fault: { kind: "slack_error", error: "invalid_blocks", times: 1 },
          match: { channel: "dev-alerts" },
        },
        {
          fault: { kind: "ratelimit", retryAfter: 0, times: 1 },
          match: { channel: CHANNELS.security.id },
        },
      ],
    });
  });
  after(() => emu.close());

  const bot = (channels: string[]) =>
    JSON.stringify({ mode: "bot", bot_configs: [{ name: "r", channels }] });
  const hooks = () =>
    JSON.stringify({
      url: [emu.webhookUrl(HOOKS.live), emu.webhookUrl(HOOKS.live2), emu.webhookUrl(HOOKS.dead)],
    });
  const apiEnv = () => ({ SOCKET_SLACK_BOT_TOKEN: TOKEN, SOCKET_SLACK_API_URL: emu.apiUrl });
  const flags = ["--verbose", "--json", "--timeout", "0.2"];

  const runs: Array<[string, () => [string[], Record<string, string>, Record<string, string>?]]> = [
    [
      "send, webhooks: ok, 503, timeout, dead",
      () => [["--report", "r.json", "--facts", "f.json", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: hooks(),
      }],
    ],
    [
      "send --slack-webhook",
      () => [["--slack-webhook", emu.webhookUrl(HOOKS.dead), "--report", "r.json", ...flags], {}],
    ],
    [
      "send, bot: names, IDs, resolution, not in channel, archived, private, invalid_blocks, 429",
      () => [
        ["--report", "r.json", "--facts", "f.json", ...flags],
        {
          SOCKET_SLACK_CONFIG_JSON: bot([
            "dev-alerts",
            CHANNELS.security.id,
            "appsec",
            "no-bot",
            "old-alerts",
            "secret-room",
          ]),
          ...apiEnv(),
        },
      ],
    ],
    [
      "send, bot, rejected token",
      () => [["--report", "r.json", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: bot(["dev-alerts"]),
        ...apiEnv(),
        SOCKET_SLACK_BOT_TOKEN: "xoxb-revoked-SECRETTOKEN",
      }],
    ],
    [
      "send, bot, a user token",
      () => [["--report", "r.json", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: bot(["a"]),
        ...apiEnv(),
        SOCKET_SLACK_BOT_TOKEN: "xoxp-SECRETTOKEN",
      }],
    ],
    [
      "check, bot",
      () => [["check", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: bot(["dev-alerts", "nowhere", "no-bot"]),
        ...apiEnv(),
      }],
    ],
    [
      "check, bot, rejected token",
      () => [["check", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: bot(["a"]),
        ...apiEnv(),
        SOCKET_SLACK_BOT_TOKEN: "xoxb-bad-SECRETTOKEN",
      }],
    ],
    ["check, webhooks", () => [["check", ...flags], { SOCKET_SLACK_CONFIG_JSON: hooks() }]],
    [
      "--dry-run --verbose --json, webhooks",
      () => [["--report", "r.json", "--dry-run", ...flags], { SOCKET_SLACK_CONFIG_JSON: hooks() }],
    ],
    [
      "--dry-run --verbose --json, bot",
      () => [["--report", "r.json", "--dry-run", ...flags], {
        SOCKET_SLACK_CONFIG_JSON: bot(["dev-alerts"]),
        ...apiEnv(),
      }],
    ],
    [
      "config error: plain-http webhook",
      () => [["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
          url: "http://hooks.slack.com/services/T0SECRET/B0/HOOKSECRET",
        }),
      }],
    ],
    [
      "config error: invalid JSON around a URL and a token",
      () => [["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: `{"url": "${emu.webhookUrl(HOOKS.live)}" "xoxb-SECRETTOKEN"}`,
      }],
    ],
    [
      "config error: URLs and tokens where names belong",
      () => [["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
          url: [{ name: 5, url: emu.webhookUrl(HOOKS.live) }],
          url_configs: { [emu.webhookUrl(HOOKS.live)]: { severities: "xoxb-SECRETTOKEN" } },
          mode: "webhook",
          levels: emu.webhookUrl(HOOKS.live2),
        }),
      }],
    ],
    [
      "config error: a URL as a channel",
      () => [["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({
          mode: "bot",
          bot_configs: [{ channels: emu.webhookUrl(HOOKS.live) }],
        }),
        ...apiEnv(),
      }],
    ],
    [
      "plain-http API URL",
      () => [["--report", "r.json"], {
        SOCKET_SLACK_CONFIG_JSON: bot(["a"]),
        SOCKET_SLACK_BOT_TOKEN: TOKEN,
        SOCKET_SLACK_API_URL: "http://slack.example/api/T0SECRET",
      }],
    ],
    ["a URL where a command belongs", () => [[emu.webhookUrl(HOOKS.live)], {}]],
  ];

  for (const [name, setup] of runs) {
    it(name, async () => {
      const [args, env, files] = setup();
      const { out } = await cli(args, env, files);
      assert.equal(leaksSecret(out), undefined, out);
      assert.ok(out.length > 0);
    });
  }

  it("refuses a plain-http API URL before sending the token anywhere", async () => {
    emu.reset();
    const { status } = await cli(["--report", "r.json"], {
      SOCKET_SLACK_CONFIG_JSON: bot(["a"]),
      SOCKET_SLACK_BOT_TOKEN: TOKEN,
      SOCKET_SLACK_API_URL: "http://slack.example/api",
    });
    assert.equal(status, 2);
    assert.equal(emu.requests.length, 0);
  });
});
