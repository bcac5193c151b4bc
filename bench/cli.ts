/**
 * `deno task bench` (part 4): the CLI's `--dry-run --json` on generated inputs,
 * against the baseline of a bare script that only reads, `JSON.parse`s and
 * `JSON.stringify`s the same inputs, as separate processes in the same
 * runtime, side by side (alternating, median of several runs). Also the
 * CLI's start-up (`--version`) against a bare `deno run` of an empty file.
 *
 * Usage: `deno run -A bench/cli.ts [ALERTS] [COMPONENTS] [RUNS]`
 * (default 20000 20000 7). Prints a table and one JSON line for BENCHMARKS.md.
 *
 * @module
 */

import { generateFacts, generateReport } from "../scripts/generate.ts";

const root = new URL("../", import.meta.url).pathname;
const [alerts, components, runs] = [
  Number(Deno.args[0] ?? 20000),
  Number(Deno.args[1] ?? 20000),
  Number(Deno.args[2] ?? 7),
];
const dir = await Deno.makeTempDir({ prefix: "slack-notify-bench-" });

const CONFIG = {
  mode: "webhook",
  url: [
    { name: "all", url: "https://hooks.slack.com/services/T0/B0/ALL" },
    { name: "critical", url: "https://hooks.slack.com/services/T0/B0/CRIT" },
    { name: "reachable", url: "https://hooks.slack.com/services/T0/B0/REACH" },
  ],
  url_configs: {
    critical: { severities: ["critical", "high"] },
    reachable: { reachability_alerts_only: true },
  },
};

const BASELINE = `
const [report, facts] = await Promise.all([Deno.readTextFile(Deno.args[0]), Deno.readTextFile(Deno.args[1])]);
const out = JSON.stringify([JSON.parse(report), JSON.parse(facts)]);
await Deno.stdout.write(new TextEncoder().encode(String(out.length)));
`;

async function time(args: string[]): Promise<number> {
  const started = performance.now();
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`${args.join(" ")} exited ${code}: ${new TextDecoder().decode(stderr)}`);
  }
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

try {
  await Deno.writeTextFile(
    `${dir}/report.json`,
    JSON.stringify(generateReport(alerts, components)),
  );
  await Deno.writeTextFile(`${dir}/facts.json`, JSON.stringify(generateFacts(components)));
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(CONFIG));
  await Deno.writeTextFile(`${dir}/baseline.ts`, BASELINE);
  await Deno.writeTextFile(`${dir}/empty.ts`, "");
  const size = (await Deno.stat(`${dir}/report.json`)).size +
    (await Deno.stat(`${dir}/facts.json`)).size;

  const cli = [
    "run",
    "--allow-read",
    "--allow-env",
    `${root}cli.ts`,
    "--config",
    `${dir}/config.json`,
    "--report",
    `${dir}/report.json`,
    "--facts",
    `${dir}/facts.json`,
    "--dry-run",
    "--json",
    "--quiet",
  ];
  const baseline = [
    "run",
    "--allow-read",
    `${dir}/baseline.ts`,
    `${dir}/report.json`,
    `${dir}/facts.json`,
  ];
  const version = ["run", "--allow-read", "--allow-env", `${root}cli.ts`, "--version"];
  const empty = ["run", `${dir}/empty.ts`];

  // One warm-up each (module cache, file cache), then alternate so drift hits both alike.
  for (const args of [cli, baseline, version, empty]) await time(args);
  const t = {
    cli: [] as number[],
    baseline: [] as number[],
    version: [] as number[],
    empty: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    t.cli.push(await time(cli));
    t.baseline.push(await time(baseline));
    t.version.push(await time(version));
    t.empty.push(await time(empty));
  }
  const m = {
    cli: median(t.cli),
    baseline: median(t.baseline),
    version: median(t.version),
    empty: median(t.empty),
  };
  console.log(
    `inputs: ${alerts} alerts, ${components} components, ${
      (size / 1e6).toFixed(1)
    } MB; 3 routes; ${runs} runs`,
  );
  console.log(`  --dry-run --json      ${m.cli.toFixed(0).padStart(6)} ms`);
  console.log(`  parse + stringify     ${m.baseline.toFixed(0).padStart(6)} ms`);
  console.log(
    `  ratio                 ${
      (m.cli / m.baseline).toFixed(2).padStart(6)
    } x   (target at most 2x)`,
  );
  console.log(`  --version             ${m.version.toFixed(0).padStart(6)} ms`);
  console.log(`  empty deno run        ${m.empty.toFixed(0).padStart(6)} ms`);
  console.log(`  start-up ratio        ${(m.version / m.empty).toFixed(2).padStart(6)} x`);
  console.log(JSON.stringify({ bench: "cli", alerts, components, bytes: size, ...m }));
} finally {
  await Deno.remove(dir, { recursive: true });
}
