import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { InputError } from "../lib/errors.ts";
import { parseReport } from "../lib/report.ts";
import { alertsFromDiffScan, alertTitle, type ScanAlert } from "../lib/scan_alerts.ts";

async function fixture(name: string): Promise<string> {
  return await readFile(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

const diffScan = JSON.parse(await fixture("scan_alerts/diff-scan.json"));
const titles: { titles: Record<string, string> } = JSON.parse(
  await fixture("scan_alerts/titles.json"),
);
const sampleReport = JSON.parse(await fixture("samples/socketcli-report.json"));

type Json = Record<string, unknown>;

/** An artifact of a diff scan: a direct npm dependency with no alerts, unless overridden. */
function artifact(overrides: Json = {}): Json {
  return {
    id: "art-1",
    type: "npm",
    name: "left-pad",
    version: "1.0.0",
    head: [{ direct: true, manifestFiles: [{ file: "package.json" }], topLevelAncestors: [] }],
    alerts: [],
    ...overrides,
  };
}

/** An alert of an artifact: blocking malware, unless overridden. */
function socketAlert(overrides: Json = {}): Json {
  return {
    key: "k-1",
    type: "malware",
    severity: "critical",
    props: {},
    action: "error",
    ...overrides,
  };
}

/** A diff scan body with the given artifact lists (the others empty). */
function body(lists: Json = {}, scan: Json = {}): Json {
  return {
    diff_scan: {
      id: "d-1",
      html_url: "https://socket.dev/dashboard/org/acme/diff/d-1",
      incomplete: false,
      artifacts: { added: [], removed: [], replaced: [], updated: [], unchanged: null, ...lists },
      ...scan,
    },
  };
}

function alertsOf(value: Json): ScanAlert[] {
  return alertsFromDiffScan(value).alerts;
}

function problemsOf(value: unknown): Array<{ path: string; message: string }> {
  try {
    alertsFromDiffScan(value);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${err}`);
    assert.equal(err.file, "the Socket API diff scan");
    return [...err.problems];
  }
  assert.fail("expected an InputError");
}

describe("alertsFromDiffScan()", () => {
  it("returns the scan's id, link and completeness", () => {
    const result = alertsFromDiffScan(body({}, { incomplete: true }));
    assert.equal(result.id, "d-1");
    assert.equal(result.htmlUrl, "https://socket.dev/dashboard/org/acme/diff/d-1");
    assert.equal(result.incomplete, true);
    assert.deepEqual(result.alerts, []);
    const bare = alertsFromDiffScan(body({}, { html_url: null, incomplete: undefined }));
    assert.equal(bare.htmlUrl, "");
    assert.equal(bare.incomplete, false);
  });

  it("counts the alerts of added and updated artifacts, not of unchanged ones", () => {
    const alerts = alertsOf(body({
      added: [artifact({ id: "new", name: "a", alerts: [socketAlert({ key: "k-a" })] })],
      updated: [artifact({ id: "bumped", name: "b", alerts: [socketAlert({ key: "k-b" })] })],
      unchanged: [artifact({ id: "same", name: "c", alerts: [socketAlert({ key: "k-c" })] })],
    }));
    assert.deepEqual(
      alerts.map(({ artifactId, key, action }) => ({ artifactId, key, action })),
      [
        { artifactId: "new", key: "k-a", action: "error" },
        { artifactId: "bumped", key: "k-b", action: "error" },
      ],
    );
  });

  it("keeps only alerts whose action is error or warn, and sets the report flags from it", () => {
    const actions = ["error", "warn", "monitor", "ignore", "defer", "", undefined, null];
    const alerts = alertsOf(body({
      added: [artifact({
        alerts: actions.map((action, i) =>
          socketAlert({ key: `k-${i}`, type: `type${i}`, action })
        ),
      })],
    }));
    assert.deepEqual(alerts.map((a) => a.action), ["error", "warn"]);
    assert.deepEqual(
      alerts.map(({ alert }) => [alert.error, alert.warn, alert.monitor, alert.ignore]),
      [[true, false, false, false], [false, true, false, false]],
    );
  });

  it("drops an alert that a removed or replaced artifact carried with the same content", () => {
    const props = { ghsaId: "GHSA-1", cvss: { score: 9.8, vector: "AV:N" }, ids: [1, 2] };
    // The same props with keys in another order: content, not text, is compared.
    const sameProps = { ids: [1, 2], cvss: { vector: "AV:N", score: 9.8 }, ghsaId: "GHSA-1" };
    const old = socketAlert({ type: "criticalCVE", props: sameProps, action: "warn" });
    for (const list of ["removed", "replaced"]) {
      const alerts = alertsOf(body({
        added: [artifact({ alerts: [socketAlert({ type: "criticalCVE", props })] })],
        [list]: [artifact({ id: "old", version: "0.9.0", alerts: [old] })],
      }));
      assert.deepEqual(alerts, [], list);
    }
  });

  it("keeps an alert whose key was on a removed artifact with another severity, type or props", () => {
    const now = socketAlert({ severity: "high", props: { notes: ["a", { b: 1 }] } });
    const changes: Json[] = [
      { severity: "critical" },
      { type: "gptMalware" },
      { props: { notes: ["a", { b: 2 }] } },
      { props: { notes: ["a"] } },
      { props: { notes: ["a", { b: 1 }], extra: true } },
      { props: null },
    ];
    for (const change of changes) {
      const alerts = alertsOf(body({
        added: [artifact({ alerts: [now] })],
        removed: [artifact({ id: "old", alerts: [{ ...now, ...change }] })],
      }));
      assert.equal(alerts.length, 1, JSON.stringify(change));
    }
  });

  it("keeps an alert whose content was on a removed artifact under another key", () => {
    const alerts = alertsOf(body({
      added: [artifact({ alerts: [socketAlert({ key: "k-new" })] })],
      removed: [artifact({ id: "old", alerts: [socketAlert({ key: "k-old" })] })],
    }));
    assert.equal(alerts.length, 1);
  });

  it("treats absent props like empty props when comparing", () => {
    const { props: _, ...noProps } = socketAlert();
    const alerts = alertsOf(body({
      added: [artifact({ alerts: [socketAlert({ props: {} })] })],
      removed: [artifact({ id: "old", alerts: [noProps] })],
    }));
    assert.deepEqual(alerts, []);
  });

  it("compares props nested deeper than the call stack", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    const alerts = alertsOf(body({
      added: [artifact({ alerts: [socketAlert({ props: { deep } })] })],
      removed: [artifact({ id: "old", alerts: [socketAlert({ props: { deep } })] })],
    }));
    assert.deepEqual(alerts, []);
  });

  it("writes pkg_name, purl and url with the namespace when there is one", () => {
    const [scoped, plain, empty] = alertsOf(body({
      added: [
        artifact({
          id: "s",
          namespace: "@babel",
          name: "core",
          version: "7.24.0",
          alerts: [socketAlert({ key: "k-s" })],
        }),
        artifact({
          id: "p",
          type: "pypi",
          name: "requests",
          version: "2.31.0",
          alerts: [socketAlert({ key: "k-p" })],
        }),
        artifact({
          id: "e",
          namespace: "",
          name: "chalk",
          version: "5.3.0",
          alerts: [socketAlert({ key: "k-e" })],
        }),
      ],
    })).map((a) => a.alert);
    assert.equal(scoped.pkg_type, "npm");
    assert.equal(scoped.pkg_name, "@babel/core");
    assert.equal(scoped.pkg_version, "7.24.0");
    assert.equal(scoped.pkg_id, "s");
    assert.equal(scoped.purl, "@babel/core@7.24.0");
    assert.equal(scoped.url, "https://socket.dev/npm/package/@babel/core/overview/7.24.0");
    assert.equal(plain.pkg_type, "pypi");
    assert.equal(plain.pkg_name, "requests");
    assert.equal(plain.purl, "requests@2.31.0");
    assert.equal(plain.url, "https://socket.dev/pypi/package/requests/overview/2.31.0");
    assert.equal(empty.pkg_name, "chalk");
    assert.equal(empty.url, "https://socket.dev/npm/package/chalk/overview/5.3.0");
  });

  it("copies the alert's key, type, raw severity and props", () => {
    const props = { ghsaId: "GHSA-xxxx", cveId: "CVE-2024-1" };
    const [{ alert }] = alertsOf(body({
      added: [artifact({
        alerts: [socketAlert({ key: "k-9", type: "mediumCVE", severity: "middle", props })],
      })],
    }));
    assert.equal(alert.key, "k-9");
    assert.equal(alert.type, "mediumCVE");
    assert.equal(alert.severity, "middle");
    assert.deepEqual(alert.props, props);
  });

  it("introduces a direct dependency by its manifests, joined, distinct, first seen first", () => {
    const [{ alert }] = alertsOf(body({
      added: [artifact({
        head: [
          { direct: false, manifestFiles: [{ file: "package-lock.json" }] },
          { direct: true, manifestFiles: [{ file: "package.json" }, { file: "app/package.json" }] },
          { direct: true, manifestFiles: [{ file: "app/package.json" }] },
        ],
        alerts: [socketAlert()],
      })],
    }));
    assert.deepEqual(alert.introduced_by, [[
      "direct",
      "package-lock.json;package.json;app/package.json",
    ]]);
    assert.equal(alert.manifests, "package-lock.json;package.json;app/package.json");
  });

  it("introduces a direct dependency without manifests as direct, like the Python CLI", () => {
    const [{ alert }] = alertsOf(body({
      added: [artifact({ head: [{ direct: true }], alerts: [socketAlert()] })],
    }));
    assert.deepEqual(alert.introduced_by, [["direct", ""]]);
    assert.equal(alert.manifests, "");
  });

  it("introduces a transitive dependency by its top-level ancestors found among added and updated artifacts", () => {
    const [{ alert }] = alertsOf(body({
      added: [
        artifact({
          id: "dep",
          name: "tiny",
          version: "0.1.0",
          head: [
            {
              direct: false,
              manifestFiles: [{ file: "package-lock.json" }],
              topLevelAncestors: ["top-a", "gone"],
            },
            { direct: false, topLevelAncestors: ["top-b", "top-a"] },
          ],
          alerts: [socketAlert()],
        }),
        artifact({
          id: "top-a",
          namespace: "@acme",
          name: "widget",
          version: "2.0.0",
          head: [{ direct: true, manifestFiles: [{ file: "package.json" }] }],
        }),
      ],
      updated: [artifact({
        id: "top-b",
        name: "lodash",
        version: "4.17.21",
        head: [{
          direct: true,
          manifestFiles: [{ file: "app/package.json" }, { file: "package.json" }],
        }],
      })],
    }));
    assert.deepEqual(alert.introduced_by, [
      ["npm/@acme/widget@2.0.0", "package.json"],
      ["npm/lodash@4.17.21", "app/package.json;package.json"],
    ]);
    assert.equal(alert.manifests, "package.json;app/package.json");
  });

  it("gives an ancestor without manifests the package's own", () => {
    const [{ alert }] = alertsOf(body({
      added: [
        artifact({
          id: "dep",
          head: [{
            direct: false,
            manifestFiles: [{ file: "yarn.lock" }],
            topLevelAncestors: ["top"],
          }],
          alerts: [socketAlert()],
        }),
        artifact({ id: "top", name: "parent", version: "3.0.0", head: [{ direct: true }] }),
      ],
    }));
    assert.deepEqual(alert.introduced_by, [["npm/parent@3.0.0", "yarn.lock"]]);
  });

  it("says unknown, with the package's own manifests, when no ancestor is in the diff", () => {
    const cases: Json[] = [
      {
        head: [{
          direct: false,
          manifestFiles: [{ file: "poetry.lock" }],
          topLevelAncestors: ["elsewhere"],
        }],
      },
      { head: [{ direct: false, manifestFiles: [{ file: "poetry.lock" }] }] },
      {
        head: [{
          direct: false,
          manifestFiles: [{ file: "poetry.lock" }],
          topLevelAncestors: ["art-1"],
        }],
      },
    ];
    for (const head of cases) {
      const [{ alert }] = alertsOf(
        body({ added: [artifact({ ...head, alerts: [socketAlert()] })] }),
      );
      assert.deepEqual(alert.introduced_by, [["unknown", "poetry.lock"]], JSON.stringify(head));
      assert.equal(alert.manifests, "poetry.lock");
    }
    const [{ alert }] = alertsOf(body({
      added: [artifact({ head: undefined, alerts: [socketAlert()] })],
    }));
    assert.deepEqual(alert.introduced_by, [["unknown", ""]]);
  });

  it("reads a link flattened into the artifact", () => {
    const [{ alert }] = alertsOf(body({
      added: [artifact({
        head: undefined,
        direct: true,
        manifestFiles: [{ file: "requirements.txt" }],
        alerts: [socketAlert()],
      })],
    }));
    assert.deepEqual(alert.introduced_by, [["direct", "requirements.txt"]]);
  });

  it("reports one alert per package and type, the first in the Python CLI's order", () => {
    const alerts = alertsOf(body({
      added: [
        // Two artifacts of one package version (two PyPI release files, say).
        artifact({
          id: "wheel",
          type: "pypi",
          name: "pkg",
          alerts: [
            socketAlert({ key: "k-1", type: "usesEval", action: "warn" }),
            socketAlert({ key: "k-2", type: "shellAccess", action: "warn" }),
          ],
        }),
        artifact({
          id: "sdist",
          type: "pypi",
          name: "pkg",
          alerts: [
            socketAlert({ key: "k-3", type: "usesEval", action: "error" }),
            socketAlert({ key: "k-1", type: "networkAccess", action: "warn" }),
          ],
        }),
      ],
    }));
    // Grouped by key, keys in the order first seen: k-1 (both artifacts), k-2, then k-3.
    assert.deepEqual(
      alerts.map((a) => [a.artifactId, a.key, a.alert.type]),
      [
        ["wheel", "k-1", "usesEval"],
        ["sdist", "k-1", "networkAccess"],
        ["wheel", "k-2", "shellAccess"],
      ],
    );
  });

  it("lets an alert that is not error or warn leave its package and type free", () => {
    const alerts = alertsOf(body({
      added: [artifact({
        alerts: [
          socketAlert({ key: "k-1", action: "monitor" }),
          socketAlert({ key: "k-2", action: "warn" }),
        ],
      })],
    }));
    assert.deepEqual(alerts.map((a) => a.key), ["k-2"]);
  });

  it("reads null or absent artifact lists as empty", () => {
    const value = body();
    (value.diff_scan as Json).artifacts = {
      added: [artifact({ alerts: [socketAlert()] })],
      removed: null,
    };
    assert.equal(alertsOf(value).length, 1);
  });

  it("gives each alert its own introduced_by pairs", () => {
    const [first, second] = alertsOf(body({
      added: [artifact({
        alerts: [socketAlert({ key: "k-1" }), socketAlert({ key: "k-2", type: "telemetry" })],
      })],
    }));
    (first.alert.introduced_by as string[][])[0][0] = "edited";
    assert.deepEqual(second.alert.introduced_by, [["direct", "package.json"]]);
  });

  it("turns the sample diff scan into the alerts of the Python CLI's report", () => {
    const result = alertsFromDiffScan(diffScan);
    assert.equal(result.id, "5f3c2a9e-8d1b-4c6e-9a7f-0b2d4e6f8a1c");
    assert.deepEqual(
      result.alerts.map((a) => [a.artifactId, a.key, a.action]),
      [
        ["art-widget", "QwErTy-net", "warn"],
        ["art-evil", "AsDfGh-malware", "error"],
        ["art-evil", "AsDfGh-install", "warn"],
        // The mediumCVE is on the replaced lodash too, unchanged; the criticalCVE went up from high.
        ["art-lodash-15", "ZxCvBn-proto", "error"],
      ],
    );
    const [widget, malware] = result.alerts.map((a) => a.alert);
    assert.deepEqual(widget.introduced_by, [["direct", "package.json;packages/app/package.json"]]);
    assert.deepEqual(malware.introduced_by, [[
      "npm/@acme/widget@2.0.0",
      "package.json;packages/app/package.json",
    ]]);
    assert.equal(malware.title, "Known malware");
  });

  it("writes exactly the fields of a new_alerts entry of the Python CLI's report", () => {
    const optional = new Set(["description", "suggestion", "next_step_title"]);
    const expected = Object.keys(sampleReport.new_alerts[0]).filter((k) => !optional.has(k));
    for (const { alert } of alertsFromDiffScan(diffScan).alerts) {
      assert.deepEqual(Object.keys(alert), expected);
    }
  });

  it("gives alerts that parseReport() reads unchanged", () => {
    const result = alertsFromDiffScan(diffScan);
    const { report, warnings } = parseReport(
      JSON.stringify({ new_alerts: result.alerts.map((a) => a.alert) }),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      report.alerts.map((a) => [a.type, a.severity, a.title, a.purl, a.error, a.warn]),
      [
        ["networkAccess", "medium", "Network access", "@acme/widget@2.0.0", false, true],
        ["malware", "critical", "Known malware", "evil-dep@0.0.1", true, false],
        ["installScripts", "high", "Install scripts", "evil-dep@0.0.1", false, true],
        ["criticalCVE", "critical", "Critical CVE", "lodash@4.17.15", true, false],
      ],
    );
    assert.equal(
      report.alerts[0].url,
      "https://socket.dev/npm/package/@acme/widget/overview/2.0.0",
    );
    assert.deepEqual(report.alerts[1].introducedBy, [[
      "npm/@acme/widget@2.0.0",
      "package.json;packages/app/package.json",
    ]]);
    assert.deepEqual(report.alerts[3].vulnIds, ["GHSA-P6MC-M468-83GW", "CVE-2020-8203"]);
  });
});

describe("alertsFromDiffScan() on a malformed body", () => {
  const scan = (fields: Json): Json => ({
    diff_scan: {
      id: "d-1",
      artifacts: { added: [], removed: [], replaced: [], updated: [] },
      ...fields,
    },
  });
  const lists = (fields: Json): Json => scan({ artifacts: fields });
  const cases: Array<[string, unknown, string]> = [
    ["not an object", null, ""],
    ["an array", [], ""],
    ["no diff_scan", {}, "diff_scan"],
    ["diff_scan a string", { diff_scan: "d-1" }, "diff_scan"],
    ["no id", scan({ id: undefined }), "diff_scan.id"],
    ["a numeric id", scan({ id: 7 }), "diff_scan.id"],
    ["html_url a number", scan({ html_url: 1 }), "diff_scan.html_url"],
    ["incomplete a string", scan({ incomplete: "yes" }), "diff_scan.incomplete"],
    ["no artifacts", scan({ artifacts: undefined }), "diff_scan.artifacts"],
    ["artifacts an array", scan({ artifacts: [] }), "diff_scan.artifacts"],
    ["added an object", lists({ added: {} }), "diff_scan.artifacts.added"],
    ["an artifact a string", lists({ added: ["x"] }), "diff_scan.artifacts.added[0]"],
    [
      "an artifact without id",
      lists({ added: [artifact({ id: "" })] }),
      "diff_scan.artifacts.added[0].id",
    ],
    [
      "an artifact without type",
      lists({ updated: [artifact({ type: null })] }),
      "diff_scan.artifacts.updated[0].type",
    ],
    [
      "an artifact without name",
      lists({ added: [artifact(), artifact({ name: undefined })] }),
      "diff_scan.artifacts.added[1].name",
    ],
    [
      "a numeric version",
      lists({ added: [artifact({ version: 1 })] }),
      "diff_scan.artifacts.added[0].version",
    ],
    [
      "a namespace object",
      lists({ added: [artifact({ namespace: {} })] }),
      "diff_scan.artifacts.added[0].namespace",
    ],
    [
      "head an object",
      lists({ added: [artifact({ head: {} })] }),
      "diff_scan.artifacts.added[0].head",
    ],
    [
      "a link a string",
      lists({ added: [artifact({ head: ["x"] })] }),
      "diff_scan.artifacts.added[0].head[0]",
    ],
    [
      "direct a string",
      lists({ added: [artifact({ head: [{ direct: "yes" }] })] }),
      "diff_scan.artifacts.added[0].head[0].direct",
    ],
    [
      "a manifest file a number",
      lists({ added: [artifact({ head: [{ manifestFiles: [{ file: "a" }, { file: 3 }] }] })] }),
      "diff_scan.artifacts.added[0].head[0].manifestFiles[1]",
    ],
    [
      "manifestFiles a string",
      lists({ added: [artifact({ head: [{ manifestFiles: "package.json" }] })] }),
      "diff_scan.artifacts.added[0].head[0].manifestFiles",
    ],
    [
      "an ancestor a number",
      lists({ added: [artifact({ head: [{ topLevelAncestors: [12] }] })] }),
      "diff_scan.artifacts.added[0].head[0].topLevelAncestors[0]",
    ],
    [
      "alerts an object",
      lists({ added: [artifact({ alerts: {} })] }),
      "diff_scan.artifacts.added[0].alerts",
    ],
    [
      "an alert null",
      lists({ added: [artifact({ alerts: [null] })] }),
      "diff_scan.artifacts.added[0].alerts[0]",
    ],
    [
      "an alert without key",
      lists({ added: [artifact({ alerts: [socketAlert({ key: undefined })] })] }),
      "diff_scan.artifacts.added[0].alerts[0].key",
    ],
    [
      "an alert without type",
      lists({ added: [artifact({ alerts: [socketAlert({ type: "" })] })] }),
      "diff_scan.artifacts.added[0].alerts[0].type",
    ],
    [
      "an unknown severity",
      lists({
        updated: [artifact({ alerts: [socketAlert(), socketAlert({ severity: "urgent" })] })],
      }),
      "diff_scan.artifacts.updated[0].alerts[1].severity",
    ],
    [
      "a numeric severity",
      lists({ added: [artifact({ alerts: [socketAlert({ severity: 3 })] })] }),
      "diff_scan.artifacts.added[0].alerts[0].severity",
    ],
    [
      "props an array",
      lists({ added: [artifact({ alerts: [socketAlert({ props: [] })] })] }),
      "diff_scan.artifacts.added[0].alerts[0].props",
    ],
    [
      "a numeric action",
      lists({ added: [artifact({ alerts: [socketAlert({ action: 1 })] })] }),
      "diff_scan.artifacts.added[0].alerts[0].action",
    ],
    ["a removed artifact null", lists({ removed: [null] }), "diff_scan.artifacts.removed[0]"],
    [
      "a replaced alert without type",
      lists({ replaced: [artifact({ alerts: [socketAlert({ type: undefined })] })] }),
      "diff_scan.artifacts.replaced[0].alerts[0].type",
    ],
  ];
  for (const [what, value, path] of cases) {
    it(`names the JSON path of ${what}`, () => {
      const problems = problemsOf(value);
      assert.ok(
        problems.some((p) => p.path === path),
        `expected a problem at "${path}", got ${JSON.stringify(problems)}`,
      );
    });
  }

  it("reports every problem with its path in the message, and a hint", () => {
    const value = lists({
      added: [artifact({ name: 1 })],
      removed: [artifact({ alerts: [socketAlert({ severity: "bad" })] })],
    });
    assert.throws(() => alertsFromDiffScan(value), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.deepEqual(err.problems.map((p) => p.path), [
        "diff_scan.artifacts.added[0].name",
        "diff_scan.artifacts.removed[0].alerts[0].severity",
      ]);
      assert.match(err.message, /^Invalid input in the Socket API diff scan:\n/);
      assert.match(
        err.message,
        /diff_scan\.artifacts\.added\[0\]\.name: expected a non-empty string/,
      );
      assert.match(err.message, /diff-scans/);
      return true;
    });
  });

  it("never reads the unchanged list", () => {
    const value = lists({ added: [], unchanged: "not even an array" });
    assert.deepEqual(alertsFromDiffScan(value).alerts, []);
  });
});

describe("alertTitle()", () => {
  it("gives Socket's title for every alert type of the API schema", () => {
    const types = Object.keys(titles.titles);
    assert.ok(types.length >= 138);
    for (const type of types) assert.equal(alertTitle(type), titles.titles[type], type);
  });

  it("uses the table before the fallback", () => {
    assert.equal(alertTitle("didYouMean"), "Possible typosquat attack");
    assert.equal(alertTitle("installScripts"), "Install scripts");
    assert.equal(alertTitle("cve"), "High CVE");
  });

  it("splits an unknown type into capitalised words, keeping capital runs whole", () => {
    assert.equal(alertTitle("brandNewCVE"), "Brand New CVE");
    assert.equal(alertTitle("installHooks"), "Install Hooks");
    assert.equal(alertTitle("someSQLInjection"), "Some SQL Injection");
    assert.equal(alertTitle("noV2"), "No V2");
    assert.equal(alertTitle("snake_case-type"), "Snake Case Type");
    assert.equal(alertTitle(""), "");
  });

  it("never takes a title from an inherited property", () => {
    assert.equal(alertTitle("constructor"), "Constructor");
    assert.equal(alertTitle("toString"), "To String");
    assert.equal(alertTitle("__proto__"), "Proto");
  });
});
