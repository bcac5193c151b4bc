import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { retryAfterMs, Transport, type TransportOptions, type Verdict } from "../lib/transport.ts";
import { VirtualClock } from "./support/clock.ts";

interface Call {
  url: string;
  at: number;
}

/** A scripted fetch in virtual time: each answer is a status (and headers), or an error to throw. */
function scripted(
  clock: VirtualClock,
  answers: Array<number | [number, Record<string, string>] | Error>,
) {
  const calls: Call[] = [];
  const fetch = (input: string | URL | Request) => {
    calls.push({ url: String(input), at: clock.now() });
    const next = answers.length > 1 ? answers.shift()! : answers[0];
    if (next instanceof Error) return Promise.reject(next);
    const [status, headers] = Array.isArray(next) ? next : [next, {}];
    return Promise.resolve(new Response(status === 200 ? "ok" : "nope", { status, headers }));
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const ok = (a: { status: number }): Verdict<number> =>
  a.status < 300
    ? { done: a.status }
    : a.status >= 500
    ? { retry: `HTTP ${a.status}` }
    : { done: a.status };

function transport(
  clock: VirtualClock,
  fetch: typeof globalThis.fetch,
  extra: TransportOptions = {},
) {
  return new Transport({ fetch, now: clock.now, sleep: clock.sleep, random: () => 0, ...extra });
}

const req = (key = "k") => ({
  key,
  label: key,
  url: "https://hooks.example/secret",
  body: "{}",
  interpret: ok,
});

describe("Transport.request()", () => {
  it("retries a 5xx with exponential backoff from 500 ms, at most 3 attempts", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [502]);
    const outcome = await transport(clock, fetch, { minIntervalMs: 0 }).request(req());
    assert.deepEqual(outcome, {
      ok: false,
      reason: "HTTP 502",
      attempts: 3,
      status: 502,
      hint: "Slack is failing: try again later (https://slack-status.com)",
    });
    assert.deepEqual(calls.map((c) => c.at), [0, 500, 1500]);
  });

  it("adds jitter of up to half the delay", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [500, 500, 200]);
    await transport(clock, fetch, { minIntervalMs: 0, random: () => 0.99 }).request(req());
    assert.deepEqual(calls.map((c) => c.at), [0, 748, 748 + 1495]);
  });

  it("succeeds after a failure and counts the attempts", async () => {
    const clock = new VirtualClock();
    const { fetch } = scripted(clock, [500, 200]);
    assert.deepEqual(await transport(clock, fetch).request(req()), {
      ok: true,
      value: 200,
      attempts: 2,
    });
  });

  it("waits Retry-After on 429, and 1 s when the header is absent", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [[429, { "Retry-After": "7" }], 429, 200]);
    const outcome = await transport(clock, fetch, { minIntervalMs: 0 }).request(req());
    assert.equal(outcome.ok, true);
    assert.deepEqual(calls.map((c) => c.at), [0, 7000, 8000]);
  });

  it("does not count 429 waits against the 3 attempts", async () => {
    const clock = new VirtualClock();
    const { fetch } = scripted(clock, [429, 429, 429, 429, 429, 200]);
    const outcome = await transport(clock, fetch, { minIntervalMs: 0 }).request(req());
    assert.deepEqual(outcome, { ok: true, value: 200, attempts: 6 });
  });

  it("gives up when Retry-After is over 60 s", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [[429, { "Retry-After": "120" }]]);
    const outcome = await transport(clock, fetch).request(req());
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, "ratelimited");
    assert.equal(calls.length, 1);
  });

  it("retries a network error and never puts the URL in the reason", async () => {
    const clock = new VirtualClock();
    const error = new TypeError("error sending request for url (https://hooks.example/secret)", {
      cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
    });
    const { fetch } = scripted(clock, [error]);
    const outcome = await transport(clock, fetch).request(req());
    assert.equal(!outcome.ok && outcome.reason, "network error (ECONNRESET)");
    assert.ok(!JSON.stringify(outcome).includes("secret"));
  });

  it("times out a request that never answers, and retries it", async () => {
    let calls = 0;
    const hang = ((_: unknown, init?: RequestInit) => {
      calls++;
      return new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new Error("aborted")))
      );
    }) as typeof fetch;
    const clock = new VirtualClock();
    const outcome = await transport(clock, hang, { timeoutMs: 20, maxAttempts: 2 }).request(req());
    assert.equal(!outcome.ok && outcome.reason, "timeout (no answer within 0.02 s)");
    assert.equal(calls, 2);
  });
});

