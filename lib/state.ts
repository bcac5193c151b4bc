/**
 * Where unattended mode remembers what it has already notified: a small
 * key-value interface shaped after Deno KV (array keys, expiry, atomic
 * writes), with an in-memory store for tests and a JSON-file store for the
 * CLI. The Deno KV store lives in `deploy.ts`, outside the runtime-neutral library.
 *
 * @module
 */

import { readFile, rename, writeFile } from "node:fs/promises";
import process from "node:process";

/** A key: parts, as Deno KV has them (`["seen", org, repo, artifact, alert]`). */
export type StateKey = readonly string[];

/** One write of an atomic set. */
export interface StateEntry {
  /** The key. */
  key: StateKey;
  /** A JSON value. */
  value: unknown;
  /** Forget the entry after this many milliseconds. */
  expireInMs?: number;
}

/** What unattended mode needs from a store. */
export interface StateStore {
  /** The value at `key`, or undefined. */
  get(key: StateKey): Promise<unknown>;
  /** The values at `keys`, in order (undefined where absent). */
  getMany(keys: readonly StateKey[]): Promise<unknown[]>;
  /** Writes every entry, all or none. */
  set(entries: readonly StateEntry[]): Promise<void>;
}

function keyString(key: StateKey): string {
  return JSON.stringify(key);
}

/** An entry as a store keeps it. */
export interface StoredEntry {
  /** The JSON value. */
  value: unknown;
  /** When it expires, in the store's clock (ms). */
  expiresAt?: number;
}

/** A store in memory: for tests, and for one-off runs. */
export class MemoryStore implements StateStore {
  /** The entries, by key. */
  protected readonly entries: Map<string, StoredEntry> = new Map();
  readonly #now: () => number;

  /** Creates an empty store; `now` is the clock expiry is measured on. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The value at `key`, or undefined. */
  get(key: StateKey): Promise<unknown> {
    return Promise.resolve(this.#read(keyString(key)));
  }

  /** The values at `keys`. */
  getMany(keys: readonly StateKey[]): Promise<unknown[]> {
    return Promise.resolve(keys.map((k) => this.#read(keyString(k))));
  }

  /** Writes every entry (a map update cannot fail halfway). */
  set(entries: readonly StateEntry[]): Promise<void> {
    const now = this.#now();
    // Expired entries go on every write, so a long-lived state file does not grow without end.
    for (const [key, stored] of this.entries) {
      if (stored.expiresAt !== undefined && stored.expiresAt <= now) this.entries.delete(key);
    }
    for (const e of entries) {
      this.entries.set(keyString(e.key), {
        value: structuredClone(e.value),
        ...(e.expireInMs === undefined ? {} : { expiresAt: now + e.expireInMs }),
      });
    }
    return Promise.resolve();
  }

  #read(key: string): unknown {
    const stored = this.entries.get(key);
    if (!stored) return undefined;
    if (stored.expiresAt !== undefined && stored.expiresAt <= this.#now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(stored.value);
  }
}

/**
 * A store in one JSON file, for the CLI's `watch --state FILE`. Each set
 * rewrites the file through a temporary file and a rename, so the file is
 * always either the old state or the new one.
 */
export class JsonFileStore extends MemoryStore {
  readonly #path: string;

  private constructor(path: string, now: () => number) {
    super(now);
    this.#path = path;
  }

  /** Opens the store at `path`; a missing file is an empty store. */
  static async open(path: string, now: () => number = Date.now): Promise<JsonFileStore> {
    const store = new JsonFileStore(path, now);
    let text: string | undefined;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as { code?: string }).code !== "ENOENT") throw err;
    }
    if (text !== undefined && text.trim() !== "") {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new Error(`The state file ${path} is not valid JSON: move it aside to start afresh`);
      }
      if (
        typeof data !== "object" || data === null ||
        !Array.isArray((data as { entries?: unknown }).entries)
      ) {
        throw new Error(
          `The state file ${path} is not a slack-notify state file: move it aside to start afresh`,
        );
      }
      for (const item of (data as { entries: unknown[] }).entries) {
        if (!Array.isArray(item) || !Array.isArray(item[0])) continue;
        const [key, value, expiresAt] = item;
        store.entries.set(keyString(key), {
          value,
          ...(typeof expiresAt === "number" ? { expiresAt } : {}),
        });
      }
    }
    return store;
  }

  /** Writes every entry, then the whole file atomically. */
  override async set(entries: readonly StateEntry[]): Promise<void> {
    await super.set(entries);
    // One entry a row, `[key, value, expiresAt?]`, the key as its parts: a file a person can read.
    const rows = [...this.entries].map(([key, stored]) => {
      const row: unknown[] = [JSON.parse(key), stored.value];
      if (stored.expiresAt !== undefined) row.push(stored.expiresAt);
      return row;
    });
    const temporary = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: 1, entries: rows }) + "\n");
    await rename(temporary, this.#path);
  }
}
