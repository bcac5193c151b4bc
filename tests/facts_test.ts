import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { InputError } from "../lib/errors.ts";
import { parseFacts, TRACE_LIMIT } from "../lib/facts.ts";
import { factsText } from "./support/data.ts";

function component(
  reach: unknown[] | undefined,
  vuln: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "npm",
    name: "lodash",
    version: "4.17.20",
    vulnerabilities: [{ ghsaId: "GHSA-1", ...vuln }],
    reachability: reach === undefined ? undefined : [{ ghsa_id: "GHSA-1", reachability: reach }],
  };
}

function only(c: unknown) {
  const { facts } = parseFacts(factsText([c]));
  assert.equal(facts.findings.length, 1);
  return facts.findings[0];
}

describe("parseFacts() reachability states", () => {
  const cases: Array<[string, unknown[] | undefined, string]> = [
    ["reachable when any item is reachable", [{ type: "unreachable" }, {
      type: "reachable",
      matches: [],
    }], "reachable"],
    ["unreachable when every item is unreachable", [{ type: "unreachable" }, {
      type: "unreachable",
    }], "unreachable"],
    ["unknown when unreachable is mixed with another kind", [{ type: "unreachable" }, {
      type: "missing_support",
    }], "unknown"],
    ["error when an item is an error and none is reachable", [{ type: "missing_support" }, {
      type: "error",
    }], "error"],
    ["unknown for missing_support", [{ type: "missing_support" }], "unknown"],
    [
      "unknown for undeterminable_reachability",
      [{ type: "undeterminable_reachability" }],
      "unknown",
    ],
    ["unknown for pending", [{ type: "pending" }], "unknown"],
    ["unknown for a kind it does not know", [{ type: "something_new" }], "unknown"],
    ["unknown for an entry without items", [], "unknown"],
    ["unknown (not dropped) without any entry", undefined, "unknown"],
  ];
  for (const [name, reach, state] of cases) {
    it(name, () => assert.equal(only(component(reach)).state, state));
  }

  it("is unknown when reachabilityData says undeterminable, whatever the items say", () => {
    const f = only(
      component([{ type: "reachable" }], {
        reachabilityData: { undeterminableReachability: true },
      }),
    );
    assert.equal(f.state, "unknown");
  });

  it("maps the shown severity from the state and keeps the base severity", () => {
    assert.deepEqual(
      [[{ type: "reachable" }], [{ type: "error" }], undefined, [{ type: "unreachable" }]].map(
        (r) => {
          const f = only(component(r, { severity: "MODERATE" }));
          return [f.severity, f.baseSeverity];
        },
      ),
      [["critical", "medium"], ["high", "medium"], ["high", "medium"], ["low", "medium"]],
    );
  });
});

describe("parseFacts() fields", () => {
  it("reads severity words and CVSS scores, numeric strings included", () => {
    const sev = (severity: unknown) => only(component([], { severity })).baseSeverity;
    assert.deepEqual(
      ["CRITICAL", "High", "moderate", "LOW", 9.8, "7.5", 4, "3.9", 9, undefined].map(sev),
      [
        "critical",
        "high",
        "medium",
        "low",
        "critical",
        "high",
        "medium",
        "low",
        "critical",
        "unknown",
      ],
    );
  });

  it("uses the GHSA id, else the CVE id, else Unknown", () => {
    const c = {
      type: "npm",
      name: "x",
      version: "1",
      vulnerabilities: [{ ghsaId: "GHSA-a", cveId: "CVE-1" }, { cveId: "CVE-2" }, {}],
      reachability: [{ ghsa_id: "CVE-2", reachability: [{ type: "unreachable" }] }],
    };
    const { facts } = parseFacts(factsText([c]));
    assert.deepEqual(facts.findings.map((f) => [f.id, f.state]), [
      ["GHSA-a", "unknown"],
      ["CVE-2", "unreachable"],
      ["Unknown", "unknown"],
    ]);
  });

  it("builds the purl with the namespace's @ encoded, and without a namespace segment when absent", () => {
    const scoped = only({ ...component([]), namespace: "@babel", name: "core", version: "7.0.0" });
    assert.equal(scoped.purl, "pkg:npm/%40babel/core@7.0.0");
    assert.equal(only({ ...component([]), namespace: null }).purl, "pkg:npm/lodash@4.17.20");
  });
});

