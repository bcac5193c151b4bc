/**
 * Reads the Socket CLI's JSON report (`socketcli --json-file`, or the
 * `--enable-json` stdout line, which may carry a logger prefix).
 *
 * @module
 */

import { InputError, summarizeProblems } from "./errors.ts";
import type { Alert, Report, Severity } from "./types.ts";
import { at, Checker, isObject, type JsonObject, parseJson, quickString } from "./validate.ts";

/** Options of {@link parseReport}. */
export interface ParseReportOptions {
  /** Name of the input for error messages (a path, or `stdin`). */
  source?: string;
  /** Skip a malformed alert (reported in `warnings`) instead of failing. */
  lenient?: boolean;
}

/** What {@link parseReport} returns. */
export interface ParsedReport {
  /** The validated report. */
  report: Report;
  /** Alerts skipped in lenient mode, and similar notes. */
  warnings: string[];
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  middle: "medium",
  medium: "medium",
  moderate: "medium",
  low: "low",
};

/** Normalises a severity word (`middle`, `Moderate`, …); undefined when unknown. */
export function normalizeSeverity(word: string): Severity | undefined {
  return SEVERITY_WORDS[word.trim().toLowerCase()];
}

const SEVERITY_EXPECTED = '"low", "middle", "high" or "critical"';

const HINT =
  "Pass the JSON report the Socket CLI writes with --json-file (or its --enable-json line)";

/**
 * Parses and validates a Socket report. Throws {@link InputError} naming the
 * source and the JSON path of every problem.
 */
export function parseReport(text: string, options: ParseReportOptions = {}): ParsedReport {
  const source = options.source ?? "the report";
  const value = parseReportJson(text, source);
  const check = new Checker();
  const warnings: string[] = [];
  if (!isObject(value)) {
    throw new InputError(source, [{
      path: "",
      message: `expected a JSON object, got ${kind(value)}`,
    }], HINT);
  }
  const rawAlerts = value["new_alerts"];
  if (!Array.isArray(rawAlerts)) {
    check.expected("new_alerts", "an array of alerts", rawAlerts);
    throw new InputError(source, check.problems, HINT);
  }
  const alerts: Alert[] = [];
  rawAlerts.forEach((raw, i) => {
    // Well-formed alerts (nearly all) take the quick read; any doubt, and the detailed one says why.
    const quick = quickAlert(raw);
    if (quick) {
      alerts.push(quick);
      return;
    }
    const alertCheck = new Checker();
    const alert = readAlert(raw, `new_alerts[${i}]`, alertCheck);
    if (!alertCheck.failed && alert) {
      alerts.push(alert);
    } else if (options.lenient) {
      warnings.push(
        `Skipped malformed alert new_alerts[${i}]: ${summarizeProblems(alertCheck.problems)}`,
      );
    } else {
      check.absorb(alertCheck);
    }
  });
  const diffUrl = check.optString(value, "diff_url", "") ?? "";
  const reportUrl = check.optString(value, "report_url", "") ?? "";
  const repo = check.optString(value, "repo", "");
  const branch = check.optString(value, "branch", "");
  const sha = check.optString(value, "commit_sha", "");
  const scanFailed = check.optBoolean(value, "scan_failed", "") ?? false;
  if (check.failed) {
    const hint = options.lenient ? HINT : `${HINT}, or use --lenient to skip malformed alerts`;
    throw new InputError(source, check.problems, hint);
  }
  return {
    report: {
      alerts,
      diffUrl,
      reportUrl,
      repo: repo || undefined,
      branch: branch || undefined,
      sha: sha || undefined,
      scanFailed,
    },
    warnings,
  };
}

/**
 * Parses the report text. Whole-file JSON comes first; failing that, the
 * `--enable-json` form: a line whose JSON object starts after a logger prefix.
 */
function parseReportJson(text: string, source: string): unknown {
  const whole = parseJson(text);
  if (whole.ok) return whole.value;
  for (const line of text.split(/\r?\n/)) {
    const start = line.indexOf("{");
    if (start < 0) continue;
    const candidate = parseJson(line.slice(start));
    if (candidate.ok && isObject(candidate.value) && "new_alerts" in candidate.value) {
      return candidate.value;
    }
  }
  throw new InputError(source, [whole.problem], HINT);
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return `a ${typeof value}`;
}

function quickBoolean(value: unknown): boolean | undefined {
  return value === undefined || value === null
    ? false
    : typeof value === "boolean"
    ? value
    : undefined;
}

/**
 * Reads a well-formed alert with plain type checks, or returns undefined for
 * {@link readAlert} to examine. On every input it accepts, it returns what
 * {@link readAlert} would (a test holds the two to that).
 */
