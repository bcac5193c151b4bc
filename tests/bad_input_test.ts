import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "./support/io.ts";
import type { SlackEmulator } from "../scripts/slack_emulator.ts";
import { HOOKS, workspace } from "./support/slack.ts";

const BAD = new URL("../fixtures/bad/", import.meta.url).pathname;
const GOOD_REPORT = new URL("../fixtures/samples/socketcli-report.json", import.meta.url).pathname;
const cases: Array<{ kind: "report" | "facts" | "config"; file: string; expect: string }> = JSON
  .parse(
    await readFile(join(BAD, "cases.json"), "utf8"),
  );

function cli(args: string[], env: Record<string, string> = {}) {
  return run(args, { env, disk: true });
}

/** Exit 2, the file and the problem named, no stack trace, no secret, nothing sent. */
function assertRejected(
  result: { status: number; stdout: string; stderr: string },
  file: string,
  expect: RegExp,
  emu: SlackEmulator,
): void {
  assert.equal(result.status, 2, result.stderr);
  assert.ok(result.stderr.includes(file), `names ${file}: ${result.stderr}`);
  assert.match(result.stderr, expect);
  assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr), `no stack trace: ${result.stderr}`);
  assert.ok(!/SECRETPATH|HOOKSECRET/.test(result.stderr + result.stdout), "no secret");
  assert.ok(result.stderr.length < 8000, "the message stays readable");
  assert.equal(emu.requests.length, 0, "nothing sent");
}

describe("the bad input corpus (fixtures/bad)", () => {
  let emu: SlackEmulator;
  let hook: string;
  before(async () => {
    emu = await workspace();
    hook = emu.webhookUrl(HOOKS.live);
  });
  after(() => emu.close());

  for (const c of cases) {
    it(`${c.file}: exit 2 naming the file and the problem, nothing sent`, async () => {
      const file = join(BAD, c.file);
      const args = c.kind === "config"
        ? ["--config", file, "--report", GOOD_REPORT]
        : ["--slack-webhook", hook, c.kind === "report" ? "--report" : "--facts", file];
      assertRejected(await cli(args), file, new RegExp(c.expect), emu);
    });
  }

  it("a config in SOCKET_SLACK_CONFIG_JSON is named by its variable", async () => {
    for (const c of cases.filter((c) => c.kind === "config").slice(0, 8)) {
      const text = await readFile(join(BAD, c.file), "utf8");
      const result = await cli(["--report", GOOD_REPORT], { SOCKET_SLACK_CONFIG_JSON: text });
      assertRejected(result, "SOCKET_SLACK_CONFIG_JSON", /SOCKET_SLACK_CONFIG_JSON/, emu);
    }
  });
});

describe("huge and deep inputs, generated at test time", () => {
  let emu: SlackEmulator;
  let dir: string;
  before(async () => {
    emu = await workspace();
    dir = await mkdtemp(join(tmpdir(), "slack-notify-bad-"));
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true });
  });

  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it("a 100 MB report that is wrong everywhere: the first problems and a count of the rest", async () => {
    const unit = '{"type":"malware","severity":9},';
    const path = await file(
      "huge.json",
      `{"new_alerts":[${unit.repeat(Math.ceil(1e8 / unit.length)).slice(0, -1)}]}`,
    );
    const result = await cli(["--slack-webhook", emu.webhookUrl(HOOKS.live), "--report", path]);
    assertRejected(
      result,
      path,
      /new_alerts\[0\]\.severity: expected .*\n(.*\n)*.*… and \d+ more problems/,
      emu,
    );
  });

  it("a 10 MB string where an array belongs is described briefly", async () => {
    const path = await file("string.json", `{"new_alerts":"${"x".repeat(10_000_000)}"}`);
    const result = await cli(["--slack-webhook", emu.webhookUrl(HOOKS.live), "--report", path]);
    assertRejected(result, path, /new_alerts: expected an array of alerts, got "x{40}…"/, emu);
  });

  it("nesting 100,000 levels deep in a report, a facts file and a config", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const report = await file("deep-report.json", `{"new_alerts":${deep}}`);
    const facts = await file("deep-facts.json", `{"components":${deep}}`);
    const config = await file("deep-config.json", `{"url":${deep}}`);
    const hook = emu.webhookUrl(HOOKS.live);
    assertRejected(
      await cli(["--slack-webhook", hook, "--report", report]),
      report,
      /new_alerts\[0\]: expected an alert object/,
      emu,
    );
    assertRejected(
      await cli(["--slack-webhook", hook, "--facts", facts]),
      facts,
      /components\[0\]: expected a component object/,
      emu,
    );
    assertRejected(
      await cli(["--config", config, "--report", GOOD_REPORT]),
      config,
      /url\[0\]: expected a URL or a \{name, url\} object/,
      emu,
    );
  });

  it("accepts a byte order mark before valid JSON (editors on Windows write one)", async () => {
    const path = await file("bom.json", "\ufeff" + await readFile(GOOD_REPORT, "utf8"));
    const result = await cli([
      "--slack-webhook",
      emu.webhookUrl(HOOKS.live),
      "--report",
      path,
      "--dry-run",
    ]);
    assert.equal(result.status, 0);
  });
});
