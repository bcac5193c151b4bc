import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { errorScope } from "../lib/bot.ts";
import { notify } from "../lib/notify.ts";
import type { DeliveryEntry } from "../lib/types.ts";
import type { SlackEmulator } from "../scripts/slack_emulator.ts";
import { rawAlert } from "./support/data.ts";
import { CHANNELS, FAST, leaksSecret, TOKEN, workspace } from "./support/slack.ts";

/** A report of `n` alerts: 24 per part, so 30 alerts make 2 parts. */
const report = (n: number) => ({
  new_alerts: Array.from({ length: n }, (_, i) => rawAlert({ title: `alert ${i}` })),
});

function bot(emu: SlackEmulator, routes: unknown[], n = 3) {
  return notify({
    config: { mode: "bot", bot_configs: routes },
    report: report(n),
    botToken: TOKEN,
    apiUrl: emu.apiUrl,
    ...FAST,
  });
}

/** Clears the record and lets the emulator's rate-limit window of the previous run pass. */
async function fresh(emu: SlackEmulator): Promise<void> {
  emu.reset();
  await new Promise((resolve) => setTimeout(resolve, FAST.minIntervalMs! + 10));
}

const summary = (messages: DeliveryEntry[]) =>
  messages.map((m) =>
    `${m.destination} ${m.part}/${m.parts} ${m.status}${m.error ? ` ${m.error}` : ""}`
  );

describe("bot mode against the Slack emulator", () => {
  let emu: SlackEmulator;
  before(async () => (emu = await workspace()));
  after(() => emu.close());

  it("posts to a channel by name, then by the ID Slack returned", async () => {
    await fresh(emu);
    const result = await bot(emu, [{ name: "r", channels: ["#Security-Alerts"] }], 30);
    assert.deepEqual(summary(result.messages), [
      "r#security-alerts 1/2 sent",
      "r#security-alerts 2/2 sent",
    ]);
    const posts = emu.requests.filter((r) => r.path === "/api/chat.postMessage").map((r) =>
      r.json as Record<string, unknown>
    );
    assert.deepEqual(posts.map((p) => p.channel), ["security-alerts", CHANNELS.security.id]);
    assert.equal(result.messages[0].channel, CHANNELS.security.id);
    assert.match(result.messages[0].ts!, /^\d+\.\d+$/);
  });

  it("posts parts 2..n in the thread of part 1, and not when threads is false", async () => {
    await fresh(emu);
    await bot(emu, [{ name: "t", channels: [CHANNELS.dev.id] }], 50);
    const [first, ...rest] = emu.posted;
    assert.equal(emu.posted.length, 3);
    assert.ok(rest.every((p) => p.threadTs === first.ts && p.channel === CHANNELS.dev.id));
    await fresh(emu);
    await bot(emu, [{ name: "f", channels: [CHANNELS.dev.id], threads: false }], 50);
    assert.ok(emu.posted.every((p) => p.threadTs === undefined));
  });

  it("resolves a name Slack does not take through paginated conversations.list, once per run", async () => {
    await fresh(emu);
    const result = await bot(emu, [{ name: "a", channels: ["appsec"] }, {
      name: "b",
      channels: ["appsec"],
    }], 30);
    assert.ok(
      result.messages.every((m) => m.status === "sent" && m.channel === CHANNELS.hidden.id),
    );
    const lists = emu.requests.filter((r) => r.path === "/api/conversations.list");
    assert.ok(lists.length >= 3, "several pages");
    assert.equal(
      new Set(lists.map((r) => r.query.cursor ?? "")).size,
      lists.length,
      "each page once",
    );
    assert.deepEqual(lists[0].query.types, "public_channel,private_channel");
    assert.equal(lists[0].query.exclude_archived, "true");
  });

  it("posts to several channels of a route and to one channel from several routes", async () => {
    await fresh(emu);
    const result = await bot(emu, [
      { name: "a", channels: ["security-alerts", "dev-alerts"] },
      { name: "b", channels: ["dev-alerts"] },
    ]);
    assert.equal(result.sent, 3);
    assert.deepEqual(
      emu.posted.map((p) => p.channel).sort(),
      [CHANNELS.security.id, CHANNELS.dev.id, CHANNELS.dev.id].sort(),
    );
  });

  it("fails only the channel the bot is not in, or that is archived, with a hint", async () => {
    await fresh(emu);
    const result = await bot(emu, [{
      name: "r",
      channels: ["no-bot", "old-alerts", "secret-room", "dev-alerts"],
    }], 30);
    assert.deepEqual(summary(result.messages), [
      "r#no-bot 1/2 failed not_in_channel",
      "r#no-bot 2/2 failed not_in_channel",
      "r#old-alerts 1/2 failed is_archived",
      "r#old-alerts 2/2 failed is_archived",
      "r#secret-room 1/2 failed channel_not_found",
      "r#secret-room 2/2 failed channel_not_found",
      "r#dev-alerts 1/2 sent",
      "r#dev-alerts 2/2 sent",
    ]);
    assert.equal(result.messages[0].hint, "invite the bot: /invite @your-bot");
    assert.match(result.messages[4].hint!, /invite the bot .*channels:read/);
    assert.equal(result.messages[1].attempts, 0, "no request for the rest of a failed channel");
  });

  it("stops the run on an auth error: the rest is skipped", async () => {
    await fresh(emu);
    const result = await notify({
      config: { mode: "bot", bot_configs: [{ channels: ["a1", "a2", "a3", "a4", "a5", "a6"] }] },
      report: report(30),
      botToken: "xoxb-revoked",
      apiUrl: emu.apiUrl,
      ...FAST,
    });
    assert.ok(emu.requests.length <= 4, `${emu.requests.length} requests`);
    assert.ok(result.messages.every((m) => m.status !== "sent"));
    assert.ok(
      result.messages.some((m) =>
        m.status === "skipped" && m.reason === "auth failed (invalid_auth)"
      ),
    );
    assert.equal(result.messages.find((m) => m.status === "failed")?.error, "invalid_auth");
  });

  it("fails a message Slack rejects and skips its later parts, and goes on with the next message", async () => {
    await fresh(emu);
    emu.addFault({
      fault: { kind: "slack_error", error: "invalid_blocks", times: 1 },
      match: { channel: "dev-alerts" },
    });
    const result = await notify({
      config: { mode: "bot", bot_configs: [{ name: "r", channels: ["dev-alerts"] }] },
      report: report(30),
      facts: {
        components: [{ type: "npm", name: "x", version: "1", vulnerabilities: [{ ghsaId: "G" }] }],
      },
      botToken: TOKEN,
      apiUrl: emu.apiUrl,
      ...FAST,
    });
    assert.deepEqual(result.messages.map((m) => `${m.kind} ${m.part} ${m.status}`), [
      "reachability 1 failed",
      "diff 1 sent",
      "diff 2 sent",
    ]);
    await fresh(emu);
    emu.addFault({
      fault: { kind: "slack_error", error: "msg_too_long", times: 1 },
      match: { channel: "dev-alerts" },
    });
    const split = await bot(emu, [{ name: "r", channels: ["dev-alerts"] }], 30);
    assert.deepEqual(split.messages.map((m) => m.status), ["failed", "skipped"]);
  });

  it("sends at most 50 blocks and 3000 characters a section on the wire, and the token only in the header", async () => {
    await fresh(emu);
    await bot(emu, [{ channels: ["dev-alerts"] }], 120);
    const posts = emu.requests.filter((r) => r.path === "/api/chat.postMessage");
    assert.equal(posts.length, 5);
    for (const post of posts) {
      const body = post.json as { blocks: Array<{ text?: { text: string } }>; text: string };
      assert.ok(body.blocks.length <= 50);
      assert.ok(body.blocks.every((b) => (b.text?.text.length ?? 0) <= 3000));
      assert.ok(body.text.length > 0);
      assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(post.headers["content-type"], "application/json; charset=utf-8");
      assert.equal(leaksSecret(post.body), undefined);
    }
  });

  it("is never answered 429 on a normal run: posts to a channel are paced", async () => {
    await fresh(emu);
    await bot(
      emu,
      [{ channels: ["dev-alerts", "security-alerts"] }, { channels: ["dev-alerts"] }],
      100,
    );
    assert.equal(emu.requests.filter((r) => r.status === 429).length, 0);
    assert.equal(emu.posted.length, 15);
  });
});

