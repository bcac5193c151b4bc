/**
 * `deno task demo`: the real CLI, as a separate process, on the bundled
 * fixtures in webhook mode and in bot mode. For now a dry run: it prints the
 * plan (destinations, parts, blocks) and sends nothing.
 *
 * @module
 */

const root = new URL("../", import.meta.url).pathname;

async function cli(title: string, args: string[], env: Record<string, string>): Promise<void> {
  console.log(`\n=== ${title}`);
  // Webhook URLs are secrets, even a demo's: show them redacted, as the CLI does.
  const shown = args.map((a) => a.replace(/(\/services\/[^/]+\/[^/]+\/).+$/, "$1***"));
  console.log(`$ slack-notify ${shown.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", `${root}cli.ts`, ...args],
    cwd: root,
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  console.log(`(exit status ${code})`);
  if (code !== 0) Deno.exitCode = code;
}

await cli(
  "Webhook mode: a 60-alert report (3 parts) and a reachability facts file",
  [
    "--slack-webhook",
    "http://127.0.0.1:9/services/T000/B000/DEMO",
    "--report",
    "fixtures/three-parts/report.json",
    "--facts",
    "fixtures/samples/java-northwind.socket.facts.json",
    "--pr",
    "42",
    "--dry-run",
  ],
  {},
);

await cli(
  "Bot mode: two routes, channel names and IDs",
  [
    "--config",
    "fixtures/bot-mode/config.json",
    "--report",
    "fixtures/three-parts/report.json",
    "--facts",
    "fixtures/samples/java-northwind.socket.facts.json",
    "--dry-run",
  ],
  { SOCKET_SLACK_BOT_TOKEN: "xoxb-demo-token" },
);
