import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type EmulatorOptions,
  type SlackEmulator,
  startSlackEmulator,
} from "../scripts/slack_emulator.ts";

const TOKEN = "xoxb-test-token";
const HOOK = "/services/T000/B000/XXXX";

const CHANNELS: EmulatorOptions["channels"] = [
  { id: "C0000000001", name: "alerts" },
  { id: "C0000000002", name: "hidden", resolvableByName: false },
  { id: "G0000000003", name: "secret", isPrivate: true, isMember: false },
  { id: "G0000000004", name: "team-private", isPrivate: true },
  { id: "C0000000005", name: "outside", isMember: false },
  { id: "C0000000006", name: "old", isArchived: true },
];

async function withEmulator(
  options: EmulatorOptions,
  run: (slack: SlackEmulator) => Promise<void>,
): Promise<void> {
  const slack = await startSlackEmulator({ channels: CHANNELS, ...options });
  try {
    await run(slack);
  } finally {
    await slack.close();
  }
}

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function callApi(
  slack: SlackEmulator,
  method: string,
  params: Record<string, unknown>,
  token: string | null = TOKEN,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${slack.apiUrl}/${method}`, {
    method: "POST",
    headers,
    body: JSON.stringify(params),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: await res.json() as Record<string, unknown>,
  };
}

async function listPage(slack: SlackEmulator, query: Record<string, string>): Promise<ApiAnswer> {
  const res = await fetch(`${slack.apiUrl}/conversations.list?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return {
    status: res.status,
    headers: res.headers,
    body: await res.json() as Record<string, unknown>,
  };
}

async function postHook(
  slack: SlackEmulator,
  path: string,
  body: string,
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(slack.webhookUrl(path), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Resolves once the emulator has recorded `count` requests (held requests are never answered). */
async function requestsArrived(slack: SlackEmulator, count: number): Promise<void> {
  for (let i = 0; i < 200 && slack.requests.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(slack.requests.length, count);
}

function section(text: string): Record<string, unknown> {
  return { type: "section", text: { type: "mrkdwn", text } };
}

describe("startSlackEmulator()", () => {
  it("listens on a random loopback port and derives apiUrl and webhookUrl() from url", async () => {
    await withEmulator({}, (slack) => {
      assert.match(slack.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(slack.url, "http://127.0.0.1:0");
      assert.equal(slack.apiUrl, `${slack.url}/api`);
      assert.equal(slack.webhookUrl(HOOK), `${slack.url}${HOOK}`);
      return Promise.resolve();
    });
  });

  it("records every request with its headers, query, body, JSON and answered status", async () => {
    await withEmulator({}, async (slack) => {
      await callApi(slack, "chat.postMessage", { channel: "C0000000001", text: "hi" });
      await listPage(slack, { limit: "1" });
      assert.equal(slack.requests.length, 2);
      const [post, list] = slack.requests;
      assert.equal(post.method, "POST");
      assert.equal(post.path, "/api/chat.postMessage");
      assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(post.headers["content-type"], "application/json; charset=utf-8");
      assert.deepEqual(post.json, { channel: "C0000000001", text: "hi" });
      assert.equal(post.status, 200);
      assert.equal(list.method, "GET");
      assert.deepEqual(list.query, { limit: "1" });
      assert.ok(list.at >= post.at);
    });
  });

  it("rejects duplicate channel IDs and webhook paths without a leading slash", async () => {
    await assert.rejects(
      startSlackEmulator({
        channels: [{ id: "C0000000001", name: "a" }, { id: "C0000000001", name: "b" }],
      }),
      /Duplicate emulator channel "C0000000001"/,
    );
    await assert.rejects(
      startSlackEmulator({ webhooks: [{ path: "services/X" }] }),
      /Invalid emulator webhook path "services\/X"/,
    );
  });

  it("answers 404 unknown_method for a Web API method it does not know", async () => {
    await withEmulator({}, async (slack) => {
      const res = await callApi(slack, "chat.delete", {});
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { ok: false, error: "unknown_method" });
    });
  });

  it("reset() clears recorded requests and messages but keeps threads", async () => {
    await withEmulator({}, async (slack) => {
      const first = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "1" });
      slack.reset();
      assert.equal(slack.requests.length, 0);
      assert.equal(slack.posted.length, 0);
      const reply = await callApi(slack, "chat.postMessage", {
        channel: "C0000000001",
        text: "2",
        thread_ts: first.body.ts,
      });
      assert.equal(reply.body.ok, true);
      assert.equal(slack.posted.length, 1);
    });
  });
});

describe("auth.test", () => {
  it("auth.test answers the bot identity for a valid bearer token", async () => {
    await withEmulator({}, async (slack) => {
      const res = await callApi(slack, "auth.test", {});
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        ok: true,
        url: "https://emulated.slack.com/",
        team: "Emulated",
        user: "socket-bot",
        team_id: "T00000001",
        user_id: "U00000001",
        bot_id: "B00000001",
      });
    });
  });

  it("auth.test answers invalid_auth for an unknown token", async () => {
    await withEmulator({ tokens: ["xoxb-other"] }, async (slack) => {
      const res = await callApi(slack, "auth.test", {});
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: false, error: "invalid_auth" });
    });
  });

  it("auth.test answers not_authed without a token", async () => {
    await withEmulator({}, async (slack) => {
      const res = await callApi(slack, "auth.test", {}, null);
      assert.deepEqual(res.body, { ok: false, error: "not_authed" });
    });
  });

  it("auth.test accepts the token as a form field", async () => {
    await withEmulator({}, async (slack) => {
      const res = await fetch(`${slack.apiUrl}/auth.test`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: TOKEN }).toString(),
      });
      assert.equal((await res.json() as { ok: boolean }).ok, true);
    });
  });
});

