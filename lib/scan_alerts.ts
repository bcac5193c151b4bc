/**
 * Turns a Socket diff scan (`GET /v0/orgs/{org}/diff-scans/{id}`) into the
 * alerts the Socket Python CLI reports in `new_alerts`, as plain report
 * alerts that `parseReport` (`report.ts`) reads unchanged. Each comes with its
 * identity (artifact, alert key, action), so a caller can tell which ones
 * it already notified.
 *
 * The rules follow the Python CLI: the alerts of `added` and `updated`
 * artifacts whose policy action is `error` or `warn`, minus those that a
 * `removed` or `replaced` artifact carried already (same key, same content),
 * one per package and alert type.
 *
 * @example Alerts of a diff scan
 * ```ts
 * import { alertsFromDiffScan } from "./scan_alerts.ts";
 *
 * const body = {
 *   diff_scan: {
 *     id: "d1",
 *     html_url: "https://socket.dev/dashboard/org/acme/diff/d1",
 *     incomplete: false,
 *     artifacts: {
 *       added: [{
 *         id: "a1",
 *         type: "npm",
 *         name: "left-pad",
 *         version: "1.0.0",
 *         head: [{ direct: true, manifestFiles: [{ file: "package.json" }] }],
 *         alerts: [{ key: "k1", type: "malware", severity: "critical", action: "error" }],
 *       }],
 *       removed: [],
 *       replaced: [],
 *       updated: [],
 *       unchanged: null,
 *     },
 *   },
 * };
 * const { alerts } = alertsFromDiffScan(body);
 * console.log(alerts[0].alert.title); // "Known malware"
 * ```
 *
 * @module
 */

import { InputError } from "./errors.ts";
import { normalizeSeverity } from "./report.ts";
import { at, Checker, isObject, type JsonObject } from "./validate.ts";

/** One new alert of a diff scan, with what identifies it across scans. */
export interface ScanAlert {
  /** The alert as a `new_alerts` entry of the Socket CLI's JSON report (snake_case fields). */
  alert: Record<string, unknown>;
  /** Id of the Socket artifact (package version) the alert is on. */
  artifactId: string;
  /** Socket's alert key: the same alert keeps it from scan to scan. */
  key: string;
  /** The organisation's policy action for the alert. */
  action: "error" | "warn";
}

/** What {@link alertsFromDiffScan} returns. */
export interface DiffScanResult {
  /** Diff scan id. */
  id: string;
  /** Link to the diff scan in the Socket dashboard; empty when the API gives none. */
  htmlUrl: string;
  /**
   * True when a side of the diff was cut at the plan's dependency limit: the
   * artifact lists, and so the alerts, may then be wrong.
   */
  incomplete: boolean;
  /** New alerts, in the Python CLI's order. */
  alerts: ScanAlert[];
}

const SOURCE = "the Socket API diff scan";

const HINT = "Expected the answer of Socket's GET /orgs/{org}/diff-scans/{id}: check that the " +
  "Socket API base URL points at Socket's API (https://api.socket.dev/v0), and report the " +
  "problem if it does";

const SEVERITY_EXPECTED = '"low", "middle", "high" or "critical"';

/** One alert of an artifact, validated; props and action defaulted as the API schema does. */
interface RawAlert {
  key: string;
  type: string;
  /** The severity word as Socket wrote it (`middle`, …). */
  severity: string;
  props: JsonObject;
  /** `error`, `warn`, `monitor`, `ignore`, or empty. */
  action: string;
}

/** Where an artifact sits in the dependency tree of the head scan. */
interface Link {
  direct: boolean;
  manifests: string[];
  ancestors: string[];
}

/** An added or updated artifact, validated. */
interface Artifact {
  id: string;
  type: string;
  /** Empty when the ecosystem has none. */
  namespace: string;
  name: string;
  version: string;
  links: Link[];
  alerts: RawAlert[];
}

/**
 * Reads a diff scan body and returns its new alerts. Throws
 * {@link InputError} naming the JSON path of every malformed value it uses
 * (the `unchanged` list is never read).
 */
