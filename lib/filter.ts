/**
 * Route filters: which alerts and findings go to a destination. Shared by
 * webhook and bot mode.
 *
 * @module
 */

import type { Alert, Facts, FactsInput, Finding, Route } from "./types.ts";

/**
 * The reachable findings, indexed for diff-alert lookups: package key ->
 * advisory ids reached (`*` for a finding without an id). Only reachable
 * findings matter to the filter, so only they are indexed.
 */
export interface ReachIndex {
  /** By normalised purl (`npm/name@1.0.0`). */
  byPurl: Map<string, Set<string>>;
  /** By `type\0name\0version`, lower-cased; names with and without namespace. */
  byPackage: Map<string, Set<string>>;
}

const ANY_ID = "*";

function normalizePurl(purl: string): string {
  let p = purl.toLowerCase();
  if (p.includes("%40")) p = p.replaceAll("%40", "@");
  if (p.startsWith("pkg:")) p = p.slice(4);
  return p.trim();
}

function packageKey(type: string, name: string, version: string): string {
  // One lower-casing of the joined key: this runs for every alert of a reachability-only route.
  return `${type}\0${name}\0${version}`.toLowerCase();
}

function add(index: Map<string, Set<string>>, key: string, finding: Finding): void {
  let ids = index.get(key);
  if (!ids) index.set(key, ids = new Set());
  if (finding.vulnIds.length === 0) ids.add(ANY_ID);
  for (const id of finding.vulnIds) ids.add(id);
}

/** Indexes the reachable findings once per run, so each alert lookup is constant time. */
export function buildReachIndex(facts: Facts): ReachIndex {
  const index: ReachIndex = { byPurl: new Map(), byPackage: new Map() };
  for (const f of facts.findings) {
    if (f.state !== "reachable") continue;
    add(index.byPurl, normalizePurl(f.purl), f);
    add(index.byPackage, packageKey(f.pkgType, f.name, f.version), f);
    if (f.namespace) {
      add(index.byPackage, packageKey(f.pkgType, `${f.namespace}/${f.name}`, f.version), f);
      add(index.byPackage, packageKey(f.pkgType, `${f.namespace}:${f.name}`, f.version), f);
    }
  }
  return index;
}

function reachedIn(ids: Set<string> | undefined, alert: Alert): boolean {
  if (!ids) return false;
  if (ids.has(ANY_ID) || alert.vulnIds.length === 0) return true;
  return alert.vulnIds.some((id) => ids.has(id));
}

/**
 * True when the facts show the alert's package as reached: matched by purl
 * or by type + name + version, and by GHSA/CVE id when the alert has one.
 */
export function isReachable(alert: Alert, index: ReachIndex): boolean {
  // Facts purls are real (`pkg:type/…`); the CLI's `name@version` could never match one.
  if (
    alert.purl.startsWith("pkg:") && reachedIn(index.byPurl.get(normalizePurl(alert.purl)), alert)
  ) {
    return true;
  }
  return reachedIn(
    index.byPackage.get(packageKey(alert.pkgType, alert.pkgName, alert.pkgVersion)),
    alert,
  );
}

/** True when the route accepts the repository (no `repos` filter, or a case-insensitive match). */
export function repoAllowed(route: Route, repo: string | undefined): boolean {
  if (route.repos.length === 0) return true;
  return repo !== undefined && route.repos.includes(repo.trim().toLowerCase());
}

/** What the reachability filter of diff alerts can rely on in this run. */
export type ReachLookup = ReachIndex | { unreadable: string } | undefined;

/** Builds the lookup for {@link filterAlerts} from the run's facts, once per run. */
export function reachLookup(facts: FactsInput): ReachLookup {
  if (facts === undefined || "unreadable" in facts) return facts;
  return buildReachIndex(facts);
}

/**
 * The diff alerts a route receives, in report order: `repos`, then
 * `reachability_alerts_only` (facts loaded: reached alerts; facts unreadable:
 * blocking alerts; no facts asked for: no effect), then `alert_types` or,
 * when no types are set, `severities`.
 */
export function filterAlerts(
  alerts: readonly Alert[],
  route: Route,
  repo: string | undefined,
  reach: ReachLookup,
): Alert[] {
  if (!repoAllowed(route, repo)) return [];
  return alerts.filter((alert) => {
    if (route.reachabilityAlertsOnly && reach) {
      const kept = "unreadable" in reach ? alert.error : isReachable(alert, reach);
      if (!kept) return false;
    }
    if (route.alertTypes.length > 0) return route.alertTypes.includes(alert.type.toLowerCase());
    return route.severities.length === 0 || route.severities.includes(alert.severity);
  });
}

/** The reachability findings a route receives: `repos`, then `severities` on the shown severity. */
export function filterFindings(
  findings: readonly Finding[],
  route: Route,
  repo: string | undefined,
): Finding[] {
  if (!repoAllowed(route, repo)) return [];
  if (route.severities.length === 0) return [...findings];
  return findings.filter((f) => route.severities.includes(f.severity));
}