export function quickAlert(raw: unknown): Alert | undefined {
  if (!isObject(raw)) return undefined;
  const { type, severity: rawSeverity } = raw;
  if (typeof type !== "string" || type === "" || typeof rawSeverity !== "string") return undefined;
  const severity = normalizeSeverity(rawSeverity);
  const title = quickString(raw.title, "");
  const pkgType = quickString(raw.pkg_type, "");
  const pkgName = quickString(raw.pkg_name, "");
  const pkgVersion = quickString(raw.pkg_version, "");
  const url = quickString(raw.url, "");
  const purl = raw.purl;
  const error = quickBoolean(raw.error);
  const warn = quickBoolean(raw.warn);
  if (
    !severity || title === undefined || pkgType === undefined || pkgName === undefined ||
    pkgVersion === undefined || url === undefined || error === undefined || warn === undefined ||
    (purl !== undefined && purl !== null && typeof purl !== "string")
  ) return undefined;
  const introducedBy: Array<[string, string]> = [];
  const intro = raw.introduced_by;
  if (intro !== undefined && intro !== null) {
    if (!Array.isArray(intro)) return undefined;
    for (const pair of intro) {
      if (!Array.isArray(pair) || pair.length < 1 || pair.length > 2) return undefined;
      const [source, manifests = ""] = pair;
      if (typeof source !== "string" || typeof manifests !== "string") return undefined;
      // A checked pair of two strings is kept as it is: one array less per alert.
      introducedBy.push(pair.length === 2 ? pair as [string, string] : [source, manifests]);
    }
  }
  const props = raw.props;
  if (props !== undefined && props !== null && !isObject(props)) return undefined;
  return alertOf({
    type,
    severity,
    rawSeverity,
    title,
    pkgType,
    pkgName,
    pkgVersion,
    purl: typeof purl === "string" ? purl : undefined,
    url,
    introducedBy,
    error,
    warn,
    vulnIds: props ? vulnIdsOf(props) : [],
  });
}

/** Reads an alert field by field, recording every problem with its path. */
export function readAlert(raw: unknown, path: string, check: Checker): Alert | undefined {
  if (!isObject(raw)) {
    check.expected(path, "an alert object", raw);
    return undefined;
  }
  const type = check.reqString(raw, "type", path, "a non-empty string (the Socket alert type)");
  const rawSeverity = check.reqString(raw, "severity", path, SEVERITY_EXPECTED);
  const severity = rawSeverity === undefined ? undefined : normalizeSeverity(rawSeverity);
  if (rawSeverity !== undefined && !severity) {
    check.expected(at(path, "severity"), SEVERITY_EXPECTED, rawSeverity);
  }
  const title = check.optString(raw, "title", path) ?? "";
  const pkgType = check.optString(raw, "pkg_type", path) ?? "";
  const pkgName = check.optString(raw, "pkg_name", path) ?? "";
  const pkgVersion = check.optString(raw, "pkg_version", path) ?? "";
  const purl = check.optString(raw, "purl", path);
  const url = check.optString(raw, "url", path) ?? "";
  const error = check.optBoolean(raw, "error", path) ?? false;
  const warn = check.optBoolean(raw, "warn", path) ?? false;
  const introducedBy = readIntroducedBy(raw, path, check);
  const vulnIds = readVulnIds(raw, path, check);
  if (!type || !severity || !rawSeverity) return undefined;
  return alertOf({
    type,
    severity,
    rawSeverity,
    title,
    pkgType,
    pkgName,
    pkgVersion,
    purl,
    url,
    introducedBy,
    error,
    warn,
    vulnIds,
  });
}

/** An alert from its checked fields: the title falls back to the type, the purl to `name@version`. */
function alertOf(fields: Omit<Alert, "purl"> & { purl: string | undefined }): Alert {
  const { pkgName, pkgVersion } = fields;
  return {
    ...fields,
    title: fields.title || fields.type,
    purl: fields.purl ?? (pkgName ? `${pkgName}@${pkgVersion}` : ""),
  };
}

function readIntroducedBy(raw: JsonObject, path: string, check: Checker): Array<[string, string]> {
  const value = raw["introduced_by"];
  const here = at(path, "introduced_by");
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    check.expected(here, "an array of [source, manifests] pairs", value);
    return [];
  }
  const pairs: Array<[string, string]> = [];
  value.forEach((pair, i) => {
    if (
      !Array.isArray(pair) || pair.length < 1 || pair.length > 2 ||
      !pair.every((s) => typeof s === "string")
    ) {
      check.expected(at(here, i), "a [source, manifests] pair of strings", pair);
      return;
    }
    pairs.push([pair[0], pair[1] ?? ""]);
  });
  return pairs;
}

const ID_KEYS = ["ghsaId", "ghsa_id", "cveId", "cve_id"];

function readVulnIds(raw: JsonObject, path: string, check: Checker): string[] {
  const props = raw["props"];
  if (props === undefined || props === null) return [];
  if (!isObject(props)) {
    check.expected(at(path, "props"), "an object", props);
    return [];
  }
  return vulnIdsOf(props);
}

function vulnIdsOf(props: JsonObject): string[] {
  const ids: string[] = [];
  for (const key of ID_KEYS) {
    const id = props[key];
    if (typeof id !== "string") continue;
    const normal = id.trim().toUpperCase();
    if (normal && !ids.includes(normal)) ids.push(normal);
  }
  return ids;
}