describe("chat.postMessage", () => {
  it("chat.postMessage posts by channel ID and answers the channel, a ts and the message", async () => {
    await withEmulator({}, async (slack) => {
      const blocks = [section("*New alert*")];
      const res = await callApi(slack, "chat.postMessage", {
        channel: "C0000000001",
        text: "New alert",
        blocks,
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.ok, true);
      assert.equal(res.body.channel, "C0000000001");
      assert.match(String(res.body.ts), /^\d{10}\.\d{6}$/);
      const message = res.body.message as Record<string, unknown>;
      assert.equal(message.text, "New alert");
      assert.equal(message.ts, res.body.ts);
      assert.deepEqual(message.blocks, blocks);
      assert.deepEqual(slack.posted, [
        { via: "bot", channel: "C0000000001", ts: res.body.ts, text: "New alert", blocks },
      ]);
    });
  });

  it("chat.postMessage posts by name, with or without '#', and answers the channel ID", async () => {
    await withEmulator({}, async (slack) => {
      const hash = await callApi(slack, "chat.postMessage", { channel: "#alerts", text: "a" });
      const bare = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "b" });
      assert.equal(hash.body.channel, "C0000000001");
      assert.equal(bare.body.channel, "C0000000001");
      assert.deepEqual(slack.posted.map((m) => m.channel), ["C0000000001", "C0000000001"]);
    });
  });

  it("chat.postMessage gives unique, increasing timestamps", async () => {
    await withEmulator({}, async (slack) => {
      const stamps: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await callApi(slack, "chat.postMessage", { channel: "alerts", text: `${i}` });
        stamps.push(Number(res.body.ts));
      }
      assert.ok(stamps[0] < stamps[1] && stamps[1] < stamps[2], `${stamps}`);
    });
  });

  it("chat.postMessage answers channel_not_found for an unknown channel", async () => {
    await withEmulator({}, async (slack) => {
      for (const channel of ["C9999999999", "nowhere", ""]) {
        const res = await callApi(slack, "chat.postMessage", { channel, text: "x" });
        assert.deepEqual(res.body, { ok: false, error: "channel_not_found" }, channel);
      }
    });
  });

  it("chat.postMessage answers channel_not_found for a name that does not resolve, but takes the ID", async () => {
    await withEmulator({}, async (slack) => {
      const byName = await callApi(slack, "chat.postMessage", { channel: "#hidden", text: "x" });
      assert.deepEqual(byName.body, { ok: false, error: "channel_not_found" });
      const byId = await callApi(slack, "chat.postMessage", { channel: "C0000000002", text: "x" });
      assert.equal(byId.body.ok, true);
    });
  });

  it("chat.postMessage answers channel_not_found for a private channel the bot is not in", async () => {
    await withEmulator({}, async (slack) => {
      for (const channel of ["secret", "G0000000003"]) {
        const res = await callApi(slack, "chat.postMessage", { channel, text: "x" });
        assert.deepEqual(res.body, { ok: false, error: "channel_not_found" }, channel);
      }
      const member = await callApi(slack, "chat.postMessage", {
        channel: "team-private",
        text: "x",
      });
      assert.equal(member.body.channel, "G0000000004");
    });
  });

  it("chat.postMessage answers not_in_channel for a public channel the bot is not in", async () => {
    await withEmulator({}, async (slack) => {
      const res = await callApi(slack, "chat.postMessage", { channel: "outside", text: "x" });
      assert.deepEqual(res.body, { ok: false, error: "not_in_channel" });
      assert.equal(slack.posted.length, 0);
    });
  });

  it("chat.postMessage answers is_archived for an archived channel", async () => {
    await withEmulator({}, async (slack) => {
      const res = await callApi(slack, "chat.postMessage", { channel: "C0000000006", text: "x" });
      assert.deepEqual(res.body, { ok: false, error: "is_archived" });
    });
  });

  it("chat.postMessage answers not_in_channel once setChannel() removes the bot", async () => {
    await withEmulator({}, async (slack) => {
      const before = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "1" });
      assert.equal(before.body.ok, true);
      slack.setChannel("C0000000001", { isMember: false });
      const after = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "2" });
      assert.deepEqual(after.body, { ok: false, error: "not_in_channel" });
      assert.throws(() => slack.setChannel("C9999999999", {}), /Unknown emulator channel/);
    });
  });

  it("chat.postMessage answers no_text without text or blocks", async () => {
    await withEmulator({}, async (slack) => {
      for (const params of [{}, { text: "" }, { text: "", blocks: [] }]) {
        const res = await callApi(slack, "chat.postMessage", { channel: "alerts", ...params });
        assert.deepEqual(res.body, { ok: false, error: "no_text" }, JSON.stringify(params));
      }
      const blocksOnly = await callApi(slack, "chat.postMessage", {
        channel: "alerts",
        blocks: [section("only blocks")],
      });
      assert.equal(blocksOnly.body.ok, true);
    });
  });

  it("chat.postMessage answers invalid_blocks for more than 50 blocks", async () => {
    await withEmulator({}, async (slack) => {
      const blocks = Array.from({ length: 51 }, (_, i) => section(`${i}`));
      const over = await callApi(slack, "chat.postMessage", {
        channel: "alerts",
        text: "x",
        blocks,
      });
      assert.deepEqual(over.body, { ok: false, error: "invalid_blocks" });
      const atLimit = await callApi(slack, "chat.postMessage", {
        channel: "alerts",
        text: "x",
        blocks: blocks.slice(0, 50),
      });
      assert.equal(atLimit.body.ok, true);
    });
  });

  it("chat.postMessage answers invalid_blocks for section text over 3000 characters", async () => {
    await withEmulator({}, async (slack) => {
      const over = await callApi(slack, "chat.postMessage", {
        channel: "alerts",
        text: "x",
        blocks: [section("a".repeat(3001))],
      });
      assert.deepEqual(over.body, { ok: false, error: "invalid_blocks" });
      const atLimit = await callApi(slack, "chat.postMessage", {
        channel: "alerts",
        text: "x",
        blocks: [section("a".repeat(3000))],
      });
      assert.equal(atLimit.body.ok, true);
    });
  });

  it("chat.postMessage answers invalid_blocks for blocks that are not typed objects", async () => {
    await withEmulator({}, async (slack) => {
      for (const blocks of [{ type: "section" }, [{ text: "no type" }], ["divider"], "[oops"]) {
        const res = await callApi(slack, "chat.postMessage", {
          channel: "alerts",
          text: "x",
          blocks,
        });
        assert.deepEqual(res.body, { ok: false, error: "invalid_blocks" }, JSON.stringify(blocks));
      }
    });
  });

  it("chat.postMessage replies in a thread of an earlier message of the same channel", async () => {
    await withEmulator({}, async (slack) => {
      const parent = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "1/2" });
      const reply = await callApi(slack, "chat.postMessage", {
        channel: "C0000000001",
        text: "2/2",
        thread_ts: parent.body.ts,
      });
      assert.equal(reply.body.ok, true);
      assert.equal((reply.body.message as Record<string, unknown>).thread_ts, parent.body.ts);
      assert.equal(slack.posted[1].threadTs, parent.body.ts);
    });
  });

  it("chat.postMessage answers thread_not_found for an unknown or other channel's thread_ts", async () => {
    await withEmulator({}, async (slack) => {
      const parent = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "1" });
      for (
        const [channel, threadTs] of [
          ["alerts", "1600000000.000100"],
          ["team-private", String(parent.body.ts)],
        ]
      ) {
        const res = await callApi(slack, "chat.postMessage", {
          channel,
          text: "2",
          thread_ts: threadTs,
        });
        assert.deepEqual(res.body, { ok: false, error: "thread_not_found" }, channel);
      }
    });
  });

  it("chat.postMessage accepts a form body with blocks as a JSON string", async () => {
    await withEmulator({}, async (slack) => {
      const res = await fetch(`${slack.apiUrl}/chat.postMessage`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          channel: "alerts",
          blocks: JSON.stringify([section("form")]),
        }).toString(),
      });
      assert.equal((await res.json() as { ok: boolean }).ok, true);
      assert.deepEqual(slack.posted[0].blocks, [section("form")]);
    });
  });

  it("chat.postMessage answers invalid_json for a malformed JSON body", async () => {
    await withEmulator({}, async (slack) => {
      const res = await fetch(`${slack.apiUrl}/chat.postMessage`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: "{",
      });
      assert.deepEqual(await res.json(), { ok: false, error: "invalid_json" });
    });
  });
});

