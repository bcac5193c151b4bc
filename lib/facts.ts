/**
 * Reads a `.socket.facts.json` reachability file: every vulnerability of
 * every component becomes one {@link Finding}, with its reachability state,
 * severity and call trace. None is dropped, even without a reachability entry.
 *
 * @module
 */

import { InputError, summarizeProblems } from "./errors.ts";
import { normalizeSeverity } from "./report.ts";
import type { Facts, Finding, ReachState, Severity } from "./types.ts";
import { at, Checker, isObject, type JsonObject, parseJson, quickString } from "./validate.ts";

/** Options of {@link parseFacts}. */
export interface ParseFactsOptions {
  /** Name of the input for error messages (a path). */
  source?: string;
  /** Skip a malformed component or vulnerability (reported in `warnings`) instead of failing. */
  lenient?: boolean;
  /** Read every component the detailed way, never the quick one (tests compare the two). */
  exhaustive?: boolean;
}

/** What {@link parseFacts} returns. */
export interface ParsedFacts {
  /** The findings. */
  facts: Facts;
  /** Components or vulnerabilities skipped in lenient mode. */
  warnings: string[];
}

/** Traces longer than this are cut at a line boundary. */
export const TRACE_LIMIT = 500;

const HINT =
  "Pass the .socket.facts.json that the Socket CLI's reachability analysis (--reach) writes";

/**
 * Parses and validates a facts file. Throws {@link InputError} naming the
 * source and the JSON path of every problem.
 */
export function parseFacts(text: string, options: ParseFactsOptions = {}): ParsedFacts {
  const source = options.source ?? "the facts file";
  const parsed = parseJson(text);
  if (!parsed.ok) throw new InputError(source, [parsed.problem], HINT);
  const value = parsed.value;
  const check = new Checker();
  if (!isObject(value)) {
    check.expected("", "a JSON object with a components array", value);
    throw new InputError(source, check.problems, HINT);
  }
  const components = value["components"] ?? excerptComponents(value);
  if (!Array.isArray(components)) {
    check.expected("components", "an array of components", components);
    throw new InputError(source, check.problems, HINT);
  }
  const findings: Finding[] = [];
  const warnings: string[] = [];
  components.forEach((component, i) => {
    // Well-formed components (nearly all) take the quick read; any doubt, and the detailed one says why.
    const quick = options.exhaustive ? undefined : quickComponent(component);
    if (quick) {
      for (const f of quick) findings.push(f);
      return;
    }
    const local = new Checker();
    const found = readComponent(component, `components[${i}]`, local, !!options.lenient, warnings);
    if (!local.failed) {
      findings.push(...found);
    } else if (options.lenient) {
      warnings.push(
        `Skipped malformed component components[${i}]: ${summarizeProblems(local.problems)}`,
      );
    } else {
      check.absorb(local);
    }
  });
  if (check.failed) {
    throw new InputError(
      source,
      check.problems,
      `${HINT}, or use --lenient to skip malformed components`,
    );
  }
  return { facts: { findings }, warnings };
}

/**
 * The components of an excerpt file (`{"cases": {name: [{component}]}}`),
 * the shape of the reachability samples Socket shares: each case's
 * components, in order. Undefined for any other document.
 */
function excerptComponents(value: JsonObject): unknown[] | undefined {
  const cases = value["cases"];
  if (!isObject(cases)) return undefined;
  const components: unknown[] = [];
  for (const list of Object.values(cases)) {
    if (!Array.isArray(list)) return undefined;
    for (const item of list) {
      components.push(isObject(item) && "component" in item ? item["component"] : item);
    }
  }
  return components;
}