describe("parseFacts() traces", () => {
  const loc = (filename: string, line?: number, endLine?: number) => ({
    filename,
    ...(line === undefined
      ? {}
      : { start: { line, column: 3 }, end: { line: endLine ?? line, column: 9 } }),
  });

  it("formats function-level frames: the first by file and span, later ones by package, then the component", () => {
    const f = only(component([{
      type: "reachable",
      matches: [[
        { package: "app", sourceLocation: loc("src/a.js", 10, 12) },
        { package: "express", sourceLocation: loc("lib/router.js", 5) },
        { package: "body-parser" },
      ], [{ package: "app", sourceLocation: loc("src/b.js", 7) }, { sourceLocation: loc("x.js") }]],
    }]));
    assert.equal(
      f.trace,
      [
        "src/a.js 10:3-12:9",
        "  -> express 5:3",
        "  -> body-parser",
        "src/b.js 7:3",
        "  -> x.js",
        "  -> lodash@4.17.20",
      ].join("\n"),
    );
  });

  it("formats class-level frames with their class", () => {
    const f = only(component([{
      type: "reachable",
      matches: [[{ package: "<app>", class: "com.acme.Main" }, {
        package: "jackson",
        class: "ObjectMapper",
      }]],
    }]));
    assert.equal(
      f.trace,
      "  -> <app> (com.acme.Main)\n  -> jackson (ObjectMapper)\n  -> lodash@4.17.20",
    );
  });

  it("takes the trace from the first reachable item only, and none for other states", () => {
    const f = only(component([
      { type: "unreachable", matches: [[{ package: "no", sourceLocation: loc("no.js", 1) }]] },
      { type: "reachable", matches: [[{ package: "a", sourceLocation: loc("yes.js", 1) }]] },
      { type: "reachable", matches: [[{ package: "a", sourceLocation: loc("second.js", 1) }]] },
    ]));
    assert.equal(f.trace, "yes.js 1:3\n  -> lodash@4.17.20");
    assert.equal(only(component([{ type: "error", matches: [[{ package: "p" }]] }])).trace, "");
  });

  it(`cuts traces over ${TRACE_LIMIT} characters at a line boundary and keeps the last line`, () => {
    const frames = Array.from(
      { length: 60 },
      (_, i) => ({ package: `pkg-${i}`, sourceLocation: loc("f.js", i + 1) }),
    );
    const f = only(component([{ type: "reachable", matches: [frames] }]));
    assert.ok(f.trace.length <= TRACE_LIMIT);
    const lines = f.trace.split("\n");
    assert.equal(lines[lines.length - 1], "  -> lodash@4.17.20");
    assert.equal(lines[lines.length - 2], "  …");
    assert.equal(lines[0], "f.js 1:3");
    assert.ok(lines.slice(1, -2).every((l) => /^ {2}-> pkg-\d+ \d+:3$/.test(l)));
  });
});