describe("conversations.list", () => {
  it("conversations.list pages through visible channels with next_cursor", async () => {
    await withEmulator({ pageSize: 2 }, async (slack) => {
      const pages: unknown[][] = [];
      let cursor = "";
      do {
        const query: Record<string, string> = {
          types: "public_channel,private_channel",
          exclude_archived: "true",
          limit: "1000",
        };
        if (cursor) query.cursor = cursor;
        const res = await listPage(slack, query);
        assert.equal(res.body.ok, true);
        pages.push(res.body.channels as unknown[]);
        cursor = (res.body.response_metadata as { next_cursor: string }).next_cursor;
      } while (cursor && pages.length < 10);
      assert.deepEqual(pages.map((page) => page.length), [2, 2]);
      assert.deepEqual(pages.flat(), [
        {
          id: "C0000000001",
          name: "alerts",
          is_private: false,
          is_member: true,
          is_archived: false,
        },
        {
          id: "C0000000002",
          name: "hidden",
          is_private: false,
          is_member: true,
          is_archived: false,
        },
        {
          id: "G0000000004",
          name: "team-private",
          is_private: true,
          is_member: true,
          is_archived: false,
        },
        {
          id: "C0000000005",
          name: "outside",
          is_private: false,
          is_member: false,
          is_archived: false,
        },
      ]);
    });
  });

  it("conversations.list lists only public channels by default and keeps archived ones unless excluded", async () => {
    await withEmulator({ pageSize: 100 }, async (slack) => {
      const res = await listPage(slack, {});
      const ids = (res.body.channels as Array<{ id: string }>).map((c) => c.id);
      assert.deepEqual(ids, ["C0000000001", "C0000000002", "C0000000005", "C0000000006"]);
      assert.equal((res.body.response_metadata as { next_cursor: string }).next_cursor, "");
    });
  });

  it("conversations.list honours a limit smaller than the page size", async () => {
    await withEmulator({ pageSize: 100 }, async (slack) => {
      const res = await listPage(slack, { limit: "1" });
      assert.equal((res.body.channels as unknown[]).length, 1);
      assert.notEqual((res.body.response_metadata as { next_cursor: string }).next_cursor, "");
    });
  });

  it("conversations.list answers invalid_cursor for a cursor it did not give", async () => {
    await withEmulator({}, async (slack) => {
      const res = await listPage(slack, { cursor: "bm9wZQ==" });
      assert.deepEqual(res.body, { ok: false, error: "invalid_cursor" });
    });
  });

  it("conversations.list accepts a POST form body", async () => {
    await withEmulator({ pageSize: 100 }, async (slack) => {
      const res = await fetch(`${slack.apiUrl}/conversations.list`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "types=private_channel",
      });
      const body = await res.json() as { channels: Array<{ id: string }> };
      assert.deepEqual(body.channels.map((c: { id: string }) => c.id), ["G0000000004"]);
    });
  });
});

