import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildReachIndex,
  filterAlerts,
  filterFindings,
  isReachable,
  reachLookup,
} from "../lib/filter.ts";
import type { Route } from "../lib/types.ts";
import { alert, finding } from "./support/data.ts";

const none: Route = {
  repos: [],
  severities: [],
  alertTypes: [],
  reachabilityAlertsOnly: false,
  alwaysSendReachability: true,
};
const route = (overrides: Partial<Route>): Route => ({ ...none, ...overrides });

const alerts = [
  alert({ type: "malware", severity: "critical", error: true }),
  alert({ type: "networkAccess", severity: "medium", error: false, pkgName: "net" }),
  alert({ type: "copyleftLicense", severity: "low", error: false, pkgName: "gpl" }),
];

describe("filterAlerts()", () => {
  it("keeps everything without filters", () => {
    assert.equal(filterAlerts(alerts, none, undefined, undefined).length, 3);
  });

  it("matches repos case-insensitively, and nothing when the repository is unknown", () => {
    const r = route({ repos: ["acme/web"] });
    assert.equal(filterAlerts(alerts, r, "Acme/Web", undefined).length, 3);
    assert.equal(filterAlerts(alerts, r, "acme/api", undefined).length, 0);
    assert.equal(filterAlerts(alerts, r, undefined, undefined).length, 0);
  });

  it("filters by severity", () => {
    const kept = filterAlerts(
      alerts,
      route({ severities: ["medium", "low"] }),
      undefined,
      undefined,
    );
    assert.deepEqual(kept.map((a) => a.type), ["networkAccess", "copyleftLicense"]);
  });

  it("lets alert_types override severities", () => {
    const kept = filterAlerts(
      alerts,
      route({ alertTypes: ["copyleftlicense"], severities: ["critical"] }),
      undefined,
      undefined,
    );
    assert.deepEqual(kept.map((a) => a.type), ["copyleftLicense"]);
  });

  it("reachability_alerts_only keeps blocking alerts when the facts are unreadable, and has no effect without facts", () => {
    const r = route({ reachabilityAlertsOnly: true });
    assert.deepEqual(
      filterAlerts(alerts, r, undefined, { unreadable: "gone" }).map((a) => a.type),
      ["malware"],
    );
    assert.equal(filterAlerts(alerts, r, undefined, undefined).length, 3);
  });

  it("reachability_alerts_only keeps the alerts whose package and advisory the facts show as reached", () => {
    const facts = {
      findings: [
        finding({ name: "lodash", version: "4.17.20", vulnIds: ["GHSA-R"], state: "reachable" }),
        finding({ name: "lodash", version: "4.17.20", vulnIds: ["GHSA-U"], state: "unreachable" }),
        finding({ name: "minimist", version: "1.2.0", vulnIds: ["GHSA-M"], state: "unreachable" }),
      ],
    };
    const candidates = [
      alert({ type: "cve", pkgName: "lodash", pkgVersion: "4.17.20", vulnIds: ["GHSA-R"] }),
      alert({ type: "cve", pkgName: "lodash", pkgVersion: "4.17.20", vulnIds: ["GHSA-U"] }),
      alert({ type: "malware", pkgName: "LODASH", pkgVersion: "4.17.20", vulnIds: [] }),
      alert({ type: "cve", pkgName: "minimist", pkgVersion: "1.2.0", vulnIds: [] }),
      alert({ type: "cve", pkgName: "lodash", pkgVersion: "4.17.21", vulnIds: ["GHSA-R"] }),
    ];
    const kept = filterAlerts(
      candidates,
      route({ reachabilityAlertsOnly: true }),
      undefined,
      reachLookup(facts),
    );
    assert.deepEqual(kept, [candidates[0], candidates[2]]);
  });
});

describe("isReachable()", () => {
  it("matches by purl, and by namespace/name for scoped packages", () => {
    const index = buildReachIndex({
      findings: [
        finding({
          purl: "pkg:npm/%40babel/core@7.0.0",
          namespace: "@babel",
          name: "core",
          version: "7.0.0",
        }),
      ],
    });
    assert.ok(isReachable(alert({ purl: "pkg:npm/@babel/core@7.0.0", pkgName: "x" }), index));
    assert.ok(isReachable(alert({ purl: "", pkgName: "@babel/core", pkgVersion: "7.0.0" }), index));
    assert.ok(
      !isReachable(
        alert({ purl: "", pkgName: "core", pkgType: "pypi", pkgVersion: "7.0.0" }),
        index,
      ),
    );
  });
});

describe("filterFindings()", () => {
  const findings = [
    finding({ severity: "critical" }),
    finding({ severity: "high" }),
    finding({ severity: "low" }),
  ];

  it("applies severities to the shown severity (the Python CLI dropped every finding)", () => {
    assert.deepEqual(
      filterFindings(findings, route({ severities: ["high"] }), undefined).map((f) => f.severity),
      [
        "high",
      ],
    );
  });

  it("applies repos (the Python CLI ignored them) and ignores alert_types", () => {
    assert.equal(filterFindings(findings, route({ repos: ["a/b"] }), "x/y").length, 0);
    assert.equal(filterFindings(findings, route({ alertTypes: ["malware"] }), undefined).length, 3);
  });
});