describe("parseFacts() errors", () => {
  function problems(text: string) {
    try {
      parseFacts(text, { source: "x.json" });
    } catch (err) {
      assert.ok(err instanceof InputError);
      assert.match(err.message, /x\.json/);
      return err.problems.map((p) => `${p.path}: ${p.message}`);
    }
    assert.fail("expected an InputError");
  }

  it("rejects a document whose components is not an array", () => {
    assert.deepEqual(problems('{"components": 3}'), [
      "components: expected an array of components, got number 3",
    ]);
  });

  it("names the JSON path of a malformed component, vulnerability or frame", () => {
    const bad = [
      { type: "npm", name: "a", version: "1", vulnerabilities: "many" },
      { type: "npm", name: "b", version: "1", vulnerabilities: [{ ghsaId: 7 }] },
      { type: "npm", version: "1" },
      {
        type: "npm",
        name: "c",
        version: "1",
        vulnerabilities: [{ ghsaId: "G" }],
        reachability: [{
          ghsa_id: "G",
          reachability: [{ type: "reachable", matches: [["frame"]] }],
        }],
      },
    ];
    assert.deepEqual(problems(factsText(bad)).map((p) => p.split(":")[0]), [
      "components[0].vulnerabilities",
      "components[1].vulnerabilities[0].ghsaId",
      "components[2].name",
      "components[3].reachability[0].reachability[0].matches[0][0]",
    ]);
  });

  it("skips only the malformed vulnerability with lenient, keeping its component's others", () => {
    const c = {
      ...component([]),
      vulnerabilities: [{ ghsaId: "GHSA-1" }, { ghsaId: 42 }, { ghsaId: "GHSA-3" }],
    };
    const { facts, warnings } = parseFacts(factsText([c]), { lenient: true });
    assert.deepEqual(facts.findings.map((f) => f.id), ["GHSA-1", "GHSA-3"]);
    assert.match(
      warnings[0],
      /Skipped malformed vulnerability components\[0\]\.vulnerabilities\[1\]: .*ghsaId/,
    );
  });

  it("skips malformed components with lenient and keeps the rest", () => {
    const text = factsText([component([]), { type: "npm", name: 5 }]);
    const { facts, warnings } = parseFacts(text, { lenient: true });
    assert.equal(facts.findings.length, 1);
    assert.match(warnings[0], /components\[1\]\.name/);
  });
});

describe("parseFacts() on the real samples", () => {
  const files = [
    "go-dvwa.socket.facts.json",
    "java-northwind.socket.facts.json",
    "nodegoat-js.socket.facts.json",
    "python-dvpwa.socket.facts.json",
    "facts-excerpt-all-reachability-types.json",
  ];
  for (const file of files) {
    it(`${file}: one finding per vulnerability, none dropped`, async () => {
      const text = await readFile(new URL(`../fixtures/samples/${file}`, import.meta.url), "utf8");
      const raw = JSON.parse(text);
      const components = raw.components ??
        Object.values(raw.cases).flat().map((c) => (c as { component: unknown }).component);
      const expected = components.reduce(
        (n: number, c: { vulnerabilities?: unknown[] }) => n + (c.vulnerabilities?.length ?? 0),
        0,
      );
      const { facts, warnings } = parseFacts(text);
      assert.deepEqual(warnings, []);
      assert.equal(facts.findings.length, expected);
      assert.ok(expected > 0);
    });
  }

  it("finds reachable traces in the npm and maven samples", async () => {
    for (const file of ["nodegoat-js.socket.facts.json", "java-northwind.socket.facts.json"]) {
      const text = await readFile(new URL(`../fixtures/samples/${file}`, import.meta.url), "utf8");
      const reachable = parseFacts(text).facts.findings.filter((f) => f.state === "reachable");
      assert.ok(reachable.length > 0);
      assert.ok(reachable.every((f) => f.trace.length > 0 && f.trace.length <= TRACE_LIMIT));
    }
  });
});

describe("parseFacts() quick and detailed reads", () => {
  it("agree on every real sample and on generated monorepo-sized facts", async () => {
    const { generateFacts } = await import("../scripts/generate.ts");
    const texts = [JSON.stringify(generateFacts(3000, 7))];
    for (
      const file of [
        "java-northwind.socket.facts.json",
        "nodegoat-js.socket.facts.json",
        "go-dvwa.socket.facts.json",
      ]
    ) {
      texts.push(await readFile(new URL(`../fixtures/samples/${file}`, import.meta.url), "utf8"));
    }
    for (const text of texts) {
      assert.deepEqual(parseFacts(text), parseFacts(text, { exhaustive: true }));
    }
  });

  it("fall back to the detailed read for anything odd, so errors keep their paths", () => {
    const odd = [
      { ...component([{ type: "reachable", matches: [[{ package: 5 }]] }]) },
      { ...component([]), namespace: 3 },
      { ...component([]), vulnerabilities: [{ ghsaId: "G", severity: "SEVERE" }] },
      { ...component([{ type: "" }]) },
    ];
    for (const c of odd) {
      assert.throws(() => parseFacts(factsText([c])), InputError);
      assert.equal(parseFacts(factsText([c]), { lenient: true }).warnings.length, 1);
    }
  });
});
