/**
 * `deno task bench` (part 2): peak memory of the 100k case, against the input size.
 *
 * Runs the real CLI code (`--dry-run --json`, output discarded) on 100k
 * generated alerts and a facts file of matching size, in a fresh process,
 * and reports its peak resident memory (Linux `VmHWM`) and the same for a
 * bare process that only reads and parses the inputs.
 *
 * @module
 */

import { generateFacts, generateReport } from "../scripts/generate.ts";
import { FIVE_ROUTES } from "./routes.ts";

const root = new URL("../", import.meta.url).pathname;
const alerts = Number(Deno.args[0] ?? 100_000);
const dir = await Deno.makeTempDir({ prefix: "slack-notify-mem-" });

const CHILD = (kind: "cli" | "parse") => `
import { readFile } from "node:fs/promises";
${kind === "cli" ? `import { runCli } from "${root}lib/cli.ts";` : ""}
const [report, facts, config] = ${
  JSON.stringify([`${dir}/report.json`, `${dir}/facts.json`, `${dir}/config.json`])
};
${
  kind === "cli"
    ? `await runCli(["--config", config, "--report", report, "--facts", facts, "--dry-run", "--json", "--quiet"], {
  env: () => undefined, readFile: (p) => readFile(p, "utf8"), readStdin: async () => "",
  stdout: () => {}, stderr: () => {},
});`
    : `const kept = [JSON.parse(await readFile(report, "utf8")), JSON.parse(await readFile(facts, "utf8"))];`
}
const status = await Deno.readTextFile("/proc/self/status");
console.log(/VmHWM:\\s+(\\d+)/.exec(status)[1]);
`;

async function peakKb(kind: "cli" | "parse"): Promise<number> {
  await Deno.writeTextFile(`${dir}/${kind}.ts`, CHILD(kind));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${dir}/${kind}.ts`],
    stderr: "inherit",
  })
    .output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

try {
  await Deno.writeTextFile(`${dir}/report.json`, JSON.stringify(generateReport(alerts, alerts)));
  await Deno.writeTextFile(`${dir}/facts.json`, JSON.stringify(generateFacts(alerts)));
  await Deno.writeTextFile(`${dir}/config.json`, FIVE_ROUTES);
  const input = (await Deno.stat(`${dir}/report.json`)).size +
    (await Deno.stat(`${dir}/facts.json`)).size;
  const cli = (await peakKb("cli")) * 1024;
  const parse = (await peakKb("parse")) * 1024;
  console.log(
    `inputs ${(input / 1e6).toFixed(1)} MB (${alerts} alerts, ${alerts} components, 5 routes)`,
  );
  console.log(
    `  CLI --dry-run --json peak RSS   ${(cli / 1e6).toFixed(0).padStart(5)} MB  ${
      (cli / input).toFixed(2)
    } x input`,
  );
  console.log(
    `  read + JSON.parse peak RSS      ${(parse / 1e6).toFixed(0).padStart(5)} MB  ${
      (parse / input).toFixed(2)
    } x input`,
  );
  console.log(JSON.stringify({ bench: "memory", alerts, input, cli, parse }));
} finally {
  await Deno.remove(dir, { recursive: true });
}
