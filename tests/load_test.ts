import assert from "node:assert/strict";
import process from "node:process";
import { describe, it } from "node:test";
import { notify } from "../lib/notify.ts";
import { rawAlert } from "./support/data.ts";
import { TOKEN, workspace } from "./support/slack.ts";

describe("load", () => {
  it("5,000 alerts to 20 channels: every message delivered exactly once, in order, memory bounded", async () => {
    const channels = Array.from(
      { length: 20 },
      (_, i) => ({ id: `C${String(i).padStart(10, "0")}`, name: `ch-${i}` }),
    );
    const emu = await workspace({ channels, rateLimitMs: 2 });
    try {
      const report = {
        new_alerts: Array.from(
          { length: 5000 },
          (_, i) => rawAlert({ title: `alert ${i}`, pkg_name: `pkg-${i}` }),
        ),
      };
      const heapBefore = process.memoryUsage().heapUsed;
      const result = await notify({
        config: { mode: "bot", bot_configs: [{ channels: channels.map((c) => c.id) }] },
        report,
        botToken: TOKEN,
        apiUrl: emu.apiUrl,
        minIntervalMs: 2,
        backoffMs: 10,
      });
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      const parts = Math.ceil(5000 / 24);
      assert.equal(result.messages.length, parts * 20);
      assert.equal(
        result.sent,
        parts * 20,
        JSON.stringify(result.messages.find((m) => m.status !== "sent")),
      );
      assert.equal(emu.requests.filter((r) => r.status === 429).length, 0);
      for (const channel of channels) {
        const posted = emu.posted.filter((p) => p.channel === channel.id);
        const order = posted.map((p) => Number(/\(part (\d+)\/\d+\)$/.exec(p.text!)?.[1]));
        assert.deepEqual(
          order,
          Array.from({ length: parts }, (_, i) => i + 1),
          `${channel.name}: each part once, in order`,
        );
      }
      // The emulator keeps every request body in this same process (about 4,200 posts of 50 blocks);
      // the bound leaves room for that and would still catch messages built once per channel.
      assert.ok(heapGrowth < 400e6, `heap grew ${Math.round(heapGrowth / 1e6)} MB`);
    } finally {
      await emu.close();
    }
  });
});
