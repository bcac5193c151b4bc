import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { notify, type NotifyOptions } from "../lib/notify.ts";
import type { DeliveryReport } from "../lib/types.ts";
import type { EmulatorOptions, FaultRule, SlackEmulator } from "../scripts/slack_emulator.ts";
import { rawAlert } from "./support/data.ts";
import { CHANNELS, FAST, HOOKS, TOKEN, workspace } from "./support/slack.ts";

/** 30 alerts: a diff message of 2 parts per destination. */
const report = {
  new_alerts: Array.from({ length: 30 }, (_, i) => rawAlert({ title: `alert ${i}` })),
};
const HEALTHY = CHANNELS.dev;
const FAULTY = CHANNELS.security;

interface Run {
  emu: SlackEmulator;
  result: DeliveryReport;
  ms: number;
}

/** A bot run to a healthy and a faulty channel, with faults on the faulty one. */
async function botRun(
  faults: FaultRule["fault"][],
  extra: Partial<NotifyOptions> & {
    emulator?: EmulatorOptions;
    setup?: (emu: SlackEmulator) => Partial<NotifyOptions>;
  } = {},
): Promise<Run> {
  const emu = await workspace({
    faults: faults.map((fault) => ({ fault, match: { channel: FAULTY.name } })),
    ...extra.emulator,
  });
  const started = performance.now();
  try {
    const result = await notify({
      config: { mode: "bot", bot_configs: [{ name: "r", channels: [HEALTHY.name, FAULTY.name] }] },
      report,
      botToken: TOKEN,
      apiUrl: emu.apiUrl,
      ...FAST,
      timeoutMs: 200,
      ...extra,
      ...extra.setup?.(emu),
    });
    return { emu, result, ms: performance.now() - started };
  } finally {
    await emu.close();
  }
}

/** Every planned message ended in a state with its reason; the healthy channel got each message once. */
function assertAccounted({ emu, result }: Run, healthy = true): void {
  for (const m of result.messages) {
    if (m.status === "failed") {
      assert.ok(m.error && m.hint, `failed with a reason: ${JSON.stringify(m)}`);
    }
    if (m.status === "skipped") assert.ok(m.reason, `skipped with a reason: ${JSON.stringify(m)}`);
  }
  assert.equal(result.sent + result.failed + result.skipped, result.messages.length);
  if (!healthy) return;
  const toHealthy = emu.posted.filter((p) => p.channel === HEALTHY.id);
  assert.equal(toHealthy.length, 2, "the healthy channel gets each message exactly once");
  assert.deepEqual(
    result.messages.filter((m) => m.destination === `r#${HEALTHY.name}`).map((m) => m.status),
    ["sent", "sent"],
  );
}

const faulty = (run: Run) =>
  run.result.messages.filter((m) => m.destination === `r#${FAULTY.name}`).map((m) =>
    [m.status, m.error ?? m.reason ?? "", m.attempts] as const
  );
const postedTo = (run: Run, id: string) => run.emu.posted.filter((p) => p.channel === id).length;

