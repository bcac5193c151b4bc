/**
 * `deno task bench` (part 1): planning against its baseline, in one run.
 *
 * For 1k, 10k and 100k alerts with a facts file of matching size and 5
 * routes, `planning` is what the CLI does before it writes anything: parse
 * and validate both inputs, filter, build and split every message. Its
 * baseline is the least any tool must do with the same data: `JSON.parse`
 * of both inputs and `JSON.stringify` of the planned output. Deno prints each
 * group's ratio against its baseline; the per-alert cost is the planning
 * time divided by the alert count.
 *
 * @module
 */

import { parseConfig } from "../lib/config.ts";
import { parseFacts } from "../lib/facts.ts";
import { buildPlan } from "../lib/plan.ts";
import { parseReport } from "../lib/report.ts";
import { generateFacts, generateReport } from "../scripts/generate.ts";
import { FIVE_ROUTES } from "./routes.ts";

const { config } = parseConfig(FIVE_ROUTES, "bench");

function plan(report: string, facts: string) {
  const r = parseReport(report).report;
  const f = parseFacts(facts).facts;
  return buildPlan({ config, report: r, facts: f, context: { repo: r.repo, sha: r.sha, pr: "1" } });
}

for (const alerts of [1_000, 10_000, 100_000]) {
  const report = JSON.stringify(generateReport(alerts, alerts));
  const facts = JSON.stringify(generateFacts(alerts));
  const output = plan(report, facts).messages.map((m) => m.message);
  const group = `${alerts / 1000}k alerts`;
  Deno.bench(
    `${group}: JSON.parse inputs + JSON.stringify output`,
    { group, baseline: true },
    () => {
      JSON.parse(report);
      JSON.parse(facts);
      JSON.stringify(output);
    },
  );
  Deno.bench(`${group}: planning (parse, validate, filter, build, split)`, {
    group,
    n: alerts >= 100_000 ? 10 : undefined,
  }, () => {
    plan(report, facts);
  });
}
