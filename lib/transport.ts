/**
 * The one place for HTTP: JSON POSTs (and GETs) with a per-request timeout,
 * retries with exponential backoff and jitter, `Retry-After` on 429,
 * proactive pacing per destination and bounded concurrency. `fetch`, the
 * clock, sleep and randomness are injectable, so tests run in virtual time.
 *
 * @module
 */

/** The reason of the outcome of a request dropped by its `skip` check. */
export const SKIPPED = "skipped";

/** Sleeps `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

/** Options of a {@link Transport}; every field has a default. */
export interface TransportOptions {
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
  /** Clock in milliseconds; default `performance.now` (monotonic, finer than a millisecond). */
  now?: () => number;
  /** Sleep used for pacing, backoff and `Retry-After`; default a timer. */
  sleep?: Sleep;
  /** Randomness for jitter, in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Per-request timeout in ms (real time); default 10 000. */
  timeoutMs?: number;
  /** Attempts per message for failures worth retrying; default 3. */
  maxAttempts?: number;
  /** First backoff delay in ms, doubled each retry, plus up to half of it as jitter; default 500. */
  backoffMs?: number;
  /** `Retry-After` longer than this gives up; default 60 000. */
  maxRetryAfterMs?: number;
  /** How many 429 answers one message may wait out; default 10. */
  maxRateLimitWaits?: number;
  /** Minimum spacing between posts to one destination, from the end of the previous one; default 1000. */
  minIntervalMs?: number;
  /** Requests in flight at the same time, across destinations; default 4. */
  concurrency?: number;
  /** Debug log (never given a secret). */
  debug?: (line: string) => void;
}

/** An HTTP answer, read in full. */
export interface HttpAnswer {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Body text. */
  body: string;
}

/** What a caller makes of an answer: a final value, or a reason to try again. */
export type Verdict<T> =
  | { done: T }
  | { retry: string; retryAfterMs?: number }
  | { fail: string; hint: string };

/** The outcome of a {@link Transport.request}. */
export type Outcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; reason: string; attempts: number; status?: number; hint: string };

/** One request: where, how, and what counts as a value. */
export interface RequestSpec<T> {
  /**
   * Pacing key: a channel, a webhook, or `""` for no pacing. A function is
   * asked again on every attempt (a channel's key can change once its ID is known).
   */
  key: string | (() => string);
  /** Label for the debug log (never the URL: it may be a secret). */
  label: string;
  /** The service's name in hints; default `Slack`. */
  service?: string;
  /** Full URL. */
  url: string;
  /** Method; default POST. */
  method?: "GET" | "POST";
  /** Request headers. */
  headers?: Record<string, string>;
  /** JSON-encoded body for POST. */
  body?: string;
  /** Interprets an answer. */
  interpret: (answer: HttpAnswer) => Verdict<T>;
  /**
   * Asked once the request has its slot, just before sending: true drops it
   * (the run stopped meanwhile, e.g. on an auth error); the outcome's reason is {@link SKIPPED}.
   */
  skip?: () => boolean;
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The message of a Deno permission error anywhere in the cause chain; it names the host, never the URL. */
function permissionError(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "NotCapable" || e.name === "PermissionDenied") return e.message;
  }
  return undefined;
}

/** A name for a network failure that never includes the URL (fetch errors often do). */
function networkReason(err: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return `network error (${code})`;
    current = (current as { cause?: unknown }).cause;
  }
  const name = err instanceof Error ? err.name : "";
  return name && name !== "Error" && name !== "TypeError"
    ? `network error (${name})`
    : "network error";
}

/**
 * Sends requests for a run. Holds the pacing state per destination, so one
 * transport should serve a whole run.
 */
export class Transport {
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #maxRateLimitWaits: number;
  readonly #minIntervalMs: number;
  readonly #debug: (line: string) => void;
  /** Per pacing key: the end of the previous request's queue turn. */
  readonly #queues = new Map<string, Promise<void>>();
  /** Requests in flight. */
  #inFlight = 0;
  /** Requests waiting for a slot, first come first served. */
  readonly #waiting: Array<() => void> = [];
  /** Keys that are another key's destination (a channel's name, once its ID is known). */
  readonly #aliases = new Map<string, string>();
  /** Per pacing key: earliest time the next request may start. */
  readonly #notBefore = new Map<string, number>();
  /** Requests in flight at the same time, across destinations. */
  readonly concurrency: number;

