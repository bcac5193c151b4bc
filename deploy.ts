/**
 * Unattended mode on Deno Deploy: a `Deno.cron` job that watches
 * repositories on Socket and posts each new alert to Slack once, keeping its
 * state in Deno KV. Deno only (the npm package leaves it out).
 *
 * Environment variables:
 * - `SOCKET_ORG`, `SOCKET_REPOS` (comma-separated), `SOCKET_BRANCH` (optional, default each
 *   repository's default branch), `SOCKET_WATCH_SCHEDULE` (optional cron, default every 15 minutes);
 * - `SOCKET_SECURITY_API_TOKEN` (or `SOCKET_API_TOKEN`), `SOCKET_API_URL` (optional);
 * - `SOCKET_SLACK_CONFIG_JSON`, `SOCKET_SLACK_BOT_TOKEN`, `SOCKET_SLACK_API_URL`: as for the CLI.
 *
 * @example Deploy it
 * ```sh
 * deployctl deploy --project=socket-watch --entrypoint=deploy.ts
 * ```
 *
 * @module
 */

import type { StateEntry, StateKey, StateStore } from "./lib/state.ts";
import { watch, type WatchReport } from "./lib/watch.ts";

/** Deno KV's limits, which every write keeps under. */
export const KV_LIMITS = {
  keysPerGetMany: 10,
  mutationsPerCommit: 1000,
  bytesPerCommit: 800_000,
  bytesPerValue: 65_536,
};

/** Rough size of a KV mutation: its key and its value as JSON. */
function sizeOf(entry: StateEntry): number {
  return JSON.stringify(entry.key).length + JSON.stringify(entry.value ?? null).length + 16;
}

/**
 * A {@link StateStore} in Deno KV, under a key prefix. Sets larger than one
 * atomic commit allows are split into several commits, in order: unattended
 * mode writes the notified alerts before the cursor, so a split write can at
 * worst make the next run read a scan again, never skip one.
 */
export class KvStore implements StateStore {
  readonly #kv: Deno.Kv;
  readonly #prefix: string[];

  /** Wraps an open KV database; keys go under `prefix`. */
  constructor(kv: Deno.Kv, prefix: string[] = ["slack-notify"]) {
    this.#kv = kv;
    this.#prefix = prefix;
  }

  /** The value at `key`, or undefined. */
  async get(key: StateKey): Promise<unknown> {
    return (await this.#kv.get([...this.#prefix, ...key])).value ?? undefined;
  }

  /** The values at `keys`, ten keys a call as KV allows. */
  async getMany(keys: readonly StateKey[]): Promise<unknown[]> {
    const values: unknown[] = [];
    for (let i = 0; i < keys.length; i += KV_LIMITS.keysPerGetMany) {
      const batch = keys.slice(i, i + KV_LIMITS.keysPerGetMany).map((k) => [...this.#prefix, ...k]);
      for (const entry of await this.#kv.getMany(batch)) values.push(entry.value ?? undefined);
    }
    return values;
  }

  /** Writes the entries atomically, in as few commits as KV's limits allow. */
  async set(entries: readonly StateEntry[]): Promise<void> {
    let batch: StateEntry[] = [];
    let bytes = 0;
    const commit = async () => {
      if (batch.length === 0) return;
      const op = this.#kv.atomic();
      for (const e of batch) {
        op.set(
          [...this.#prefix, ...e.key],
          e.value,
          e.expireInMs === undefined ? undefined : { expireIn: e.expireInMs },
        );
      }
      const result = await op.commit();
      if (!result.ok) throw new Error("Deno KV refused an atomic write: try the run again");
      batch = [];
      bytes = 0;
    };
    for (const entry of entries) {
      const size = sizeOf(entry);
      if (size > KV_LIMITS.bytesPerValue) {
        throw new Error(`A state value of ${size} bytes is over Deno KV's limit of 64 KiB`);
      }
      if (
        batch.length + 1 > KV_LIMITS.mutationsPerCommit || bytes + size > KV_LIMITS.bytesPerCommit
      ) await commit();
      batch.push(entry);
      bytes += size;
    }
    await commit();
  }
}

/** Reads an environment variable. */
export type Env = (name: string) => string | undefined;

/** One pass of the job: watch the configured repositories, with state in `kv`. */
export async function runOnce(
  kv: Deno.Kv,
  env: Env,
  extra: { fetch?: typeof fetch } = {},
): Promise<WatchReport> {
  const org = env("SOCKET_ORG");
  const repos = (env("SOCKET_REPOS") ?? "").split(",").map((r) => r.trim()).filter(Boolean);
  const apiToken = env("SOCKET_SECURITY_API_TOKEN") || env("SOCKET_API_TOKEN");
  const config = env("SOCKET_SLACK_CONFIG_JSON");
  if (!org || repos.length === 0 || !apiToken || !config) {
    throw new Error(
      "Set SOCKET_ORG, SOCKET_REPOS, SOCKET_SECURITY_API_TOKEN and SOCKET_SLACK_CONFIG_JSON in the project's environment",
    );
  }
  return await watch({
    org,
    repos,
    branch: env("SOCKET_BRANCH") || undefined,
    state: new KvStore(kv),
    apiToken,
    socketApiUrl: env("SOCKET_API_URL") || undefined,
    config,
    botToken: env("SOCKET_SLACK_BOT_TOKEN"),
    apiUrl: env("SOCKET_SLACK_API_URL") || undefined,
    fetch: extra.fetch,
  });
}

if (import.meta.main) {
  const kv = await Deno.openKv();
  const env: Env = (name) => Deno.env.get(name);
  Deno.cron(
    "socket-slack-notify-watch",
    env("SOCKET_WATCH_SCHEDULE") || "*/15 * * * *",
    async () => {
      const report = await runOnce(kv, env);
      for (const r of report.repos) {
        const scans = r.scans.map((s) => `${s.scan} ${s.status} (${s.alerts})`).join(", ") ||
          "no new scan";
        console.log(`${r.repo}: ${r.error ?? scans}`);
      }
    },
  );
}
