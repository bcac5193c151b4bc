import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notify } from "../lib/notify.ts";
import { webhookHint } from "../lib/webhook.ts";
import { rawAlert } from "./support/data.ts";
import { FAST, HOOKS, leaksSecret, workspace } from "./support/slack.ts";

const report = (n: number) => ({ new_alerts: Array.from({ length: n }, () => rawAlert()) });

describe("webhook mode against the Slack emulator", () => {
  it("posts {text, blocks} as JSON to each webhook; a dead one fails alone, named and without its URL", async () => {
    const emu = await workspace();
    try {
      const result = await notify({
        config: {
          url: [
            { name: "one", url: emu.webhookUrl(HOOKS.live) },
            { name: "gone", url: emu.webhookUrl(HOOKS.dead) },
            { name: "two", url: emu.webhookUrl(HOOKS.live2) },
          ],
        },
        report: report(30),
        ...FAST,
      });
      assert.deepEqual(
        result.messages.map((m) =>
          `${m.destination} ${m.part} ${m.status} ${m.error ?? ""}`.trim()
        ),
        [
          "one 1 sent",
          "one 2 sent",
          "gone 1 failed no_service",
          "gone 2 failed no_service",
          "two 1 sent",
          "two 2 sent",
        ],
      );
      assert.equal(result.messages[2].httpStatus, 404);
      assert.match(result.messages[2].hint!, /create a new incoming webhook/);
      assert.equal(result.messages[3].attempts, 0);
      assert.equal(leaksSecret(JSON.stringify(result)), undefined);
      const post = emu.requests.find((r) => r.path === HOOKS.live)!;
      assert.equal(post.headers["content-type"], "application/json; charset=utf-8");
      assert.deepEqual(Object.keys(post.json as object), ["text", "blocks"]);
      assert.equal(emu.posted.length, 4);
    } finally {
      await emu.close();
    }
  });

  it("retries 5xx, resets and 429 to success, once each on the wire", async () => {
    const emu = await workspace({
      faults: [
        { fault: { kind: "status", status: 500, times: 1 }, match: { path: HOOKS.live } },
        { fault: { kind: "ratelimit", retryAfter: null, times: 1 }, match: { path: HOOKS.live } },
        {
          fault: {
            kind: "status",
            status: 502,
            body: "<html>Bad gateway</html>",
            contentType: "text/html",
            times: 1,
          },
          match: { path: HOOKS.live2 },
        },
      ],
    });
    try {
      const result = await notify({
        config: {
          url: [{ name: "a", url: emu.webhookUrl(HOOKS.live) }, {
            name: "b",
            url: emu.webhookUrl(HOOKS.live2),
          }],
        },
        report: report(2),
        ...FAST,
      });
      assert.deepEqual(result.messages.map((m) => [m.status, m.attempts]), [["sent", 3], [
        "sent",
        2,
      ]]);
      assert.equal(emu.posted.length, 2);
    } finally {
      await emu.close();
    }
  });

  it("fails after 3 attempts on a persistent 502, and the rest of that webhook without more requests", async () => {
    const emu = await workspace({
      faults: [{ fault: { kind: "status", status: 502 }, match: { path: HOOKS.live } }],
    });
    try {
      const result = await notify({
        config: { url: emu.webhookUrl(HOOKS.live) },
        report: report(30),
        ...FAST,
      });
      assert.deepEqual(result.messages.map((m) => [m.status, m.error, m.attempts]), [
        ["failed", "HTTP 502", 3],
        ["failed", "HTTP 502", 0],
      ]);
      assert.equal(emu.requests.length, 3);
    } finally {
      await emu.close();
    }
  });

  it("paces one webhook under two names as one destination, and never follows a redirect", async () => {
    const emu = await workspace({
      faults: [{ fault: { kind: "status", status: 307 }, match: { path: HOOKS.live2 } }],
    });
    try {
      const url = emu.webhookUrl(HOOKS.live);
      const result = await notify({
        config: {
          url: [{ name: "a", url }, { name: "b", url }, {
            name: "moved",
            url: emu.webhookUrl(HOOKS.live2),
          }],
        },
        report: report(30),
        ...FAST,
      });
      assert.equal(emu.requests.filter((r) => r.status === 429).length, 0);
      assert.equal(result.sent, 4);
      assert.deepEqual(result.messages.slice(4).map((m) => [m.status, m.error, m.attempts]), [
        ["failed", "http_307", 1],
        ["failed", "http_307", 0],
      ]);
    } finally {
      await emu.close();
    }
  });

  it("webhookHint() explains each error Slack answers", () => {
    assert.match(webhookHint("channel_is_archived", 410), /archived/);
    assert.match(webhookHint("action_prohibited", 403), /admin/);
    assert.match(webhookHint("http_418", 418), /HTTP 418/);
  });
});