  /** Creates a transport; see {@link TransportOptions} for the defaults. */
  constructor(options: TransportOptions = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.#maxRateLimitWaits = options.maxRateLimitWaits ?? 10;
    this.#minIntervalMs = options.minIntervalMs ?? 1000;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.#debug = options.debug ?? (() => {});
  }

  /** Now, on the transport's clock. */
  now(): number {
    return this.#now();
  }

  /**
   * Sends one request, retrying what is worth retrying. Requests with the
   * same pacing key go one at a time, at least `minIntervalMs` apart.
   */
  async request<T>(spec: RequestSpec<T>): Promise<Outcome<T>> {
    let attempts = 0;
    let failures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      attempts++;
      const key = typeof spec.key === "function" ? spec.key() : spec.key;
      const result = await this.#paced(key, () => this.#inSlot(spec));
      if ("done" in result) return { ok: true, value: result.done, attempts };
      if ("fail" in result) {
        const skipped = result.fail === SKIPPED;
        return {
          ok: false,
          reason: result.fail,
          hint: result.hint,
          attempts: attempts - (skipped ? 1 : 0),
        };
      }
      if (result.retryAfterMs !== undefined) {
        rateLimitWaits++;
        if (result.retryAfterMs > this.#maxRetryAfterMs) {
          const seconds = Math.round(result.retryAfterMs / 1000);
          return {
            ok: false,
            reason: "ratelimited",
            status: 429,
            attempts,
            hint: `${spec.service ?? "Slack"} asked to wait ${seconds} s, over the ${
              this.#maxRetryAfterMs / 1000
            } s limit: try again later`,
          };
        }
        if (rateLimitWaits > this.#maxRateLimitWaits) {
          return {
            ok: false,
            reason: "ratelimited",
            status: 429,
            attempts,
            hint: `still rate limited after ${this.#maxRateLimitWaits} waits: try again later`,
          };
        }
        this.#debug(`${spec.label}: rate limited, waiting ${result.retryAfterMs} ms (Retry-After)`);
        // A paced key waits in its queue (holding back its other posts too); an unpaced call waits here.
        if (key === "") await this.#sleep(result.retryAfterMs);
        else this.#holdOff(this.#canonical(key), result.retryAfterMs);
        continue;
      }
      failures++;
      if (failures >= this.#maxAttempts) {
        return {
          ok: false,
          reason: result.retry,
          attempts,
          status: statusOf(result.retry),
          hint: failureHint(result.retry, spec.service ?? "Slack"),
        };
      }
      const base = this.#backoffMs * 2 ** (failures - 1);
      const delay = Math.round(base + this.#random() * base / 2);
      this.#debug(
        `${spec.label}: ${result.retry}; retrying in ${delay} ms (attempt ${attempts + 1})`,
      );
      if (result.retry.startsWith("timeout")) {
        this.#debug(
          `${spec.label}: a retry after a timeout may post twice if the first request did arrive`,
        );
      }
      await this.#sleep(delay);
    }
  }

  /** Runs `task` in the key's queue, after the key's interval has passed. */
  async #paced<R>(key: string, task: () => Promise<R>): Promise<R> {
    if (key === "") return task();
    for (;;) {
      const k = this.#canonical(key);
      const previous = this.#queues.get(k) ?? Promise.resolve();
      let release!: () => void;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const queued = previous.then(() => turn);
      this.#queues.set(k, queued);
      await previous;
      const done = () => {
        release();
        if (this.#queues.get(k) === queued) this.#queues.delete(k);
      };
      if (this.#canonical(key) !== k) {
        // The key was linked to another while this waited: queue again behind that destination.
        done();
        continue;
      }
      try {
        // A loop, not one sleep: timers may fire a little early, and Slack counts to the millisecond.
        for (let wait = this.#waitFor(k); wait > 0; wait = this.#waitFor(k)) {
          await this.#sleep(wait);
        }
        return await task();
      } finally {
        // Spacing counts from the end of the request, so arrivals at Slack are spaced too; the
        // request may have linked its key to the channel's ID meanwhile, so hold that back as well.
        this.#holdOff(k, this.#minIntervalMs);
        this.#holdOff(this.#canonical(k), this.#minIntervalMs);
        done();
      }
    }
  }

  #canonical(key: string): string {
    for (let next = this.#aliases.get(key); next !== undefined; next = this.#aliases.get(key)) {
      key = next;
    }
    return key;
  }

  #waitFor(key: string): number {
    return (this.#notBefore.get(key) ?? 0) - this.#now();
  }

  #holdOff(key: string, ms: number): void {
    this.#notBefore.set(key, Math.max(this.#notBefore.get(key) ?? 0, this.#now() + ms));
  }

  /**
   * Says that two keys are one destination (a channel's name and its ID):
   * `to` inherits the pacing state of `from`, so the next post to either waits its turn.
   */
  link(from: string, to: string): void {
    const a = this.#canonical(from);
    const b = this.#canonical(to);
    if (a === b) return;
    this.#aliases.set(a, b);
    const held = this.#notBefore.get(a);
    if (held !== undefined) this.#holdOff(b, held - this.#now());
  }

  async #attempt<T>(spec: RequestSpec<T>): Promise<Verdict<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      const response = await this.#fetch(spec.url, {
        method: spec.method ?? "POST",
        headers: spec.headers,
        body: spec.body,
        signal: controller.signal,
        // A redirect would re-post the message to another origin: never follow one.
        redirect: "manual",
      });
      const body = await response.text();
      if ((response.status >= 300 && response.status < 400) || response.type === "opaqueredirect") {
        return {
          fail: `http_${response.status || 302}`,
          hint: `${
            spec.service ?? "Slack"
          } answered with a redirect, which is not followed: check the URL it was sent to`,
        };
      }
      const answer = { status: response.status, headers: response.headers, body };
      if (response.status === 429) {
        return {
          retry: "ratelimited",
          retryAfterMs: retryAfterMs(response.headers.get("retry-after"), this.#now()) ?? 1000,
        };
      }
      return spec.interpret(answer);
    } catch (err) {
      if (controller.signal.aborted) {
        return { retry: `timeout (no answer within ${this.#timeoutMs / 1000} s)` };
      }
      // Deno without --allow-net for this host: retrying cannot help, and its message names only the host.
      const denied = permissionError(err);
      if (denied) {
        return {
          fail: "permission denied",
          hint: `${denied} (Deno needs --allow-net for that host; see the README)`,
        };
      }
      return { retry: networkReason(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `lanes` (one per destination) side by side; each lane runs its own
   * steps in order. Resolves when every lane is done.
   */
  async runLanes(lanes: Array<() => Promise<void>>): Promise<void> {
    // Every lane runs at once; the request slots keep at most `concurrency` requests in flight, and a
    // lane that waits out its pacing holds no slot, so eight channels at 1/s each take 1 s a round.
    await Promise.all(lanes.map((lane) => lane()));
  }

  /** Sends one attempt in a request slot, unless the caller no longer wants it by then. */
  async #inSlot<T>(spec: RequestSpec<T>): Promise<Verdict<T>> {
    if (this.#inFlight < this.concurrency) this.#inFlight++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      if (spec.skip?.()) return { fail: SKIPPED, hint: "" };
      return await this.#attempt(spec);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // the slot passes on as it is
      else this.#inFlight--;
    }
  }
}

function statusOf(reason: string): number | undefined {
  const m = /^HTTP (\d{3})/.exec(reason);
  return m ? Number(m[1]) : undefined;
}

/** The hint for a failure that retries did not cure. */
function failureHint(reason: string, service: string): string {
  if (reason.startsWith("timeout")) {
    return `${service} did not answer in time: check the network, or raise --timeout`;
  }
  if (reason.startsWith("network error")) {
    return `could not reach ${service}: check the network, proxy and firewall`;
  }
  return service === "Slack"
    ? "Slack is failing: try again later (https://slack-status.com)"
    : `${service} is failing: try again later`;
}
