/**
 * The behaviour every state store must have, as tests any store's test file
 * can register: the in-memory and JSON-file stores here, Deno KV's in
 * `tests/deploy_test.ts`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StateStore } from "../../lib/state.ts";

/** Registers the contract tests for a store made by `open` (a fresh, empty store each time). */
export function storeContract(name: string, open: () => Promise<StateStore>): void {
  describe(`${name}: the state store contract`, () => {
    it("answers undefined for a key never set", async () => {
      const store = await open();
      assert.equal(await store.get(["cursor", "acme", "web", "main"]), undefined);
    });

    it("gives back what was set, as a copy", async () => {
      const store = await open();
      await store.set([{
        key: ["cursor", "acme", "web", "main"],
        value: { scan: "s1", at: [1, 2] },
      }]);
      const value = await store.get(["cursor", "acme", "web", "main"]) as {
        scan: string;
        at: number[];
      };
      assert.deepEqual(value, { scan: "s1", at: [1, 2] });
      value.at.push(3);
      assert.deepEqual(await store.get(["cursor", "acme", "web", "main"]), {
        scan: "s1",
        at: [1, 2],
      });
    });

    it("reads many keys at once, in order, past ten keys", async () => {
      const store = await open();
      const keys = Array.from({ length: 23 }, (_, i) => ["seen", "acme", "web", `a${i}`, "k"]);
      await store.set(
        keys.filter((_, i) => i % 2 === 0).map((key, i) => ({ key, value: { n: i } })),
      );
      const values = await store.getMany(keys);
      assert.equal(values.length, 23);
      assert.deepEqual(values.slice(0, 4), [{ n: 0 }, undefined, { n: 1 }, undefined]);
    });

    it("writes a set of more entries than one Deno KV commit holds", async () => {
      const store = await open();
      const entries = Array.from({ length: 2500 }, (_, i) => ({
        key: ["seen", "acme", "web", `artifact-${i}`, `alert-${i}`],
        value: { action: i % 3 ? "warn" : "error" },
        expireInMs: 3_600_000,
      }));
      await store.set(entries);
      const last = await store.getMany(entries.slice(-3).map((e) => e.key));
      assert.deepEqual(last, entries.slice(-3).map((e) => e.value));
    });

    it("overwrites a key", async () => {
      const store = await open();
      await store.set([{ key: ["k"], value: 1 }]);
      await store.set([{ key: ["k"], value: 2 }]);
      assert.equal(await store.get(["k"]), 2);
    });
  });
}