export function alertsFromDiffScan(body: unknown): DiffScanResult {
  const check = new Checker();
  if (!isObject(body)) {
    check.expected("", "a JSON object with a diff_scan", body);
    throw new InputError(SOURCE, check.problems, HINT);
  }
  const scan = body["diff_scan"];
  if (!isObject(scan)) {
    check.expected("diff_scan", "a diff scan object", scan);
    throw new InputError(SOURCE, check.problems, HINT);
  }
  const id = check.reqString(scan, "id", "diff_scan", "a non-empty string (the diff scan id)");
  const htmlUrl = check.optString(scan, "html_url", "diff_scan") ?? "";
  const incomplete = check.optBoolean(scan, "incomplete", "diff_scan") ?? false;
  const lists = scan["artifacts"];
  if (!isObject(lists)) {
    check.expected("diff_scan.artifacts", "an object of artifact lists", lists);
    throw new InputError(SOURCE, check.problems, HINT);
  }
  const here = "diff_scan.artifacts";
  const added = [
    ...readList(lists, "added", here, check, readArtifact),
    ...readList(lists, "updated", here, check, readArtifact),
  ];
  const gone = [
    ...readList(lists, "removed", here, check, readGoneAlerts),
    ...readList(lists, "replaced", here, check, readGoneAlerts),
  ].flat();
  if (check.failed || id === undefined) throw new InputError(SOURCE, check.problems, HINT);
  return { id, htmlUrl, incomplete, alerts: newAlerts(added, gone) };
}

/** Reads one artifact list; null or absent reads as empty (the API sends null for omitted lists). */
function readList<T>(
  lists: JsonObject,
  key: string,
  path: string,
  check: Checker,
  read: (raw: unknown, path: string, check: Checker) => T | undefined,
): T[] {
  const value = lists[key];
  const here = at(path, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    check.expected(here, "an array of artifacts", value);
    return [];
  }
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = read(value[i], at(here, i), check);
    if (item !== undefined) out.push(item);
  }
  return out;
}

function readArtifact(raw: unknown, path: string, check: Checker): Artifact | undefined {
  if (!isObject(raw)) {
    check.expected(path, "an artifact object", raw);
    return undefined;
  }
  const id = check.reqString(raw, "id", path, "a non-empty string (the artifact id)");
  const type = check.reqString(
    raw,
    "type",
    path,
    "a non-empty string (the ecosystem: npm, pypi, …)",
  );
  const namespace = check.optString(raw, "namespace", path) ?? "";
  const name = check.reqString(raw, "name", path, "a non-empty string (the package name)");
  const version = check.optString(raw, "version", path) ?? "";
  const links = readLinks(raw, path, check);
  const alerts = readAlerts(raw, path, check);
  if (!id || !type || !name) return undefined;
  return { id, type, namespace, name, version, links, alerts };
}

/** A removed or replaced artifact counts only for its alerts. */
function readGoneAlerts(raw: unknown, path: string, check: Checker): RawAlert[] | undefined {
  if (!isObject(raw)) {
    check.expected(path, "an artifact object", raw);
    return undefined;
  }
  return readAlerts(raw, path, check);
}

const FLAT_LINK_KEYS = ["direct", "manifestFiles", "topLevelAncestors"];

/**
 * The `head` links of an artifact. Some API answers flatten the link into
 * the artifact itself (the Python CLI reads both): those fields count as
 * one more link.
 */
function readLinks(raw: JsonObject, path: string, check: Checker): Link[] {
  const links: Link[] = [];
  const head = raw["head"];
  const here = at(path, "head");
  if (Array.isArray(head)) {
    head.forEach((item, i) => {
      if (isObject(item)) links.push(readLink(item, at(here, i), check));
      else check.expected(at(here, i), "an artifact link object", item);
    });
  } else if (head !== undefined && head !== null) {
    check.expected(here, "an array of artifact links", head);
  }
  if (FLAT_LINK_KEYS.some((key) => raw[key] !== undefined && raw[key] !== null)) {
    links.push(readLink(raw, path, check));
  }
  return links;
}