interface Frame {
  package?: string;
  class?: string;
  filename?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

interface ReachItem {
  type: string;
  matches: Frame[][];
}

function readComponent(
  raw: unknown,
  path: string,
  check: Checker,
  lenient: boolean,
  warnings: string[],
): Finding[] {
  if (!isObject(raw)) {
    check.expected(path, "a component object", raw);
    return [];
  }
  const pkgType = check.reqString(raw, "type", path, "a non-empty string (the ecosystem)") ?? "";
  const name = check.reqString(raw, "name", path, "a non-empty string (the package name)") ?? "";
  const version = check.optString(raw, "version", path) ?? "";
  const namespace = check.optString(raw, "namespace", path) ?? "";
  const vulns = optArray(raw, "vulnerabilities", path, check);
  // Most components have no vulnerability: nothing else of theirs is used, so nothing else is read.
  if (vulns.length === 0) return [];
  const entries = readReachability(raw, path, check);
  const component = componentFields(pkgType, namespace, name, version);
  const findings: Finding[] = [];
  vulns.forEach((vuln, j) => {
    const vpath = at(at(path, "vulnerabilities"), j);
    // Each vulnerability is checked alone, so --lenient skips just the bad one.
    const vcheck = new Checker();
    if (!isObject(vuln)) vcheck.expected(vpath, "a vulnerability object", vuln);
    const fields = isObject(vuln) ? vuln : {};
    const ghsaId = vcheck.optString(fields, "ghsaId", vpath);
    const cveId = vcheck.optString(fields, "cveId", vpath);
    const baseSeverity = readSeverity(fields, vpath, vcheck);
    const undeterminable = readUndeterminable(fields, vpath, vcheck);
    if (vcheck.failed) {
      if (lenient) {
        warnings.push(
          `Skipped malformed vulnerability ${vpath}: ${summarizeProblems(vcheck.problems)}`,
        );
      } else check.absorb(vcheck);
      return;
    }
    findings.push(findingOf(component, { ghsaId, cveId, baseSeverity, undeterminable }, entries));
  });
  return findings;
}

/** What a finding takes from its component. */
interface ComponentFields {
  pkgType: string;
  name: string;
  version: string;
  namespace: string;
  purl: string;
}

/** What a finding takes from its vulnerability. */
interface VulnFields {
  ghsaId?: string;
  cveId?: string;
  baseSeverity: Severity | "unknown";
  undeterminable: boolean;
}

function componentFields(
  pkgType: string,
  namespace: string,
  name: string,
  version: string,
): ComponentFields {
  const purl = `pkg:${pkgType}/${namespace ? `${namespace.replaceAll("@", "%40")}/` : ""}${name}` +
    (version ? `@${version}` : "");
  return { pkgType, name, version, namespace, purl };
}

/** One finding, from its component, its vulnerability and the component's reachability entries. */
function findingOf(c: ComponentFields, v: VulnFields, entries: Map<string, ReachItem[]>): Finding {
  const id = v.ghsaId || v.cveId || "Unknown";
  const items = id === "Unknown" ? undefined : entries.get(id);
  const state: ReachState = v.undeterminable || !items ? "unknown" : stateOf(items);
  const firstReachable = state === "reachable"
    ? items?.find((i) => i.type === "reachable")
    : undefined;
  const vulnIds: string[] = [];
  if (v.ghsaId) vulnIds.push(v.ghsaId.trim().toUpperCase());
  if (v.cveId) vulnIds.push(v.cveId.trim().toUpperCase());
  return {
    purl: c.purl,
    id,
    vulnIds,
    pkgType: c.pkgType,
    namespace: c.namespace,
    name: c.name,
    version: c.version,
    state,
    severity: SHOWN_SEVERITY[state],
    baseSeverity: v.baseSeverity,
    trace: firstReachable ? formatTrace(firstReachable.matches, c.name, c.version) : "",
  };
}

function quickArray(value: unknown): unknown[] | undefined {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : undefined;
}

/** A severity, or undefined when the value is not one (the detailed reader says why). */
function quickSeverity(v: unknown): Severity | "unknown" | undefined {
  if (v === undefined || v === null || v === "") return "unknown";
  if (typeof v === "number") return Number.isFinite(v) ? severityOfScore(v) : undefined;
  if (typeof v !== "string") return undefined;
  if (NUMERIC.test(v)) return severityOfScore(Number(v));
  return normalizeSeverity(v);
}

function quickPosition(v: unknown): { line?: number; column?: number } | undefined | false {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return false;
  const { line, column } = v;
  const ok = (n: unknown) =>
    n === undefined || n === null || (typeof n === "number" && Number.isFinite(n));
  if (!ok(line) || !ok(column)) return false;
  return { line: line ?? undefined, column: column ?? undefined } as {
    line?: number;
    column?: number;
  };
}

function quickFrame(raw: unknown): Frame | undefined {
  if (!isObject(raw)) return undefined;
  const pkg = quickString(raw.package, "");
  const cls = quickString(raw.class, "");
  if (pkg === undefined || cls === undefined) return undefined;
  const frame: Frame = { package: pkg || undefined, class: cls || undefined };
  const loc = raw.sourceLocation;
  if (loc === undefined || loc === null) return frame;
  if (!isObject(loc)) return undefined;
  const filename = quickString(loc.filename, "");
  const start = quickPosition(loc.start);
  const end = quickPosition(loc.end);
  if (filename === undefined || start === false || end === false) return undefined;
  frame.filename = filename || undefined;
  frame.line = start?.line;
  frame.column = start?.column;
  frame.endLine = end?.line;
  frame.endColumn = end?.column;
  return frame;
}

function quickEntries(raw: JsonObject): Map<string, ReachItem[]> | undefined {
  const byId = new Map<string, ReachItem[]>();
  const list = quickArray(raw.reachability);
  if (!list) return undefined;
  for (const entry of list) {
    if (!isObject(entry)) return undefined;
    const id = entry.ghsa_id;
    const rawItems = quickArray(entry.reachability);
    if (typeof id !== "string" || id === "" || !rawItems) return undefined;
    const items: ReachItem[] = [];
    for (const item of rawItems) {
      if (!isObject(item) || typeof item.type !== "string" || item.type === "") return undefined;
      const groups = quickArray(item.matches);
      if (!groups) return undefined;
      const matches: Frame[][] = [];
      for (const group of groups) {
        if (!Array.isArray(group)) return undefined;
        const frames: Frame[] = [];
        for (const f of group) {
          const frame = quickFrame(f);
          if (!frame) return undefined;
          frames.push(frame);
        }
        matches.push(frames);
      }
      items.push({ type: item.type, matches });
    }
    if (!byId.has(id)) byId.set(id, items);
  }
  return byId;
}

/**
 * Reads a well-formed component with plain type checks, or returns undefined
 * for {@link readComponent} to examine. On every input it accepts, it returns
 * what {@link readComponent} would (a test holds the two to that).
 */
function quickComponent(raw: unknown): Finding[] | undefined {
  if (!isObject(raw)) return undefined;
  const { type: pkgType, name } = raw;
  if (typeof pkgType !== "string" || pkgType === "" || typeof name !== "string" || name === "") {
    return undefined;
  }
  const version = quickString(raw.version, "");
  const namespace = quickString(raw.namespace, "");
  const vulns = quickArray(raw.vulnerabilities);
  if (version === undefined || namespace === undefined || !vulns) return undefined;
  if (vulns.length === 0) return [];
  const entries = quickEntries(raw);
  if (!entries) return undefined;
  const component = componentFields(pkgType, namespace, name, version);
  const findings: Finding[] = [];
  for (const vuln of vulns) {
    if (!isObject(vuln)) return undefined;
    const ghsaId = quickString(vuln.ghsaId, "");
    const cveId = quickString(vuln.cveId, "");
    const baseSeverity = quickSeverity(vuln.severity);
    const data = vuln.reachabilityData;
    let undeterminable = false;
    if (data !== undefined && data !== null) {
      if (!isObject(data)) return undefined;
      const u = data.undeterminableReachability;
      if (u !== undefined && u !== null && typeof u !== "boolean") return undefined;
      undeterminable = u === true;
    }
    if (ghsaId === undefined || cveId === undefined || !baseSeverity) return undefined;
    findings.push(findingOf(component, { ghsaId, cveId, baseSeverity, undeterminable }, entries));
  }
  return findings;
}

/** The Python CLI's prioritisation: what is reached is critical, what is unknown is high. */
const SHOWN_SEVERITY: Record<ReachState, Severity> = {
  reachable: "critical",
  unknown: "high",
  error: "high",
  unreachable: "low",
};

function stateOf(items: ReachItem[]): ReachState {
  if (items.some((i) => i.type === "reachable")) return "reachable";
  if (items.length > 0 && items.every((i) => i.type === "unreachable")) return "unreachable";
  if (items.some((i) => i.type === "error")) return "error";
  return "unknown";
}

function optArray(obj: JsonObject, key: string, path: string, check: Checker): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  check.expected(at(path, key), "an array", v);
  return [];
}