describe("Transport pacing and concurrency", () => {
  it("spaces posts to one destination by the interval, counted from the end of the previous post", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [200]);
    const t = transport(clock, fetch);
    await Promise.all([t.request(req("a")), t.request(req("a")), t.request(req("a"))]);
    assert.deepEqual(calls.map((c) => c.at), [0, 1000, 2000]);
  });

  it("serves different destinations at once", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [200]);
    const t = transport(clock, fetch);
    await Promise.all(["a", "b", "c", "a"].map((k) => t.request(req(k))));
    assert.deepEqual(calls.map((c) => c.at), [0, 0, 0, 1000]);
  });

  it("holds later posts to a destination after a 429", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [[429, { "Retry-After": "5" }], 200]);
    const t = transport(clock, fetch, { minIntervalMs: 0 });
    await Promise.all([t.request(req("a")), t.request(req("a"))]);
    assert.deepEqual(calls.map((c) => c.at), [0, 5000, 5000]);
  });

  it("keeps at most `concurrency` requests in flight, while lanes run side by side in order", async () => {
    let active = 0;
    let peak = 0;
    const slow = (() => {
      active++;
      peak = Math.max(peak, active);
      return new Promise<Response>((resolve) =>
        setTimeout(() => {
          active--;
          resolve(new Response("ok"));
        }, 5)
      );
    }) as typeof fetch;
    const t = new Transport({ fetch: slow, concurrency: 2, minIntervalMs: 0 });
    const log: string[] = [];
    const lane = (name: string) => async () => {
      for (const step of [1, 2]) {
        await t.request({ ...req(name), url: `https://x/${name}${step}` });
        log.push(`${name}${step}`);
      }
    };
    await t.runLanes(["a", "b", "c", "d"].map(lane));
    assert.equal(peak, 2);
    assert.equal(log.length, 8);
    for (const name of ["a", "b", "c", "d"]) {
      assert.ok(log.indexOf(`${name}1`) < log.indexOf(`${name}2`));
    }
  });

  it("drops a queued request whose caller no longer wants it", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [200]);
    const t = transport(clock, fetch, { concurrency: 1 });
    let stop = false;
    // As the bot client does: the answer that stops the run is seen while its request holds the slot.
    const stopping = (a: { status: number }) => {
      stop = true;
      return ok(a);
    };
    const [first, second] = await Promise.all([
      t.request({ ...req("a"), interpret: stopping, skip: () => stop }),
      t.request({ ...req("b"), skip: () => stop }),
    ]);
    assert.equal(first.ok, true);
    assert.deepEqual(second, { ok: false, reason: "skipped", hint: "", attempts: 0 });
    assert.equal(calls.length, 1);
  });
});

describe("retryAfterMs()", () => {
  it("reads seconds and HTTP dates", () => {
    assert.equal(retryAfterMs("3", 0), 3000);
    assert.equal(retryAfterMs(null, 0), undefined);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  });
});

describe("Transport.link()", () => {
  it("paces a channel's name and its ID as one destination, even for a post already queued", async () => {
    const clock = new VirtualClock();
    const { calls, fetch } = scripted(clock, [200]);
    const t = transport(clock, fetch);
    let id = "";
    const key = () => id || "#dev";
    const first = t.request({ ...req(), key, url: "https://a/1" }).then((r) => {
      id = "C1";
      t.link("#dev", "C1");
      return r;
    });
    const queued = t.request({ ...req(), key: "#dev", url: "https://a/2" });
    const byId = t.request({ ...req("C1"), url: "https://a/3" });
    await Promise.all([first, queued, byId]);
    const at = Object.fromEntries(calls.map((c) => [c.url.slice(-1), c.at]));
    assert.equal(at["1"], 0);
    // "3" went out by ID before the link; once linked, "2" waits a full interval after the others.
    assert.ok(at["2"] >= Math.max(at["1"], at["3"]) + 1000, JSON.stringify(at));
  });
});