function readLink(raw: JsonObject, path: string, check: Checker): Link {
  const direct = check.optBoolean(raw, "direct", path) ?? false;
  const ancestors = check.optStrings(raw, "topLevelAncestors", path) ?? [];
  const manifests: string[] = [];
  const files = raw["manifestFiles"];
  const here = at(path, "manifestFiles");
  if (Array.isArray(files)) {
    files.forEach((ref, i) => {
      const file = isObject(ref) ? ref["file"] : undefined;
      if (typeof file === "string") manifests.push(file);
      else check.expected(at(here, i), 'a manifest reference ({"file": "…"})', ref);
    });
  } else if (files !== undefined && files !== null) {
    check.expected(here, "an array of manifest references", files);
  }
  return { direct, manifests, ancestors };
}

function readAlerts(raw: JsonObject, path: string, check: Checker): RawAlert[] {
  const value = raw["alerts"];
  const here = at(path, "alerts");
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    check.expected(here, "an array of alerts", value);
    return [];
  }
  const alerts: RawAlert[] = [];
  value.forEach((item, i) => {
    const alert = readAlert(item, at(here, i), check);
    if (alert) alerts.push(alert);
  });
  return alerts;
}

function readAlert(raw: unknown, path: string, check: Checker): RawAlert | undefined {
  if (!isObject(raw)) {
    check.expected(path, "an alert object", raw);
    return undefined;
  }
  const key = check.reqString(raw, "key", path, "a non-empty string (the alert key)");
  const type = check.reqString(raw, "type", path, "a non-empty string (the Socket alert type)");
  // The schema's default severity is "low"; a word parseReport would refuse is refused here.
  const severity = check.optString(raw, "severity", path) ?? "low";
  const severityOk = normalizeSeverity(severity) !== undefined;
  if (!severityOk) check.expected(at(path, "severity"), SEVERITY_EXPECTED, severity);
  const props = raw["props"];
  if (props !== undefined && props !== null && !isObject(props)) {
    check.expected(at(path, "props"), "an object", props);
  }
  const action = check.optString(raw, "action", path) ?? "";
  if (!key || !type || !severityOk) return undefined;
  return { key, type, severity, props: isObject(props) ? props : {}, action };
}

/** `[namespace/]name`, as the report's `pkg_name` and `purl` write it. */
function fullName(artifact: Artifact): string {
  return artifact.namespace ? `${artifact.namespace}/${artifact.name}` : artifact.name;
}

/** The report's `purl`: `[namespace/]name@version` (not a real PURL, like the Python CLI's). */
function purlOf(artifact: Artifact): string {
  return `${fullName(artifact)}@${artifact.version}`;
}

/** The package's page on socket.dev, built as the Python CLI builds it. */
function urlOf({ type, namespace, name, version }: Artifact): string {
  return `https://socket.dev/${type}/package${namespace ? `/${namespace}` : ""}/${name}` +
    `/overview/${version}`;
}

/**
 * Selects the new alerts. The order is the Python CLI's: alerts grouped by
 * key, keys in the order first seen; the first alert of each package and
 * type wins.
 */
function newAlerts(added: Artifact[], gone: RawAlert[]): ScanAlert[] {
  const goneByKey = new Map<string, RawAlert[]>();
  for (const alert of gone) {
    const same = goneByKey.get(alert.key);
    if (same) same.push(alert);
    else goneByKey.set(alert.key, [alert]);
  }
  const byId = new Map<string, Artifact>();
  const byKey = new Map<string, Array<[Artifact, RawAlert]>>();
  for (const artifact of added) {
    if (!byId.has(artifact.id)) byId.set(artifact.id, artifact);
    for (const alert of artifact.alerts) {
      const same = byKey.get(alert.key);
      if (same) same.push([artifact, alert]);
      else byKey.set(alert.key, [[artifact, alert]]);
    }
  }
  const introduced = new Map<Artifact, Array<[string, string]>>();
  const taken = new Set<string>();
  const out: ScanAlert[] = [];
  for (const [key, entries] of byKey) {
    const before = goneByKey.get(key) ?? [];
    for (const [artifact, alert] of entries) {
      const { action } = alert;
      if (action !== "error" && action !== "warn") continue;
      const purl = purlOf(artifact);
      // Like the Python CLI: the slot is name@version and type, whatever the ecosystem.
      const slot = JSON.stringify([purl, alert.type]);
      if (taken.has(slot) || before.some((old) => sameContent(old, alert))) continue;
      taken.add(slot);
      let pairs = introduced.get(artifact);
      if (!pairs) introduced.set(artifact, pairs = introducedBy(artifact, byId));
      out.push({
        alert: reportAlert(artifact, alert, purl, pairs),
        artifactId: artifact.id,
        key,
        action,
      });
    }
  }
  return out;
}