describe("incoming webhooks", () => {
  it("a webhook answers 200 ok and records the message", async () => {
    await withEmulator({ webhooks: [{ path: HOOK }] }, async (slack) => {
      const blocks = [section("hi")];
      const res = await postHook(slack, HOOK, JSON.stringify({ text: "hi", blocks }));
      assert.equal(res.status, 200);
      assert.equal(res.text, "ok");
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
      assert.equal(slack.posted.length, 1);
      assert.equal(slack.posted[0].via, "webhook");
      assert.equal(slack.posted[0].channel, HOOK);
      assert.deepEqual(slack.posted[0].blocks, blocks);
    });
  });

  const deadKinds = [
    ["no_service", 404],
    ["channel_not_found", 404],
    ["channel_is_archived", 410],
    ["action_prohibited", 403],
  ] as const;
  for (const [dead, status] of deadKinds) {
    it(`a dead webhook answers ${status} ${dead}`, async () => {
      await withEmulator({ webhooks: [{ path: HOOK, dead }] }, async (slack) => {
        const res = await postHook(slack, HOOK, JSON.stringify({ text: "hi" }));
        assert.equal(res.status, status);
        assert.equal(res.text, dead);
        assert.equal(slack.posted.length, 0);
      });
    });
  }

  it("a webhook answers 404 no_service for an unknown path", async () => {
    await withEmulator({ webhooks: [{ path: HOOK }] }, async (slack) => {
      const res = await postHook(slack, "/services/T000/B000/OTHER", JSON.stringify({ text: "x" }));
      assert.equal(res.status, 404);
      assert.equal(res.text, "no_service");
    });
  });

  it("a webhook answers 400 for an invalid payload, no text or invalid blocks", async () => {
    await withEmulator({ webhooks: [{ path: HOOK }] }, async (slack) => {
      const cases = [
        ["{not json", "invalid_payload"],
        ["[]", "invalid_payload"],
        ["{}", "no_text"],
        [JSON.stringify({ text: "x", blocks: [section("a".repeat(3001))] }), "invalid_blocks"],
      ];
      for (const [body, error] of cases) {
        const res = await postHook(slack, HOOK, body);
        assert.equal(res.status, 400, body);
        assert.equal(res.text, error, body);
      }
      assert.equal(slack.posted.length, 0);
    });
  });
});

