/**
 * Three assertions for scripts (the JSR registry, home of `@std/assert`, is
 * out of reach; `node:assert` works too but its messages are noisier here).
 *
 * @module
 */

/** Throws when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** Throws when `actual` and `expected` differ (compared as JSON). */
export function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `assertion failed: ${message}\n  actual:   ${JSON.stringify(actual)}\n  expected: ${
        JSON.stringify(expected)
      }`,
    );
  }
}

/** Throws when `text` does not match `pattern`. */
export function assertMatch(text: string, pattern: RegExp): void {
  if (!pattern.test(text)) {
    throw new Error(
      `assertion failed: ${JSON.stringify(text.slice(0, 200))} does not match ${pattern}`,
    );
  }
}