/** Same key (grouped by the caller), same type, same severity, same props. */
function sameContent(a: RawAlert, b: RawAlert): boolean {
  return a.type === b.type && a.severity === b.severity && jsonEqual(a.props, b.props);
}

/**
 * Deep equality of two parsed JSON values; key order does not matter.
 * Iterative, so props nested deeper than the call stack cannot overflow it.
 */
function jsonEqual(a: unknown, b: unknown): boolean {
  const pending: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      x.forEach((item, i) => pending.push([item, y[i]]));
    } else if (isObject(x)) {
      if (!isObject(y)) return false;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const k of keys) {
        if (!Object.hasOwn(y, k)) return false;
        pending.push([x[k], y[k]]);
      }
    } else {
      return false;
    }
  }
  return true;
}

/** Distinct values, in first-seen order. */
function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * The report's `introduced_by`: `[["direct", manifests]]` for a direct
 * dependency, else one `["{type}/{[namespace/]name}@{version}", manifests]`
 * per top-level ancestor found among the added and updated artifacts, with
 * that ancestor's manifests. Manifests are `;`-joined, distinct, first seen
 * first.
 *
 * Where the Python CLI leaves gaps, we fill them rather than drop the entry:
 * an ancestor without manifest files gets the alerted package's own; and
 * when no ancestor is in the diff (common: a new transitive dependency of a
 * direct dependency that did not change, and the API omits unchanged
 * artifacts), the source is `unknown` with the package's own manifests, so
 * the message still says where the package comes in.
 */
function introducedBy(artifact: Artifact, byId: Map<string, Artifact>): Array<[string, string]> {
  const own = distinct(artifact.links.flatMap((link) => link.manifests));
  if (artifact.links.some((link) => link.direct)) return [["direct", own.join(";")]];
  const sources = new Map<string, string[]>();
  for (const link of artifact.links) {
    for (const id of link.ancestors) {
      const top = byId.get(id);
      if (!top || top === artifact) continue;
      const source = `${top.type}/${purlOf(top)}`;
      const manifests = top.links.flatMap((l) => l.manifests);
      sources.set(source, distinct([...sources.get(source) ?? [], ...manifests]));
    }
  }
  if (sources.size === 0) return [["unknown", own.join(";")]];
  return [...sources].map(([source, manifests]) => [
    source,
    (manifests.length > 0 ? manifests : own).join(";"),
  ]);
}

/** The `new_alerts` entry, fields in the order the Python CLI writes them. */
function reportAlert(
  artifact: Artifact,
  alert: RawAlert,
  purl: string,
  introduced: Array<[string, string]>,
): Record<string, unknown> {
  const manifests = distinct(introduced.flatMap(([, m]) => m ? m.split(";") : [])).join(";");
  return {
    pkg_type: artifact.type,
    pkg_name: fullName(artifact),
    pkg_version: artifact.version,
    pkg_id: artifact.id,
    props: alert.props,
    key: alert.key,
    type: alert.type,
    severity: alert.severity,
    title: alertTitle(alert.type),
    // Each alert gets its own pairs: a caller editing one alert must not edit another.
    introduced_by: introduced.map(([source, m]) => [source, m]),
    purl,
    url: urlOf(artifact),
    manifests,
    error: alert.action === "error",
    warn: alert.action === "warn",
    monitor: false,
    ignore: false,
  };
}