describe("fault matrix (bot mode, against the emulator)", () => {
  it("500 then success: retried, sent once", async () => {
    const run = await botRun([{ kind: "status", status: 500, times: 1 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run), [["sent", "", 2], ["sent", "", 1]]);
    assert.equal(postedTo(run, FAULTY.id), 2);
  });

  it("timeout then success: retried, sent", async () => {
    const run = await botRun([{ kind: "timeout", times: 1 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f[0]), ["sent", "sent"]);
    assert.equal(postedTo(run, FAULTY.id), 2);
  });

  it("connection reset then success: retried, sent once", async () => {
    const run = await botRun([{ kind: "reset", times: 2 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f[0]), ["sent", "sent"]);
    assert.equal(postedTo(run, FAULTY.id), 2);
  });

  it("an HTML 502 every time: fails after 3 attempts, the rest of the channel without a request", async () => {
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    const run = await botRun([{
      kind: "status",
      status: 502,
      body: html,
      contentType: "text/html",
    }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run), [["failed", "HTTP 502", 3], ["failed", "HTTP 502", 0]]);
  });

  it("a 429 storm with Retry-After: waits each out, then sends", async () => {
    const run = await botRun([{ kind: "ratelimit", retryAfter: 1, times: 2 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f[0]), ["sent", "sent"]);
    assert.ok(run.ms >= 2000, `waited ${run.ms} ms`);
  });

  it("429 without Retry-After: waits 1 s, then sends", async () => {
    const run = await botRun([{ kind: "ratelimit", retryAfter: null, times: 1 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f[0]), ["sent", "sent"]);
    assert.ok(run.ms >= 1000);
  });

  it("Retry-After above 60 s: gives up at once instead of hanging", async () => {
    const run = await botRun([{ kind: "ratelimit", retryAfter: 120 }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run), [["failed", "ratelimited", 1], ["failed", "ratelimited", 0]]);
    assert.ok(run.ms < 5000);
  });

  it("an archived channel fails as is_archived", async () => {
    const emulator = { channels: [HEALTHY, { ...FAULTY, isArchived: true }] };
    const run = await botRun([], { emulator });
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f.slice(0, 2)), [["failed", "is_archived"], [
      "failed",
      "is_archived",
    ]]);
  });

  it("the bot removed from a channel mid-run: not_in_channel after the earlier success", async () => {
    const run = await botRun([], {
      setup: (emu) => ({
        concurrency: 1,
        onEvent: (e) => {
          if (
            e.type === "message" && e.entry.destination === `r#${FAULTY.name}` &&
            e.entry.status === "sent"
          ) {
            emu.setChannel(FAULTY.id, { isMember: false });
          }
        },
      }),
    });
    assertAccounted(run);
    assert.deepEqual(faulty(run).map((f) => f.slice(0, 2)), [["sent", ""], [
      "failed",
      "not_in_channel",
    ]]);
  });

  it("invalid_auth mid-run: the run stops, everything after is skipped, nothing lost", async () => {
    const run = await botRun([], {
      setup: (emu) => ({
        concurrency: 1,
        onEvent: (e) => {
          if (e.type === "message" && e.entry.status === "sent" && e.entry.part === 1) {
            emu.addFault({ fault: { kind: "slack_error", error: "invalid_auth" } });
          }
        },
      }),
    });
    assertAccounted(run, false);
    // Lanes run side by side: which post meets the refused token first may vary; the tally may not.
    const outcomes = run.result.messages.map((m) => `${m.status} ${m.error ?? m.reason ?? ""}`)
      .sort();
    assert.deepEqual(outcomes, [
      "failed invalid_auth",
      "sent ",
      "skipped auth failed (invalid_auth)",
      "skipped auth failed (invalid_auth)",
    ]);
    assert.equal(run.emu.requests.length, 2, "nothing more was sent after the refusal");
  });

  it("invalid_blocks for one message: that message fails, its later parts are skipped, the next message goes", async () => {
    const run = await botRun([{ kind: "slack_error", error: "invalid_blocks", times: 1 }], {
      facts: JSON.stringify({
        components: [{ type: "npm", name: "x", version: "1", vulnerabilities: [{ ghsaId: "G" }] }],
      }),
    });
    assertAccounted(run, false);
    const onFaulty = run.result.messages.filter((m) => m.destination === `r#${FAULTY.name}`);
    assert.deepEqual(onFaulty.map((m) => `${m.kind} ${m.status}`), [
      "reachability failed",
      "diff sent",
      "diff sent",
    ]);
  });

  it("a server that never answers: each attempt times out, the run ends within its bound", async () => {
    const run = await botRun([{ kind: "timeout" }]);
    assertAccounted(run);
    assert.deepEqual(faulty(run), [["failed", "timeout (no answer within 0.2 s)", 3], [
      "failed",
      "timeout (no answer within 0.2 s)",
      0,
    ]]);
    assert.ok(run.ms < 3 * 200 + 1000, `${run.ms} ms`);
  });
});

describe("fault matrix (webhook mode)", () => {
  it("a webhook answering 404 no_service fails alone; the live one gets each message once", async () => {
    const emu = await workspace();
    try {
      const result = await notify({
        config: {
          url: [{ name: "live", url: emu.webhookUrl(HOOKS.live) }, {
            name: "gone",
            url: emu.webhookUrl(HOOKS.dead),
          }],
        },
        report,
        ...FAST,
      });
      assert.deepEqual(
        result.messages.map((m) => `${m.destination} ${m.status} ${m.error ?? ""}`.trim()),
        [
          "live sent",
          "live sent",
          "gone failed no_service",
          "gone failed no_service",
        ],
      );
      assert.equal(emu.posted.filter((p) => p.channel === HOOKS.live).length, 2);
    } finally {
      await emu.close();
    }
  });
});
