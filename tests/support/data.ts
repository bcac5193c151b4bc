/**
 * Builders of test inputs: alerts, reports and facts components, with
 * defaults that tests override field by field.
 *
 * @module
 */

import type { Alert, Finding } from "../../lib/types.ts";

/** A raw report alert as the Socket CLI writes it. */
export function rawAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pkg_type: "npm",
    pkg_name: "left-pad",
    pkg_version: "1.0.0",
    type: "malware",
    severity: "critical",
    title: "Known malware",
    introduced_by: [["direct", "package.json"]],
    purl: "left-pad@1.0.0",
    url: "https://socket.dev/npm/package/left-pad/overview/1.0.0",
    error: true,
    warn: false,
    props: {},
    ...overrides,
  };
}

/** A validated alert. */
export function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    type: "malware",
    severity: "critical",
    rawSeverity: "critical",
    title: "Known malware",
    pkgType: "npm",
    pkgName: "left-pad",
    pkgVersion: "1.0.0",
    purl: "left-pad@1.0.0",
    url: "https://socket.dev/npm/package/left-pad/overview/1.0.0",
    introducedBy: [["direct", "package.json"]],
    error: true,
    warn: false,
    vulnIds: [],
    ...overrides,
  };
}

/** A finding. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    purl: "pkg:npm/lodash@4.17.20",
    id: "GHSA-aaaa-bbbb-cccc",
    vulnIds: ["GHSA-AAAA-BBBB-CCCC"],
    pkgType: "npm",
    namespace: "",
    name: "lodash",
    version: "4.17.20",
    state: "reachable",
    severity: "critical",
    baseSeverity: "high",
    trace: "",
    ...overrides,
  };
}

/** A facts file with the given components, as text. */
export function factsText(components: unknown[]): string {
  return JSON.stringify({ components });
}
