import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  alertSection,
  buildDiffMessages,
  buildReachabilityMessages,
  findingSection,
  MAX_BLOCKS,
  selectFindings,
  titlePart,
} from "../lib/blocks.ts";
import type { Block, Finding, Message } from "../lib/types.ts";
import { alert, finding } from "./support/data.ts";

const ctx = {
  context: { repo: "acme/web", pr: "5", sha: "0123456789abcdef" },
  diffUrl: "https://socket.dev/diff/1/2",
};

function texts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => b.type === "section" ? [b.text.text] : []);
}

/** A seeded generator, so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HOSTILE = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<@U0123ABC>",
  "<#C0123456789>",
  "<!subteam^S123>",
  "<https://evil.example|click>",
  "<mailto:x@evil.example>",
  "&",
  "&lt;!channel&gt;",
  "\n",
  "`",
  "```",
  "*_~",
  "\u202e",
  "\u200b",
];

function hostile(next: () => number, length = 3): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HOSTILE[Math.floor(next() * HOSTILE.length)] + "x";
  return out;
}

/** No live control sequence: after escaping, no `<` may remain except our own links. */
function assertNoLiveSequences(text: string): void {
  const stripped = text.replace(/<https:\/\/(socket\.dev|[a-z]+\.example)[^|<>\s]*\|[^<>]*>/g, "");
  assert.ok(!/[<>]/.test(stripped), `live sequence in ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(!/&(?!amp;|lt;|gt;)/.test(text), `raw & in ${JSON.stringify(text.slice(0, 200))}`);
}

describe("diff message", () => {
  it("builds the header with a scan link and the title part", () => {
    const [m] = buildDiffMessages([alert()], ctx);
    assert.equal(
      texts(m.blocks)[0],
      "*Socket Security issues were found in this *<https://socket.dev/diff/1/2|scan>* for PR 5 - 01234567*",
    );
    assert.equal(m.text, "Socket Security: 1 alert in acme/web for PR 5 - 01234567");
    assert.deepEqual(m.blocks.map((b) => b.type), ["section", "divider", "section", "divider"]);
  });

  it("says plain `scan` when the diff URL is empty or not http(s)", () => {
    for (const diffUrl of ["", "javascript:x"]) {
      const [m] = buildDiffMessages([alert()], { context: {}, diffUrl });
      assert.equal(texts(m.blocks)[0], "*Socket Security issues were found in this scan*");
    }
  });

  it("shows several sources and manifests each in its own code span, none as an empty span", () => {
    const several = alertSection(alert({
      introducedBy: [["npm/a@1", "package.json"], ["npm/b@2", "apps/web/package.json"], [
        "npm/a@1",
        "package.json",
      ]],
    }));
    assert.match(several.text.text, /\*Introduced by:\* `npm\/a@1`, `npm\/b@2`\n/);
    assert.match(several.text.text, /\*Manifest:\* `package.json`, `apps\/web\/package.json`\n/);
    const none = alertSection(alert({ introducedBy: [] }));
    assert.match(none.text.text, /\*Introduced by:\* ``\n\*Manifest:\* ``\n/);
  });

  it("links the purl only to an http(s) URL and shows Block or Warn", () => {
    assert.match(
      alertSection(alert({ url: "" })).text.text,
      /^\*Known malware\*\nleft-pad@1\.0\.0\n/,
    );
    assert.match(alertSection(alert({ error: false })).text.text, /\*CI Status:\* Warn$/);
  });

  it("splits 120 alerts into 5 parts of at most 24, in order, with part headers", () => {
    const alerts = Array.from({ length: 120 }, (_, i) => alert({ title: `alert ${i}` }));
    const parts = buildDiffMessages(alerts, ctx);
    assert.equal(parts.length, 5);
    parts.forEach((m, i) => {
      assert.ok(m.blocks.length <= MAX_BLOCKS);
      assert.ok(texts(m.blocks)[0].endsWith(` (part ${i + 1}/5)`));
      assert.ok(m.text.endsWith(` (part ${i + 1}/5)`));
    });
    const titles = parts.flatMap((m) => texts(m.blocks).slice(1).map((t) => t.split("\n")[0]));
    assert.deepEqual(titles, alerts.map((_, i) => `*alert ${i}*`));
  });

  it("fits exactly 24 alerts in one message of 50 blocks", () => {
    const parts = buildDiffMessages(Array.from({ length: 24 }, () => alert()), ctx);
    assert.deepEqual(parts.map((m) => m.blocks.length), [50]);
  });

  it("is empty without alerts", () => {
    assert.deepEqual(buildDiffMessages([], ctx), []);
  });

  it("cuts a section over 3000 characters at a line boundary", () => {
    const section = alertSection(
      alert({ introducedBy: Array.from({ length: 400 }, (_, i) => [`src${i}`, `m${i}`]) }),
    );
    assert.ok(section.text.text.length <= 3000);
    assert.ok(section.text.text.endsWith("…"));
  });
});

describe("hostile input", () => {
  it("120 hostile alerts: at most 50 blocks and 3000 characters, every alert once and in order, nothing live", () => {
    const next = random(120);
    const alerts = Array.from({ length: 120 }, (_, i) =>
      alert({
        title: `${i}:${hostile(next)}`,
        pkgName: hostile(next),
        pkgVersion: hostile(next, 1),
        purl: hostile(next, 2),
        url: next() < 0.3 ? `https://socket.dev/${hostile(next)}` : hostile(next, 1),
        introducedBy: [[hostile(next), hostile(next)], [
          hostile(next),
          "x".repeat(Math.floor(next() * 4000)),
        ]],
      }));
    const context = { repo: hostile(next), pr: hostile(next), sha: hostile(next) };
    const parts = buildDiffMessages(alerts, {
      context,
      diffUrl: `https://socket.dev/${hostile(next)}`,
    });
    assert.equal(parts.length, 5);
    const seen: number[] = [];
    parts.forEach((m: Message, i) => {
      assert.ok(m.blocks.length <= MAX_BLOCKS);
      assert.ok(m.text.length > 0);
      assert.ok(texts(m.blocks)[0].endsWith(`(part ${i + 1}/5)`));
      for (const t of [m.text, ...texts(m.blocks)]) {
        assert.ok(t.length <= 3000);
        assertNoLiveSequences(t);
      }
      for (const t of texts(m.blocks).slice(1)) seen.push(Number(/^\*(\d+):/.exec(t)![1]));
      JSON.parse(JSON.stringify(m));
    });
    assert.deepEqual(seen, alerts.map((_, i) => i));
  });

  it("escapes hostile findings and traces", () => {
    const f = finding({
      purl: "pkg:npm/<!channel>@1",
      id: "<@U1>",
      trace: "src/<!here>.js 1:2\n  -> <https://evil.example|x> (a & b)\n  -> ```",
    });
    const text = findingSection(f).text.text;
    assertNoLiveSequences(text);
    assert.ok(!text.slice(0, -4).includes("````"));
  });

  it("titlePart() escapes the PR and the SHA", () => {
    assert.equal(
      titlePart({ pr: "<!channel>", sha: "<!here>12345" }),
      " for PR &lt;!channel&gt; - &lt;!here&gt;1",
    );
  });
});

