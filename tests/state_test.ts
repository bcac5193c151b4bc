import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { JsonFileStore, MemoryStore } from "../lib/state.ts";
import { storeContract } from "./support/store_contract.ts";

const dir = await mkdtemp(join(tmpdir(), "slack-notify-state-"));
let files = 0;

storeContract("MemoryStore", () => Promise.resolve(new MemoryStore()));
storeContract("JsonFileStore", () => JsonFileStore.open(join(dir, `state-${files++}.json`)));

describe("expiry and files", () => {
  after(() => rm(dir, { recursive: true }));

  it("forgets an entry once it expires", async () => {
    let now = 1000;
    const store = new MemoryStore(() => now);
    await store.set([{ key: ["seen", "x"], value: { action: "warn" }, expireInMs: 500 }]);
    now = 1499;
    assert.deepEqual(await store.get(["seen", "x"]), { action: "warn" });
    now = 1500;
    assert.equal(await store.get(["seen", "x"]), undefined);
  });

  it("keeps the state across runs in its file, expiry included", async () => {
    const path = join(dir, "kept.json");
    const first = await JsonFileStore.open(path, () => 0);
    await first.set([{ key: ["cursor", "acme", "web", "main"], value: { scan: "s9" } }, {
      key: ["seen", "a"],
      value: { action: "error" },
      expireInMs: 10,
    }]);
    const second = await JsonFileStore.open(path, () => 5);
    assert.deepEqual(await second.get(["cursor", "acme", "web", "main"]), { scan: "s9" });
    assert.deepEqual(await second.get(["seen", "a"]), { action: "error" });
    const later = await JsonFileStore.open(path, () => 10);
    assert.equal(await later.get(["seen", "a"]), undefined);
    assert.equal(JSON.parse(await readFile(path, "utf8")).version, 1);
  });

  it("refuses a file that is not a state file, saying what to do", async () => {
    const path = join(dir, "bad.json");
    await writeFile(path, "[1, 2");
    await assert.rejects(JsonFileStore.open(path), /not valid JSON: move it aside/);
    await writeFile(path, "[1, 2]");
    await assert.rejects(JsonFileStore.open(path), /not a slack-notify state file/);
  });
});
