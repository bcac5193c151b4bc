import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { caseNames, FIXTURES, readExpected, runCase } from "./support/golden.ts";

interface DryRunMessage {
  kind: string;
  part: number;
  parts: number;
  blocks: number;
  payload: { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
}

const names = await caseNames();

describe("golden fixtures (update with `deno task golden`)", () => {
  for (const name of names) {
    it(`${name}: the CLI output equals fixtures/${name}/expected.json`, async () => {
      assert.deepEqual(await runCase(name), await readExpected(name));
    });
  }
});

describe("python parity", () => {
  it("the diff message equals, byte for byte, the blocks the Python CLI 2.6.6 posts", async () => {
    const python = JSON.parse(
      await readFile(
        join(FIXTURES, "samples/socketcli-report.python-cli-2.6.6-blocks.json"),
        "utf8",
      ),
    );
    const result = await runCase("python-parity");
    const { messages } = result.stdout as { messages: DryRunMessage[] };
    assert.equal(messages.length, 1);
    assert.equal(JSON.stringify(messages[0].payload.blocks), JSON.stringify(python.blocks));
  });
});

describe("facts samples", () => {
  const samples = ["go-dvwa", "java-northwind", "nodegoat-js", "python-dvpwa", "excerpt"];
  for (const sample of samples) {
    it(`facts-${sample}: the summary counts add up to every vulnerability, and shown + not shown too`, async () => {
      const file = sample === "excerpt"
        ? "facts-excerpt-all-reachability-types.json"
        : `${sample}.socket.facts.json`;
      const raw = JSON.parse(await readFile(join(FIXTURES, "samples", file), "utf8"));
      const components = raw.components ??
        Object.values(raw.cases).flat().map((c) => (c as { component: unknown }).component);
      const vulnerabilities = components.reduce(
        (n: number, c: { vulnerabilities?: unknown[] }) => n + (c.vulnerabilities?.length ?? 0),
        0,
      );
      const { messages } = (await runCase(`facts-${sample}`)).stdout as {
        messages: DryRunMessage[];
      };
      const texts = messages.flatMap((m) => m.payload.blocks.map((b) => b.text?.text ?? ""));
      const summary = texts.find((t) => t.startsWith("🔴 Critical:"))!;
      const counts = [...summary.split("\n")[0].matchAll(/: (\d+)/g)].map((m) => Number(m[1]));
      assert.equal(counts.reduce((a, b) => a + b, 0), vulnerabilities);
      const shown = texts.filter((t) => t.startsWith("*Package:*")).length;
      const notShown = Number(/(\d+) findings not shown/.exec(texts.join("\n"))?.[1] ?? 0);
      assert.equal(shown + notShown, vulnerabilities);
      for (const m of messages) assert.ok(m.blocks <= 50 && m.payload.blocks.length === m.blocks);
    });
  }
});