describe("selectFindings()", () => {
  it("shows reachable findings, then unknown and error ones of critical or high severity, by severity", () => {
    const fs: Finding[] = [
      finding({ id: "u1", state: "unknown", severity: "high" }),
      finding({ id: "r1", state: "reachable", severity: "critical" }),
      finding({ id: "x1", state: "unreachable", severity: "low" }),
      finding({ id: "e1", state: "error", severity: "critical" }),
      finding({ id: "u2", state: "unknown", severity: "medium" }),
      finding({ id: "r2", state: "reachable", severity: "critical" }),
    ];
    const s = selectFindings(fs, 45);
    assert.deepEqual(s.shown.map((f) => f.id), ["r1", "r2", "e1", "u1"]);
    assert.equal(s.unreachable, 1);
    assert.equal(s.overLimit, 1);
  });

  it("counts what is over the limit and what is unreachable disjointly", () => {
    const fs = [
      ...Array.from({ length: 10 }, () => finding({ state: "reachable" })),
      ...Array.from({ length: 4 }, () => finding({ state: "unreachable", severity: "low" })),
    ];
    const s = selectFindings(fs, 6);
    assert.deepEqual([s.shown.length, s.unreachable, s.overLimit], [6, 4, 4]);
  });
});

describe("reachability message", () => {
  const many = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => finding({ id: `GHSA-${i}`, trace: "a.js 1:1\n  -> lodash@4.17.20" }),
    );

  it("builds header, summary, findings, footer and link", () => {
    const fs = [...many(2), finding({ id: "X", state: "unreachable", severity: "low" })];
    const [m] = buildReachabilityMessages(fs, { ...ctx, maxFindings: 45 });
    const t = texts(m.blocks);
    assert.equal(t[0], "*Socket Reachability Analysis* for PR 5 - 01234567");
    assert.equal(
      t[1],
      "🔴 Critical: 2 | 🟠 High: 0 | 🟡 Medium: 0 | ⚪ Low: 1\n\n🎯 Reachable: 2 | ✓ Unreachable: 1",
    );
    assert.equal(
      t[2],
      "*Package:* `pkg:npm/lodash@4.17.20`\n\n🎯 *Reachable*\n🔴 *GHSA-0*: CRITICAL\n```\n  a.js 1:1\n    -&gt; lodash@4.17.20\n```",
    );
    assert.equal(t[4], "⚠️ *1 findings not shown* (1 unreachable)");
    assert.equal(t[5], "<https://socket.dev/diff/1/2|View full report >");
    assert.equal(
      m.text,
      "Socket Reachability Analysis: 2 reachable of 3 findings for PR 5 - 01234567",
    );
  });

  it("splits 45 findings into parts of at most 50 blocks, summary first, footer last", () => {
    const fs = [...many(60), finding({ state: "unreachable", severity: "low" })];
    const parts = buildReachabilityMessages(fs, { ...ctx, maxFindings: 45 });
    assert.equal(parts.length, 2);
    assert.ok(parts.every((m) => m.blocks.length <= MAX_BLOCKS));
    assert.match(texts(parts[0].blocks)[1], /^🔴 Critical: 60/);
    assert.ok(!texts(parts[1].blocks).some((t) => t.startsWith("🔴 Critical")));
    const last = texts(parts[1].blocks);
    assert.equal(
      last.at(-2),
      "⚠️ *16 findings not shown* (1 unreachable, 15 over the limit of 45)",
    );
    assert.equal(
      parts.flatMap((m) => texts(m.blocks)).filter((t) => t.startsWith("*Package:*")).length,
      45,
    );
    assert.ok(texts(parts[1].blocks)[0].endsWith("(part 2/2)"));
  });

  it("never leaves the footer alone in the last part", () => {
    // 23 findings fill part 1 exactly (4 + 46 blocks); the footer must not stand alone.
    const parts = buildReachabilityMessages([...many(23), finding({ state: "unreachable" })], {
      ...ctx,
      maxFindings: 45,
    });
    assert.equal(parts.length, 2);
    assert.ok(texts(parts[1].blocks).some((t) => t.startsWith("*Package:*")));
  });

  it("is empty without findings", () => {
    assert.deepEqual(buildReachabilityMessages([], { ...ctx, maxFindings: 45 }), []);
  });
});
