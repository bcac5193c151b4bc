/**
 * Small helpers for hand-written, total validation of parsed JSON: each check
 * either yields the typed value or records a problem at a JSON path.
 *
 * @module
 */

import type { Problem } from "./errors.ts";

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value briefly for an error message: its JSON type and a short preview. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    if (looksSecret(value)) return "a string that looks like a URL or a token (not shown)";
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * True for a value that may be a secret: a URL (webhook URLs are secrets) or
 * a Slack token. Error messages describe such values without quoting them.
 */
export function looksSecret(value: string): boolean {
  // Plain scans only: this runs on strings of any size (a 10 MB value must not take quadratic time).
  return value.includes("://") || /xox[a-z]-/i.test(value);
}

/** A value quoted for a message, or a placeholder when it may be a secret. */
export function quote(value: string): string {
  return looksSecret(value) ? "<hidden: looks like a URL or a token>" : JSON.stringify(value);
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** Joins a JSON path and a key: `a` + `b` -> `a.b`, `a` + 2 -> `a[2]`. */
export function at(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  if (looksSecret(key)) return `${path}[<a key that looks like a URL or a token>]`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Problems kept per document: enough to fix a file, bounded for a file that is wrong everywhere. */
export const MAX_PROBLEMS = 20;

/** Collects problems while reading a document. */
export class Checker {
  readonly #problems: Problem[] = [];
  #omitted = 0;

  /** Problems found so far: the first {@link MAX_PROBLEMS}, then a count of the rest. */
  get problems(): Problem[] {
    if (this.#omitted === 0) return this.#problems;
    return [...this.#problems, { path: "", message: `… and ${this.#omitted} more problems` }];
  }

  /** True when a problem was found. */
  get failed(): boolean {
    return this.#problems.length > 0;
  }

  /** Records a problem. */
  fail(path: string, message: string): void {
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push({ path, message });
    else this.#omitted++;
  }

  /** Takes over the problems of another checker (one alert's, one component's). */
  absorb(other: Checker): void {
    for (const p of other.#problems) this.fail(p.path, p.message);
    this.#omitted += other.#omitted;
  }

  /** Records `expected …, got …`. */
  expected(path: string, what: string, value: unknown): void {
    this.fail(path, `expected ${what}, got ${describe(value)}`);
  }

  /** A required non-empty string; `what` says what it should be. */
  reqString(obj: JsonObject, key: string, path: string, what: string): string | undefined {
    const v = obj[key];
    if (typeof v === "string" && v !== "") return v;
    this.expected(at(path, key), what, v);
    return undefined;
  }

  /** An optional string (null counts as absent). */
  optString(obj: JsonObject, key: string, path: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    this.expected(at(path, key), "a string", v);
    return undefined;
  }

  /** An optional boolean (null counts as absent). */
  optBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    this.expected(at(path, key), "true or false", v);
    return undefined;
  }

  /** An optional array of strings (null counts as absent). */
  optStrings(obj: JsonObject, key: string, path: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.expected(at(path, key), "an array of strings", v);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item === "string") out.push(item);
      else this.expected(at(at(path, key), i), "a string", item);
    });
    return out;
  }
}

/**
 * For the quick reads of well-formed input: null and absent read as
 * `fallback`, a string as itself, anything else as undefined (not well-formed).
 */
export function quickString(value: unknown, fallback: string): string | undefined {
  return value === undefined || value === null
    ? fallback
    : typeof value === "string"
    ? value
    : undefined;
}

/** Edit distance between two short strings (for did-you-mean suggestions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j] + 1,
        cur[j - 1] + 1,
        prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest known word, when it is close enough to be a likely typo. */
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Warns about keys of `obj` that are not in `known`, suggesting the closest known key. */
export function unknownKeys(
  obj: JsonObject,
  known: readonly string[],
  path: string,
  warnings: string[],
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const close = suggest(key, known);
    warnings.push(
      `${at(path, key)}: unknown key ignored${close ? `; did you mean "${close}"?` : ""}`,
    );
  }
}

/**
 * Parses JSON text, turning a syntax error into a problem with the line and
 * column of the error. A leading byte order mark is ignored.
 */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    if (body.trim() === "") {
      return { ok: false, problem: { path: "", message: "expected JSON, got an empty text" } };
    }
    return { ok: false, problem: { path: "", message: `not valid JSON: ${locate(body)}` } };
  }
}

/** Where and why JSON text is invalid: `line L, column C: unexpected …`. Quotes one character at most. */
function locate(text: string): string {
  const offset = syntaxErrorOffset(text);
  const before = text.slice(0, offset).split("\n");
  const where = `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  if (offset >= text.length) return `${where}: unexpected end of input (truncated?)`;
  const char = text.codePointAt(offset)!;
  const shown = char > 0x20 && char < 0x7f
    ? `'${String.fromCodePoint(char)}'`
    : `U+${char.toString(16).toUpperCase().padStart(4, "0")}`;
  return `${where}: unexpected character ${shown}`;
}

/**
 * The offset of the first JSON syntax error in `text` (its length when the
 * text ends too early). Iterative, so deep nesting cannot overflow the stack.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const literal = (): boolean => {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text.charCodeAt(i) < 0x20) return false;
        if (text[i] === "\\") {
          i++;
          if (text[i] === "u") {
            if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
            i += 4;
          } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) return false;
        }
        i++;
      }
      if (i >= text.length) return false;
      i++;
      return true;
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  // Each stack entry is the closing character of an open container.
  const stack: string[] = [];
  let expectValue = true;
  ws();
  while (i < text.length) {
    if (expectValue) {
      if (text[i] === "{" || text[i] === "[") {
        stack.push(text[i] === "{" ? "}" : "]");
        i++;
        ws();
        if (text[i] === stack[stack.length - 1]) {
          stack.pop();
          i++;
          expectValue = false;
        } else if (stack[stack.length - 1] === "}") {
          if (text[i] !== '"' || !literal()) return Math.min(i, text.length);
          ws();
          if (text[i] !== ":") return i;
          i++;
        }
      } else if (!literal()) return Math.min(i, text.length);
      else expectValue = false;
      ws();
      continue;
    }
    const close = stack[stack.length - 1];
    if (close === undefined) return i; // content after the document
    if (text[i] === close) {
      stack.pop();
      i++;
    } else if (text[i] === ",") {
      i++;
      ws();
      if (close === "}") {
        if (text[i] !== '"' || !literal()) return Math.min(i, text.length);
        ws();
        if (text[i] !== ":") return i;
        i++;
      }
      expectValue = true;
    } else return i;
    ws();
  }
  return text.length;
}
