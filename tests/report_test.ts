import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { InputError } from "../lib/errors.ts";
import { parseReport } from "../lib/report.ts";
import { rawAlert } from "./support/data.ts";

const sample = await readFile(
  new URL("../fixtures/samples/socketcli-report.json", import.meta.url),
  "utf8",
);

function problemsOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${err}`);
    return [...err.problems];
  }
  assert.fail("expected an InputError");
}

describe("parseReport()", () => {
  it("reads every alert of the sample report with its fields and context", () => {
    const { report, warnings } = parseReport(sample);
    assert.deepEqual(warnings, []);
    assert.equal(report.alerts.length, 5);
    assert.equal(report.repo, "example-org/example-repo");
    assert.equal(report.sha, "5efacb1a6270c3c446fd54af652599400872c52c");
    assert.equal(
      report.diffUrl,
      "https://socket.dev/dashboard/org/test_org/diff/26533913/26533914",
    );
    const shell = report.alerts[1];
    assert.equal(shell.type, "shellAccess");
    assert.equal(shell.severity, "medium");
    assert.equal(shell.rawSeverity, "middle");
    assert.equal(shell.error, true);
    assert.deepEqual(shell.introducedBy, [["direct", ""]]);
  });

  it("accepts the --enable-json stdout line after a logger prefix", () => {
    const line = `2026-11-28 12:00:00,000: INFO: ${JSON.stringify(JSON.parse(sample))}`;
    const { report } = parseReport(`Scanning…\n${line}\nDone\n`);
    assert.equal(report.alerts.length, 5);
  });

  it("accepts an --enable-json line without a prefix among log lines", () => {
    const line = JSON.stringify(JSON.parse(sample));
    assert.equal(parseReport(`INFO scanning\n${line}\nINFO done\n`).report.alerts.length, 5);
  });

  it("accepts a byte order mark", () => {
    assert.equal(parseReport("\ufeff" + sample).report.alerts.length, 5);
  });

  it("falls back to the type for an empty title and builds a purl from name and version", () => {
    const { report } = parseReport(JSON.stringify({
      new_alerts: [
        rawAlert({ title: "", purl: undefined, props: { ghsaId: "ghsa-xxxx", cveId: "CVE-1" } }),
      ],
    }));
    assert.equal(report.alerts[0].title, "malware");
    assert.equal(report.alerts[0].purl, "left-pad@1.0.0");
    assert.deepEqual(report.alerts[0].vulnIds, ["GHSA-XXXX", "CVE-1"]);
  });

  it("names the line and column of a JSON syntax error", () => {
    const [problem] = problemsOf(() =>
      parseReport('{\n  "new_alerts": [,]\n}', { source: "r.json" })
    );
    assert.match(problem.message, /not valid JSON: line 2, column \d+/);
  });

  it("rejects a report that is not an object or whose new_alerts is not an array", () => {
    assert.match(
      problemsOf(() => parseReport("[]"))[0].message,
      /expected a JSON object, got an array/,
    );
    const [problem] = problemsOf(() => parseReport('{"new_alerts": {}}'));
    assert.equal(problem.path, "new_alerts");
    assert.match(problem.message, /expected an array of alerts, got an object/);
  });

  it("reports every malformed alert with its index and field", () => {
    const text = JSON.stringify({
      new_alerts: [rawAlert(), rawAlert({ severity: 3 }), rawAlert({ type: "", severity: "info" })],
    });
    assert.deepEqual(problemsOf(() => parseReport(text)).map((p) => p.path), [
      "new_alerts[1].severity",
      "new_alerts[2].type",
      "new_alerts[2].severity",
    ]);
  });

  it("skips a malformed alert with --lenient and says which", () => {
    const text = JSON.stringify({
      new_alerts: [rawAlert(), rawAlert({ introduced_by: "direct" })],
    });
    const { report, warnings } = parseReport(text, { lenient: true });
    assert.equal(report.alerts.length, 1);
    assert.match(warnings[0], /new_alerts\[1\]\.introduced_by/);
  });

  it("puts the error in the message with the file name and a hint", () => {
    assert.throws(
      () => parseReport("nope", { source: "report.json" }),
      (err: Error) => /report\.json/.test(err.message) && /--json-file/.test(err.message),
    );
  });
});

describe("quick and detailed alert reads", () => {
  it("agree on every alert the quick read accepts", async () => {
    const { Checker } = await import("../lib/validate.ts");
    const { quickAlert, readAlert } = await import("../lib/report.ts");
    const { generateReport } = await import("../scripts/generate.ts");
    const samples = [
      ...JSON.parse(sample).new_alerts,
      ...(generateReport(500, 300, 5).new_alerts as unknown[]),
      rawAlert({ title: null, purl: null, url: null, introduced_by: [["direct"]], props: null }),
      rawAlert({ purl: "", introduced_by: [], error: null }),
    ];
    for (const raw of samples) {
      const quick = quickAlert(raw);
      assert.ok(quick, JSON.stringify(raw));
      assert.deepEqual(quick, readAlert(raw, "a", new Checker()));
    }
    for (
      const odd of [
        rawAlert({ severity: "info" }),
        rawAlert({ title: 1 }),
        rawAlert({ introduced_by: [[1]] }),
      ]
    ) {
      assert.equal(quickAlert(odd), undefined);
    }
  });
});
