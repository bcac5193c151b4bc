/**
 * A virtual clock for transport tests: `sleep` resolves in order of wake-up
 * time, one timer per macrotask, so time advances only when every task is
 * waiting; no test sleeps for real.
 *
 * @module
 */

/** A virtual clock with `now` and `sleep` to inject. */
export class VirtualClock {
  #now = 0;
  #timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  #seq = 0;
  #ticking = false;

  /** Milliseconds since the clock started. */
  now = (): number => this.#now;

  /** Resolves once the clock has advanced by `ms`. */
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.#now + Math.max(0, ms), seq: this.#seq++, resolve });
      this.#schedule();
    });

  #schedule(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    // A macrotask: by then every promise chain that can run has run.
    setTimeout(() => {
      this.#ticking = false;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers.shift();
      if (!next) return;
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      if (this.#timers.length) this.#schedule();
    }, 0);
  }
}