const NUMERIC = /^\s*\d+(\.\d+)?\s*$/;

/** CVSS score to severity word. */
function severityOfScore(score: number): Severity {
  return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" : "low";
}

function readSeverity(vuln: JsonObject, path: string, check: Checker): Severity | "unknown" {
  const v = vuln["severity"];
  if (v === undefined || v === null || v === "") return "unknown";
  const score = typeof v === "number"
    ? v
    : typeof v === "string" && NUMERIC.test(v)
    ? Number(v)
    : NaN;
  if (Number.isFinite(score)) return severityOfScore(score);
  if (typeof v === "string") {
    const word = normalizeSeverity(v);
    if (word) return word;
  }
  check.expected(
    at(path, "severity"),
    "a severity word (CRITICAL, HIGH, MODERATE, LOW) or a CVSS score",
    v,
  );
  return "unknown";
}

function readUndeterminable(vuln: JsonObject, path: string, check: Checker): boolean {
  const data = vuln["reachabilityData"];
  if (data === undefined || data === null) return false;
  if (!isObject(data)) {
    check.expected(at(path, "reachabilityData"), "an object", data);
    return false;
  }
  return check.optBoolean(data, "undeterminableReachability", at(path, "reachabilityData")) ??
    false;
}

/** The component's `reachability[]`, indexed by advisory id (first entry wins, as in the Python CLI). */
function readReachability(raw: JsonObject, path: string, check: Checker): Map<string, ReachItem[]> {
  const byId = new Map<string, ReachItem[]>();
  const rpath = at(path, "reachability");
  optArray(raw, "reachability", path, check).forEach((entry, k) => {
    const epath = at(rpath, k);
    if (!isObject(entry)) {
      check.expected(epath, "a reachability entry object", entry);
      return;
    }
    const id = check.reqString(entry, "ghsa_id", epath, "a non-empty string (the advisory id)");
    const items: ReachItem[] = [];
    optArray(entry, "reachability", epath, check).forEach((item, m) => {
      const ipath = at(at(epath, "reachability"), m);
      if (!isObject(item)) {
        check.expected(ipath, "a reachability item object", item);
        return;
      }
      const type = check.reqString(
        item,
        "type",
        ipath,
        "a non-empty string (the reachability kind)",
      );
      if (type) items.push({ type, matches: readMatches(item, ipath, check) });
    });
    if (id && !byId.has(id)) byId.set(id, items);
  });
  return byId;
}