describe("rate limiting", () => {
  it("a second post to a channel within rateLimitMs gets 429 with Retry-After", async () => {
    await withEmulator({ rateLimitMs: 1500 }, async (slack) => {
      const first = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "1" });
      assert.equal(first.body.ok, true);
      const second = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "2" });
      assert.equal(second.status, 429);
      assert.equal(second.headers.get("retry-after"), "2");
      assert.deepEqual(second.body, { ok: false, error: "ratelimited" });
      const other = await callApi(slack, "chat.postMessage", { channel: "C0000000002", text: "3" });
      assert.equal(other.body.ok, true);
      assert.equal(slack.posted.length, 2);
    });
  });

  it("a post after the window is accepted and a limited post restarts the window", async () => {
    let clock = 0;
    await withEmulator({ rateLimitMs: 1000, now: () => clock }, async (slack) => {
      const post = async () =>
        (await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" })).status;
      assert.equal(await post(), 200);
      clock = 999;
      assert.equal(await post(), 429);
      clock = 1500;
      assert.equal(await post(), 429);
      clock = 2500;
      assert.equal(await post(), 200);
      assert.deepEqual(slack.requests.map((r) => r.at), [0, 999, 1500, 2500]);
    });
  });

  it("a second post to a webhook within rateLimitMs gets 429 rate_limited", async () => {
    await withEmulator({ rateLimitMs: 1000, webhooks: [{ path: HOOK }] }, async (slack) => {
      assert.equal((await postHook(slack, HOOK, '{"text":"1"}')).status, 200);
      const limited = await postHook(slack, HOOK, '{"text":"2"}');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get("retry-after"), "1");
      assert.equal(limited.text, "rate_limited");
    });
  });
});

