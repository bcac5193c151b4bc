/**
 * Route filters: which alerts and findings go to a destination. Shared by
 * webhook and bot mode.
 *
 * @module
 */

import type { Alert, Facts, FactsInput, Finding, Route } from "./types.ts";

/**
 * Facts indexed for diff-alert lookups: package key -> advisory id -> whether
 * reached. `*` holds findings without an advisory id.
 */
export interface ReachIndex {
  /** By normalised purl (`npm/name@1.0.0`). */
  byPurl: Map<string, Map<string, boolean>>;
  /** By `type\0name\0version`, lower-cased; names with and without namespace. */
  byPackage: Map<string, Map<string, boolean>>;
}

const ANY_ID = "*";

function normalizePurl(purl: string): string {
  return purl.trim().toLowerCase().replaceAll("%40", "@").replace(/^pkg:/, "");
}

function packageKey(type: string, name: string, version: string): string {
  return `${type.trim().toLowerCase()}\0${name.trim().toLowerCase()}\0${version.trim().toLowerCase()}`;
}

function add(index: Map<string, Map<string, boolean>>, key: string, finding: Finding): void {
  let ids = index.get(key);
  if (!ids) index.set(key, ids = new Map());
  const reached = finding.state === "reachable";
  for (const id of finding.vulnIds.length ? finding.vulnIds : [ANY_ID]) {
    ids.set(id, (ids.get(id) ?? false) || reached);
  }
}

/** Indexes findings once per run, so each alert lookup is constant time. */
export function buildReachIndex(facts: Facts): ReachIndex {
  const index: ReachIndex = { byPurl: new Map(), byPackage: new Map() };
  for (const f of facts.findings) {
    add(index.byPurl, normalizePurl(f.purl), f);
    const names = new Set([f.name]);
    if (f.namespace) {
      names.add(`${f.namespace}/${f.name}`);
      names.add(`${f.namespace}:${f.name}`);
    }
    for (const name of names) add(index.byPackage, packageKey(f.pkgType, name, f.version), f);
  }
  return index;
}

function reachedIn(ids: Map<string, boolean> | undefined, alert: Alert): boolean {
  if (!ids) return false;
  if (ids.get(ANY_ID)) return true;
  if (alert.vulnIds.length === 0) return [...ids.values()].some(Boolean);
  return alert.vulnIds.some((id) => ids.get(id) === true);
}

/**
 * True when the facts show the alert's package as reached: matched by purl
 * or by type + name + version, and by GHSA/CVE id when the alert has one.
 */
export function isReachable(alert: Alert, index: ReachIndex): boolean {
  if (alert.purl && reachedIn(index.byPurl.get(normalizePurl(alert.purl)), alert)) return true;
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