function readMatches(item: JsonObject, path: string, check: Checker): Frame[][] {
  const mpath = at(path, "matches");
  return optArray(item, "matches", path, check).map((group, g) => {
    const gpath = at(mpath, g);
    if (!Array.isArray(group)) {
      check.expected(gpath, "an array of frames", group);
      return [];
    }
    return group.map((frame, f) => readFrame(frame, at(gpath, f), check));
  });
}

function readFrame(raw: unknown, path: string, check: Checker): Frame {
  if (!isObject(raw)) {
    check.expected(path, "a frame object", raw);
    return {};
  }
  const frame: Frame = {
    package: check.optString(raw, "package", path) || undefined,
    class: check.optString(raw, "class", path) || undefined,
  };
  const loc = raw["sourceLocation"];
  if (loc === undefined || loc === null) return frame;
  const lpath = at(path, "sourceLocation");
  if (!isObject(loc)) {
    check.expected(lpath, "an object", loc);
    return frame;
  }
  frame.filename = check.optString(loc, "filename", lpath) || undefined;
  const start = position(loc, "start", lpath, check);
  const end = position(loc, "end", lpath, check);
  frame.line = start?.line;
  frame.column = start?.column;
  frame.endLine = end?.line;
  frame.endColumn = end?.column;
  return frame;
}

