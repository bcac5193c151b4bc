import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "../lib/config.ts";
import { parseFacts } from "../lib/facts.ts";
import { notify } from "../lib/notify.ts";
import { buildPlan } from "../lib/plan.ts";
import { parseReport } from "../lib/report.ts";
import type { Message } from "../lib/types.ts";
import { prng } from "../scripts/generate.ts";
import { HOOKS, workspace } from "./support/slack.ts";

const CASES = 10_000;
const SEED = 20261128;

const PIECES = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!here|here>",
  "<@U0123ABCD>",
  "<@W0123|bob>",
  "<#C0123456789>",
  "<#C0123456789|general>",
  "<!subteam^S0123|@team>",
  "<!date^1392734382^{date}|x>",
  "<https://evil.example|click me>",
  "<http://evil.example>",
  "<mailto:a@evil.example|mail>",
  "<slack://open>",
  "&",
  "&amp;",
  "&lt;!channel&gt;",
  "&#60;",
  "<",
  ">",
  "|",
  "*bold*",
  "_it_",
  "~s~",
  "`",
  "```",
  "\n",
  "\r\n",
  "\u2028",
  "\u202e",
  "\u200b",
  "\ufeff",
  "\ud800",
  "\udc00",
  "😀",
  "\u0000",
  "a",
  "lodash",
  "1.0.0",
  " ",
];

function hostile(next: () => number): string {
  if (next() < 0.02) return "<!channel>".repeat(Math.floor(next() * 700)); // long: up to ~7000 characters
  let out = "";
  const n = 1 + Math.floor(next() * 5);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

function url(next: () => number): string {
  const r = next();
  if (r < 0.4) return `https://socket.dev/npm/package/${hostile(next)}`;
  if (r < 0.5) return `javascript:${hostile(next)}`;
  return hostile(next);
}

function hostileCase(next: () => number) {
  const alerts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
    type: next() < 0.5 ? "malware" : hostile(next),
    severity: ["low", "middle", "high", "critical"][Math.floor(next() * 4)],
    title: hostile(next),
    pkg_type: hostile(next),
    pkg_name: hostile(next),
    pkg_version: hostile(next),
    purl: hostile(next),
    url: url(next),
    introduced_by: [[hostile(next), hostile(next)], [hostile(next), hostile(next)]],
    error: next() < 0.5,
    props: { ghsaId: hostile(next), cveId: hostile(next) },
  }));
  const frame = () => ({
    package: hostile(next),
    class: next() < 0.3 ? hostile(next) : undefined,
    sourceLocation: next() < 0.7
      ? { filename: hostile(next), start: { line: 1, column: 2 }, end: { line: 3, column: 4 } }
      : undefined,
  });
  const components = Array.from({ length: 1 + Math.floor(next() * 2) }, () => {
    const id = hostile(next);
    return {
      type: hostile(next) || "npm",
      namespace: next() < 0.5 ? hostile(next) : undefined,
      name: hostile(next) || "x",
      version: hostile(next),
      vulnerabilities: [{ ghsaId: id, severity: "HIGH" }, { cveId: hostile(next) }],
      reachability: [{
        ghsa_id: id,
        reachability: [{ type: "reachable", matches: [[frame(), frame(), frame()]] }],
      }],
    };
  });
  return {
    report: {
      new_alerts: alerts,
      diff_url: url(next),
      repo: hostile(next),
      branch: hostile(next),
      commit_sha: hostile(next),
    },
    facts: { components },
    pr: hostile(next),
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Our own links: `<http(s)://target|label>` with nothing in the target that could end it early. */
const OWN_LINK = /<https?:\/\/[^\s<>|]*\|[^<>]*>/gi;

function assertSafe(message: Message, where: string): void {
  assert.ok(message.text.length > 0 && message.text.length <= 3000, `${where}: text`);
  assert.ok(message.blocks.length <= 50, `${where}: ${message.blocks.length} blocks`);
  const texts = [
    message.text,
    ...message.blocks.flatMap((b) => (b.type === "section" ? [b.text.text] : [])),
  ];
  for (const text of texts) {
    assert.ok(text.length <= 3000, `${where}: a section of ${text.length} characters`);
    assert.ok(!LONE_SURROGATE.test(text), `${where}: not well-formed UTF-16`);
    const rest = text.replace(OWN_LINK, "");
    assert.ok(
      !/[<>]/.test(rest),
      `${where}: live sequence in ${JSON.stringify(text.slice(0, 300))}`,
    );
    assert.ok(
      !/&(?!amp;|lt;|gt;)/.test(text),
      `${where}: raw & in ${JSON.stringify(text.slice(0, 300))}`,
    );
  }
  for (const [, label] of texts.join("\n").matchAll(/<https?:\/\/[^|]*\|([^>]*)>/gi)) {
    assert.ok(!label.includes("<"), `${where}: a link label holds a sequence`);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(message)), message, `${where}: not valid JSON`);
}

const { config } = validateConfig(
  { url: "https://hooks.slack.com/services/T/B/X" },
  "property test",
);

describe("escaping, property-tested", () => {
  it(`${CASES} seeded hostile reports and facts files: nothing live, nothing over Slack's limits`, () => {
    const next = prng(SEED);
    let messages = 0;
    for (let i = 0; i < CASES; i++) {
      const c = hostileCase(next);
      const { report } = parseReport(JSON.stringify(c.report), { source: `case ${i}` });
      const { facts } = parseFacts(JSON.stringify(c.facts), { source: `case ${i}` });
      const plan = buildPlan({ config, report, facts, context: { ...report, pr: c.pr } });
      assert.ok(plan.messages.length >= 2, `case ${i}: both messages planned`);
      for (const m of plan.messages) assertSafe(m.message, `case ${i} (seed ${SEED})`);
      messages += plan.messages.length;
    }
    assert.ok(messages >= CASES * 2);
  });

  it("hostile messages pass the Slack emulator's validation on the wire", async () => {
    const emu = await workspace({ rateLimitMs: 0 });
    try {
      const next = prng(SEED + 1);
      for (let i = 0; i < 20; i++) {
        const c = hostileCase(next);
        const result = await notify({
          config: { url: emu.webhookUrl(HOOKS.live) },
          report: c.report,
          facts: c.facts,
          context: { pr: c.pr },
          minIntervalMs: 0,
        });
        assert.equal(
          result.failed,
          0,
          JSON.stringify(result.messages.find((m) => m.status !== "sent")),
        );
      }
    } finally {
      await emu.close();
    }
  });
});