describe("bot mode faults", () => {
  it("honours 429 Retry-After and retries 5xx and timeouts to success", async () => {
    const emu = await workspace({
      faults: [
        { fault: { kind: "ratelimit", retryAfter: 1, times: 1 }, match: { channel: "dev-alerts" } },
        { fault: { kind: "status", status: 503, times: 1 }, match: { channel: "security-alerts" } },
        { fault: { kind: "timeout", times: 1 }, match: { channel: "C0000000003" } },
      ],
    });
    try {
      const started = performance.now();
      const result = await notify({
        config: {
          mode: "bot",
          bot_configs: [{ channels: ["dev-alerts", "security-alerts", "C0000000003"] }],
        },
        report: report(3),
        botToken: TOKEN,
        apiUrl: emu.apiUrl,
        ...FAST,
        timeoutMs: 300,
      });
      assert.deepEqual(result.messages.map((m) => [m.status, m.attempts]), [["sent", 2], [
        "sent",
        2,
      ], ["sent", 2]]);
      const devPosts = emu.requests.filter((r) =>
        (r.json as { channel?: string })?.channel === "dev-alerts"
      );
      assert.ok(devPosts[1].at - devPosts[0].at >= 1000, "waited Retry-After");
      assert.ok(performance.now() - started < 5000);
      assert.equal(emu.posted.length, 3);
    } finally {
      await emu.close();
    }
  });
});

describe("bot mode, odd answers", () => {
  it("waits Retry-After on conversations.list too, then resolves the name", async () => {
    const emu = await workspace({
      faults: [{
        fault: { kind: "ratelimit", retryAfter: 1, times: 1 },
        match: { path: "/api/conversations.list" },
      }],
    });
    try {
      const started = performance.now();
      const result = await bot(emu, [{ channels: ["appsec"] }]);
      assert.equal(result.sent, 1);
      assert.ok(performance.now() - started >= 1000);
    } finally {
      await emu.close();
    }
  });

  it("stops the run on a 401 that is not Slack's JSON (a proxy, a wrong API URL)", async () => {
    const emu = await workspace({
      faults: [{ fault: { kind: "status", status: 401, body: "Unauthorized" } }],
    });
    try {
      const result = await bot(emu, [{
        channels: ["dev-alerts", "security-alerts", "appsec", "old-alerts", "no-bot"],
      }]);
      assert.ok(emu.requests.length <= 4);
      assert.ok(
        result.messages.some((m) =>
          m.status === "skipped" && m.reason === "auth failed (http_401)"
        ),
      );
    } finally {
      await emu.close();
    }
  });
});

describe("errorScope()", () => {
  it("sorts Slack's error codes into run, channel and message", () => {
    assert.deepEqual(
      [
        "invalid_auth",
        "missing_scope",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "whatever",
      ].map(errorScope),
      ["auth", "auth", "channel", "channel", "message", "message"],
    );
  });
});
