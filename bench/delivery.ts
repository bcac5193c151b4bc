/**
 * `deno task bench` (part 3): delivery at Slack's rate limit.
 *
 * 40 messages over 8 channels (5 each) through the Slack emulator, which
 * allows one post per second per channel and answers 429 to anything faster.
 * The bound is set by the busiest channel: (messages on it - 1) x 1 s. The
 * same run done one message at a time, as the Socket Python CLI posts, is
 * timed for comparison.
 *
 * @module
 */

import { buildPlan } from "../lib/plan.ts";
import { deliver } from "../lib/notify.ts";
import { validateConfig } from "../lib/config.ts";
import { parseReport } from "../lib/report.ts";
import { startSlackEmulator } from "../scripts/slack_emulator.ts";

const CHANNELS = 8;
const PER_CHANNEL = 5;
const TOKEN = "xoxb-bench";

const channels = Array.from(
  { length: CHANNELS },
  (_, i) => ({ id: `C0BENCH000${i}`, name: `bench-${i}` }),
);
const alerts = 24 * (PER_CHANNEL - 1) + 1; // 5 parts per channel
const report = parseReport(JSON.stringify({
  new_alerts: Array.from(
    { length: alerts },
    (_, i) => ({ type: "malware", severity: "critical", title: `a${i}` }),
  ),
})).report;
const { config } = validateConfig({
  mode: "bot",
  bot_configs: [{ channels: channels.map((c) => c.id) }],
}, "bench");
const plan = buildPlan({ config, report, context: {} });

async function run(oneAtATime: boolean): Promise<{ ms: number; limited: number; sent: number }> {
  const emu = await startSlackEmulator({ tokens: [TOKEN], channels, rateLimitMs: 1000 });
  try {
    const started = performance.now();
    let sent = 0;
    const plans = oneAtATime
      ? channels.map((c) => ({
        ...plan,
        messages: plan.messages.filter((m) => m.destination.name.endsWith(c.id)),
      }))
      : [plan];
    for (const part of plans) {
      sent += (await deliver(part, {
        botToken: TOKEN,
        apiUrl: emu.apiUrl,
        concurrency: oneAtATime ? 1 : 4,
      })).sent;
    }
    return {
      ms: performance.now() - started,
      limited: emu.requests.filter((r) => r.status === 429).length,
      sent,
    };
  } finally {
    await emu.close();
  }
}

const bound = (PER_CHANNEL - 1) * 1000;
console.log(
  `${plan.messages.length} messages over ${CHANNELS} channels, 1 message/s/channel; bound ${bound} ms`,
);
const parallel = await run(false);
console.log(
  `  paced, channels side by side  ${parallel.ms.toFixed(0).padStart(6)} ms  ` +
    `${(parallel.ms / bound).toFixed(3)} x bound  ${parallel.limited} x 429  ${parallel.sent} sent`,
);
const sequential = Deno.args.includes("--skip-sequential") ? undefined : await run(true);
if (sequential) {
  console.log(
    `  one message at a time         ${sequential.ms.toFixed(0).padStart(6)} ms  ` +
      `${
        (sequential.ms / bound).toFixed(3)
      } x bound  ${sequential.limited} x 429  ${sequential.sent} sent`,
  );
}
console.log(JSON.stringify({ bench: "delivery", bound, parallel, sequential }));
