/**
 * `deno task demo`: starts the local Slack emulator, runs the real CLI (a
 * separate process) on the bundled fixtures in webhook mode and in bot mode,
 * and prints what the emulated Slack received. Nothing leaves this machine.
 *
 * @module
 */

import { type SlackEmulator, startSlackEmulator } from "./slack_emulator.ts";

const root = new URL("../", import.meta.url).pathname;
const TOKEN = "xoxb-demo-token";

const emulator = await startSlackEmulator({
  tokens: [TOKEN],
  // Slack's own pace: about one message per second per channel, no bursts.
  rateLimitMs: 1000,
  channels: [
    { id: "C0DEMO00001", name: "security-alerts" },
    { id: "C0DEMO00002", name: "dev-alerts" },
    { id: "C0DEMO00003", name: "appsec-triage", resolvableByName: false },
    { id: "G0DEMO00004", name: "incident-response", isPrivate: true },
  ],
  webhooks: [{ path: "/services/T0DEMO/B0DEMO1/demo-secret-1" }, {
    path: "/services/T0DEMO/B0DEMO2/demo-secret-2",
  }],
});

async function cli(title: string, args: string[], env: Record<string, string>): Promise<number> {
  console.log(`\n=== ${title}`);
  console.log(`$ slack-notify ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-net=127.0.0.1", `${root}cli.ts`, ...args],
    cwd: root,
    env,
    stdout: "null",
    stderr: "inherit",
  }).output();
  console.log(`(exit status ${code})`);
  return code;
}

function delivered(emu: SlackEmulator, names: Record<string, string>): void {
  console.log("\nThe emulated Slack received:");
  const counts = new Map<string, { messages: number; blocks: number; threaded: number }>();
  for (const post of emu.posted) {
    const where = names[post.channel] ?? post.channel;
    const c = counts.get(where) ?? { messages: 0, blocks: 0, threaded: 0 };
    c.messages++;
    c.blocks += post.blocks.length;
    if (post.threadTs) c.threaded++;
    counts.set(where, c);
  }
  for (const [where, c] of counts) {
    console.log(
      `  ${where.padEnd(24)} ${c.messages} messages, ${c.blocks} blocks` +
        (c.threaded ? `, ${c.threaded} in a thread` : ""),
    );
  }
  const limited = emu.requests.filter((r) => r.status === 429).length;
  console.log(`  (${emu.requests.length} requests, ${limited} answered 429)`);
  emu.reset();
}

const reportArgs = [
  "--report",
  "fixtures/three-parts/report.json",
  "--facts",
  "fixtures/samples/java-northwind.socket.facts.json",
  "--pr",
  "42",
];

const webhookConfig = {
  mode: "webhook",
  url: [
    { name: "security", url: emulator.webhookUrl("/services/T0DEMO/B0DEMO1/demo-secret-1") },
    { name: "critical-only", url: emulator.webhookUrl("/services/T0DEMO/B0DEMO2/demo-secret-2") },
  ],
  url_configs: { "critical-only": { severities: ["critical"] } },
};
let status = await cli("Webhook mode: two webhooks, one filtered to critical alerts", reportArgs, {
  SOCKET_SLACK_CONFIG_JSON: JSON.stringify(webhookConfig),
});
delivered(emulator, {
  "/services/T0DEMO/B0DEMO1/demo-secret-1": "webhook security",
  "/services/T0DEMO/B0DEMO2/demo-secret-2": "webhook critical-only",
});

const botConfig = {
  mode: "bot",
  bot_configs: [
    // A name, an ID, and a name Slack only knows through conversations.list.
    { name: "security", channels: ["#Security-Alerts", "C0DEMO00002", "appsec-triage"] },
    {
      name: "incidents",
      channels: ["incident-response"],
      severities: ["critical"],
      threads: false,
    },
  ],
};
status = Math.max(
  status,
  await cli(
    "Bot mode: channel by name, by ID, by a name that needs resolving, a private channel",
    reportArgs,
    {
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify(botConfig),
      SOCKET_SLACK_BOT_TOKEN: TOKEN,
      SOCKET_SLACK_API_URL: emulator.apiUrl,
    },
  ),
);
delivered(emulator, {
  C0DEMO00001: "#security-alerts",
  C0DEMO00002: "#dev-alerts",
  C0DEMO00003: "#appsec-triage",
  G0DEMO00004: "#incident-response",
});

await emulator.close();
Deno.exitCode = status;