describe("faults", () => {
  it("a status fault answers its status, body and content type, `times` times", async () => {
    const html = "<html><body>Bad Gateway</body></html>";
    await withEmulator({
      faults: [{
        fault: { kind: "status", status: 502, body: html, contentType: "text/html", times: 1 },
      }],
    }, async (slack) => {
      const res = await fetch(`${slack.apiUrl}/auth.test`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(res.status, 502);
      assert.equal(res.headers.get("content-type"), "text/html");
      assert.equal(await res.text(), html);
      assert.equal((await callApi(slack, "auth.test", {})).body.ok, true);
      assert.deepEqual(slack.requests.map((r) => r.status), [502, 200]);
    });
  });

  it("a ratelimit fault answers 429 with or without Retry-After", async () => {
    await withEmulator({
      faults: [
        { fault: { kind: "ratelimit", retryAfter: 3, times: 1 } },
        { fault: { kind: "ratelimit", retryAfter: null, times: 1 } },
      ],
    }, async (slack) => {
      const withHeader = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" });
      assert.equal(withHeader.status, 429);
      assert.equal(withHeader.headers.get("retry-after"), "3");
      assert.deepEqual(withHeader.body, { ok: false, error: "ratelimited" });
      const without = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" });
      assert.equal(without.status, 429);
      assert.equal(without.headers.get("retry-after"), null);
      assert.equal(slack.posted.length, 0);
    });
  });

  it("a slack_error fault answers HTTP 200 with ok false and the error", async () => {
    await withEmulator({
      faults: [{ fault: { kind: "slack_error", error: "internal_error" } }],
    }, async (slack) => {
      const res = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { ok: false, error: "internal_error" });
    });
  });

  it("a timeout fault never answers, so the client's timeout aborts", async () => {
    await withEmulator({ faults: [{ fault: { kind: "timeout" } }] }, async (slack) => {
      await assert.rejects(
        fetch(`${slack.apiUrl}/auth.test`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}` },
          signal: AbortSignal.timeout(200),
        }),
        { name: "TimeoutError" },
      );
      assert.equal(slack.requests[0].status, 0);
    });
  });

  it("a reset fault destroys the connection, so fetch rejects", async () => {
    await withEmulator({ faults: [{ fault: { kind: "reset" } }] }, async (slack) => {
      await assert.rejects(callApi(slack, "auth.test", {}), TypeError);
      assert.ok(slack.requests.length >= 1);
      assert.ok(slack.requests.every((r) => r.status === 0));
    });
  });

  it("faults match on path and channel, first added first, and addFault() appends", async () => {
    await withEmulator({
      webhooks: [{ path: HOOK }],
      faults: [
        { fault: { kind: "status", status: 503 }, match: { path: HOOK } },
        {
          fault: { kind: "slack_error", error: "fatal_error", times: 1 },
          match: { channel: "alerts" },
        },
        {
          fault: { kind: "slack_error", error: "service_unavailable" },
          match: { channel: "alerts" },
        },
      ],
    }, async (slack) => {
      assert.equal((await postHook(slack, HOOK, '{"text":"x"}')).status, 503);
      const other = await callApi(slack, "chat.postMessage", { channel: "C0000000002", text: "x" });
      assert.equal(other.body.ok, true);
      const first = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" });
      assert.equal(first.body.error, "fatal_error");
      const second = await callApi(slack, "chat.postMessage", { channel: "alerts", text: "x" });
      assert.equal(second.body.error, "service_unavailable");
      slack.addFault({ fault: { kind: "status", status: 500 }, match: { channel: "C0000000002" } });
      const added = await fetch(`${slack.apiUrl}/chat.postMessage`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: "C0000000002", text: "x" }),
      });
      assert.equal(added.status, 500);
      await added.body?.cancel();
      assert.equal(slack.requests.at(-1)?.status, 500);
    });
  });
});

describe("close()", () => {
  it("close() resolves and fails the client even while a request is held", async () => {
    const slack = await startSlackEmulator({ faults: [{ fault: { kind: "timeout" } }] });
    // The outcome is taken at once, so the rejection close() causes is never unhandled.
    const outcome = fetch(`${slack.apiUrl}/auth.test`, { method: "POST" }).then(
      () => "answered",
      () => "failed",
    );
    try {
      await requestsArrived(slack, 1);
    } finally {
      await slack.close();
    }
    assert.equal(await outcome, "failed");
    assert.equal(slack.requests[0].status, 0);
    await slack.close();
  });
});