/**
 * Titles of Socket alert types. Where the Socket Python SDK has a title, it
 * is that one (the Python CLI reports it); else Socket's own title (its CLI,
 * its alert pages); for the few Socket publishes none for, ours, in the same
 * style (`GitHub Actions: …`, `Skill: …`, `VS Code: …`).
 */
const TITLES: ReadonlyMap<string, string> = new Map(Object.entries({
  ambiguousClassifier: "Ambiguous License Classifier",
  badEncoding: "Bad text encoding",
  badSemver: "Bad semver",
  badSemverDependency: "Bad dependency semver",
  bidi: "Bidirectional unicode control characters",
  binScriptConfusion: "Bin script confusion",
  chromeContentScript: "Chrome Extension Content Script",
  chromeHostPermission: "Chrome Extension Host Permission",
  chromePermission: "Chrome Extension Permission",
  chromeWildcardHostPermission: "Chrome Extension Wildcard Host Permission",
  chronoAnomaly: "Chronological version anomaly",
  compromisedSSHKey: "Compromised SSH key",
  copyleftLicense: "Copyleft License",
  criticalCVE: "Critical CVE",
  cve: "High CVE",
  debugAccess: "Debug access",
  deprecated: "Deprecated",
  deprecatedException: "Deprecated SPDX exception",
  deprecatedLicense: "Deprecated license",
  didYouMean: "Possible typosquat attack",
  dynamicRequire: "Dynamic require",
  emptyPackage: "Empty package",
  envVars: "Environment variable access",
  explicitlyUnlicensedItem: "Explicitly Unlicensed Item",
  extraneousDependency: "Extraneous dependency",
  fileDependency: "File dependency",
  filesystemAccess: "Filesystem access",
  floatingDependency: "Floating dependency",
  generic: "Generic alert",
  ghaArgToEnv: "GitHub Actions: Input argument written to the environment",
  ghaArgToOutput: "GitHub Actions: Input argument passed back as output",
  ghaArgToSink: "GitHub Actions: Input argument flows to dangerous sink",
  ghaContextToEnv: "GitHub Actions: Context value written to the environment",
  ghaContextToOutput: "GitHub Actions: Context value passed as output",
  ghaContextToSink: "GitHub Actions: Context value flows to dangerous sink",
  ghaEnvToSink: "GitHub Actions: Environment variable flows to dangerous sink",
  gitDependency: "Git dependency",
  gitHubDependency: "GitHub dependency",
  gptAnomaly: "AI detected anomaly",
  gptDidYouMean: "Possible typosquat attack (GPT)",
  gptMalware: "AI detected potential malware",
  gptSecurity: "AI detected security risk",
  hasNativeCode: "Native code",
  highEntropyStrings: "High entropy strings",
  homoglyphs: "Unicode homoglyphs",
  httpDependency: "HTTP dependency",
  installScripts: "Install scripts",
  invalidPackageJSON: "Invalid manifest file",
  invisibleChars: "Invisible chars",
  licenseChange: "License change",
  licenseException: "License exception",
  licenseSpdxDisj: "License Policy Violation",
  longStrings: "Long strings",
  majorRefactor: "Major refactor",
  malware: "Known malware",
  manifestConfusion: "Manifest confusion",
  mediumCVE: "Medium CVE",
  mildCVE: "Low CVE",
  minifiedFile: "Minified code",
  miscLicenseIssues: "Nonpermissive License",
  missingAuthor: "Non-existent author",
  missingDependency: "Missing dependency",
  missingLicense: "Missing license",
  missingLockfile: "Missing lockfile",
  missingTarball: "Missing package tarball",
  mixedLicense: "Mixed license",
  modifiedException: "Modified license exception",
  modifiedLicense: "Modified license",
  networkAccess: "Network access",
  newAuthor: "New author",
  noAuthorData: "No contributors or author data",
  noBugTracker: "No bug tracker",
  noLicenseFound: "No License Found",
  noREADME: "No README",
  noRepository: "No repository",
  noTests: "No tests",
  noV1: "No v1",
  noWebsite: "No website",
  nonFSFLicense: "Non FSF license",
  nonOSILicense: "Non OSI license",
  nonSPDXLicense: "Non SPDX license",
  nonpermissiveLicense: "Non-permissive License",
  notFound: "Package not found",
  notice: "Legal notice",
  obfuscatedFile: "Obfuscated code",
  obfuscatedRequire: "Obfuscated require",
  oversizedManifest: "Oversized manifest",
  peerDependency: "Peer dependency",
  pendingScan: "Pending scan",
  policy: "Policy violation",
  potentialVulnerability: "Potential vulnerability",
  recentlyPublished: "Recently published",
  semverAnomaly: "Semver anomaly",
  shellAccess: "Shell access",
  shellScriptOverride: "Bin script shell injection",
  shrinkwrap: "NPM Shrinkwrap",
  skillAutonomyAbuse: "Skill: Autonomy abuse",
  skillCommandInjection: "Skill: Command injection",
  skillDataExfiltration: "Skill: Data exfiltration",
  skillDiscoveryAbuse: "Skill: Discovery abuse",
  skillHardcodedSecrets: "Skill: Hardcoded secrets",
  skillObfuscation: "Skill: Obfuscation",
  skillPreExecution: "Skill: Pre-execution behavior",
  skillPromptInjection: "Skill: Prompt injection",
  skillResourceAbuse: "Skill: Resource abuse",
  skillSupplyChain: "Skill: Supply chain risk",
  skillToolAbuse: "Skill: Tool abuse",
  skillToolChaining: "Skill: Tool chaining",
  skillTransitiveTrust: "Skill: Transitive trust",
  socketUpgradeAvailable: "Socket optimized override available",
  suspiciousStarActivity: "Suspicious Stars on GitHub",
  suspiciousString: "Suspicious strings",
  telemetry: "Telemetry",
  tooManyFiles: "Too many files",
  trivialPackage: "Trivial Package",
  troll: "Protestware or potentially unwanted behavior",
  typeModuleCompatibility: "CommonJS depending on ESModule",
  uncaughtOptionalDependency: "Uncaught optional dependency",
  unclearLicense: "Unclear license",
  unidentifiedLicense: "Unidentified License",
  unmaintained: "Unmaintained",
  unpopularPackage: "Unpopular package",
  unpublished: "Unpublished package",
  unresolvedRequire: "Unresolved require",
  unsafeCopyright: "Unsafe copyright",
  unstableOwnership: "Unstable ownership",
  unusedDependency: "Unused dependency",
  urlStrings: "URL strings",
  usesEval: "Uses eval",
  vsxActivationWildcard: "VS Code: Broad activation events",
  vsxDebuggerContribution: "VS Code: Debugger contribution",
  vsxExtensionDependency: "VS Code: Extension dependency",
  vsxExtensionPack: "VS Code: Extension pack",
  vsxProposedApiUsage: "VS Code: Proposed API usage",
  vsxUntrustedWorkspaceSupported: "VS Code: Untrusted workspaces support",
  vsxVirtualWorkspaceSupported: "VS Code: Virtual workspaces support",
  vsxWebviewContribution: "VS Code: Webview contribution",
  vsxWorkspaceContainsActivation: "VS Code: Activation on workspace contents",
  zeroWidth: "Zero width unicode chars",
}));

/** Word boundaries of a camelCase type; a run of capitals stays one word (`criticalCVE`). */
const WORD_BOUNDARY = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[\s_-]+/;

/**
 * The human title of a Socket alert type: Socket's title for a known type,
 * else the type split into capitalised words (`fooBarCVE` -> `Foo Bar CVE`).
 */
export function alertTitle(type: string): string {
  return TITLES.get(type) ??
    type.split(WORD_BOUNDARY)
      .filter((word) => word !== "")
      .map((word) => word[0].toUpperCase() + word.slice(1))
      .join(" ");
}
