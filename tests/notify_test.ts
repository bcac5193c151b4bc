import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../lib/errors.ts";
import { notify } from "../lib/notify.ts";
import type { DeliveryEvent } from "../lib/types.ts";
import { rawAlert } from "./support/data.ts";
import { FAST, HOOKS, TOKEN, workspace } from "./support/slack.ts";

const report = {
  new_alerts: [rawAlert(), rawAlert({ severity: "low", error: false })],
  repo: "acme/web",
};

describe("notify()", () => {
  it("returns a dry-run report with the payloads and sends nothing", async () => {
    const result = await notify({
      config: { mode: "bot", bot_configs: [{ channels: ["#Dev"] }] },
      report: JSON.stringify(report),
      dryRun: true,
    });
    assert.equal(result.dryRun, true);
    assert.deepEqual(result.messages.map((m) => [m.status, m.reason, m.payload?.channel]), [[
      "skipped",
      "dry run",
      "dev",
    ]]);
  });

  it("throws a ConfigError for bot mode without a valid token or with a plain-http API URL", async () => {
    const config = { mode: "bot", bot_configs: [{ channels: ["dev"] }] };
    await assert.rejects(notify({ config, report }), ConfigError);
    await assert.rejects(notify({ config, report, botToken: "xoxp-user" }), ConfigError);
    await assert.rejects(
      notify({ config, report, botToken: TOKEN, apiUrl: "http://slack.example/api" }),
      ConfigError,
    );
  });

  it("throws a ConfigError for an invalid configuration, before sending", async () => {
    await assert.rejects(
      notify({ config: { mode: "pager" }, report }),
      (err: Error) => err instanceof ConfigError,
    );
  });

  it("delivers in both modes, at the same time, without either seeing the other's messages", async () => {
    const emu = await workspace();
    try {
      const events: DeliveryEvent[] = [];
      const [hooks, bots] = await Promise.all([
        notify({
          config: { url: emu.webhookUrl(HOOKS.live) },
          report,
          ...FAST,
          onEvent: (e) => events.push(e),
        }),
        notify({
          config: {
            mode: "bot",
            bot_configs: [{ channels: ["dev-alerts"], severities: ["critical"] }],
          },
          report,
          botToken: TOKEN,
          apiUrl: emu.apiUrl,
          ...FAST,
        }),
      ]);
      assert.deepEqual([hooks.mode, hooks.sent, bots.mode, bots.sent], ["webhook", 1, "bot", 1]);
      const viaHook = emu.posted.filter((p) => p.via === "webhook");
      const viaBot = emu.posted.filter((p) => p.via === "bot");
      assert.equal(viaHook.length, 1);
      assert.equal(viaBot.length, 1);
      assert.match(viaHook[0].text!, /2 alerts/);
      assert.match(viaBot[0].text!, /1 alert /);
      assert.deepEqual(
        events.filter((e) => e.type === "message").length,
        1,
        "onEvent reports this run only",
      );
    } finally {
      await emu.close();
    }
  });

  it("accepts a validated config, report and facts as well as raw JSON", async () => {
    const result = await notify({
      config: JSON.stringify({ url: "https://hooks.slack.com/services/T/B/X" }),
      report,
      facts: JSON.stringify({ components: [] }),
      dryRun: true,
    });
    assert.equal(result.messages.length, 1);
  });
});