function position(
  loc: JsonObject,
  key: string,
  path: string,
  check: Checker,
): { line?: number; column?: number } | undefined {
  const v = loc[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    check.expected(at(path, key), "an object with line and column", v);
    return undefined;
  }
  const num = (k: string): number | undefined => {
    const n = v[k];
    if (n === undefined || n === null) return undefined;
    if (typeof n === "number" && Number.isFinite(n)) return n;
    check.expected(at(at(path, key), k), "a number", n);
    return undefined;
  };
  return { line: num("line"), column: num("column") };
}

/** `{line}:{col}`, with an empty column when unknown (as the Python CLI prints it). */
function lineCol(line: number, column: number | undefined): string {
  return `${line}:${column ?? ""}`;
}

/**
 * Formats the call trace of a reachable finding: the first frame of each
 * match group by file and position, later frames by package, then the
 * vulnerable component. Cut to {@link TRACE_LIMIT} characters.
 */
function formatTrace(matches: Frame[][], name: string, version: string): string {
  const lines: string[] = [];
  for (const group of matches) {
    group.forEach((frame, i) => {
      const line = i === 0 ? firstFrame(frame) : laterFrame(frame);
      if (line) lines.push(line);
    });
  }
  lines.push(`  -> ${name}${version ? `@${version}` : ""}`);
  return cutTrace(lines);
}

function firstFrame(frame: Frame): string | undefined {
  if (frame.filename) {
    if (frame.line === undefined) return frame.filename;
    const spans = frame.endLine !== undefined && frame.endLine !== frame.line;
    return `${frame.filename} ${lineCol(frame.line, frame.column)}` +
      (spans ? `-${lineCol(frame.endLine!, frame.endColumn)}` : "");
  }
  // The spec's rule for a class-level frame holds for the first frame too.
  if (frame.package && frame.class) return `  -> ${frame.package} (${frame.class})`;
  return frame.package;
}

function laterFrame(frame: Frame): string | undefined {
  const where = frame.package ?? frame.filename;
  if (!where) return frame.class ? `  -> ${frame.class}` : undefined;
  if (frame.line !== undefined) return `  -> ${where} ${lineCol(frame.line, frame.column)}`;
  if (frame.class && !frame.filename) return `  -> ${where} (${frame.class})`;
  return `  -> ${where}`;
}

/** Keeps whole lines from the start and the last line, with `  …` between, within the limit. */
function cutTrace(lines: string[]): string {
  const full = lines.join("\n");
  if (full.length <= TRACE_LIMIT) return full;
  const last = lines[lines.length - 1];
  const tail = `\n  …\n${last}`;
  const kept: string[] = [];
  let size = 0;
  for (const line of lines.slice(0, -1)) {
    const added = (kept.length ? 1 : 0) + line.length;
    if (size + added + tail.length > TRACE_LIMIT) break;
    kept.push(line);
    size += added;
  }
  // A single frame longer than the limit still leaves the vulnerable component in view.
  return kept.length ? kept.join("\n") + tail : `  …\n${last}`.slice(0, TRACE_LIMIT);
}
