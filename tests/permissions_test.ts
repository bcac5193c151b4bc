import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import process from "node:process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FAST, HOOKS, workspace } from "./support/slack.ts";

const isDeno = "Deno" in globalThis;
const cli = new URL("../cli.ts", import.meta.url).pathname;
const report = new URL("../fixtures/samples/socketcli-report.json", import.meta.url).pathname;

/** The permissions of the README's least-privilege command, so the test runs exactly what users copy. */
async function readmePermissions(): Promise<{ env: string; read: string[]; net: string }> {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const block = readme.split("<!-- least-privilege -->")[1].split("```")[1];
  const flag = (name: string) => new RegExp(`--allow-${name}=(\\S+)`).exec(block)![1];
  return { env: flag("env"), read: flag("read").split(","), net: flag("net") };
}

const ENV_VARS = (await readmePermissions()).env.split(",");

function deno(
  flags: string[],
  env: Record<string, string>,
  args = ["--report", report],
  cwd?: string,
) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["run", "--no-prompt", ...flags, cli, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env },
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

// Permissions are Deno's: under Node (the npm build's test run) there is nothing to test.
describe("least privilege on Deno", { skip: !isDeno }, () => {
  it("works with exactly the README's permissions (the emulator's host standing in for Slack's)", async () => {
    const { env, read, net } = await readmePermissions();
    assert.equal(net, "slack.com,hooks.slack.com");
    assert.deepEqual(read, ["socket-report.json", ".socket.facts.json"]);
    const dir = await mkdtemp(join(tmpdir(), "slack-notify-perms-"));
    const emu = await workspace({ rateLimitMs: 0 });
    try {
      await copyFile(report, join(dir, read[0]));
      await copyFile(
        new URL("../fixtures/samples/go-dvwa.socket.facts.json", import.meta.url),
        join(dir, read[1]),
      );
      const config = JSON.stringify({ url: emu.webhookUrl(HOOKS.live) });
      const { code, stderr } = await deno(
        [
          `--allow-read=${read.join(",")}`,
          `--allow-env=${env}`,
          `--allow-net=${new URL(emu.url).host}`,
        ],
        {
          SOCKET_SLACK_CONFIG_JSON: config,
          GITHUB_REPOSITORY: "acme/web",
          GITHUB_REF: "refs/pull/3/merge",
        },
        ["--report", read[0], "--facts", read[1]],
        dir,
      );
      assert.equal(code, 0, stderr);
      assert.equal(emu.posted.length, 3, "reachability in two parts, then the diff");
      assert.match(emu.posted[2].text!, /for PR 3/, "the CI context is readable");
    } finally {
      await emu.close();
      await rm(dir, { recursive: true });
    }
  });

  it("a missing permission is a clear message, not a stack trace", async () => {
    const config = JSON.stringify({ url: "http://127.0.0.1:9/services/T/B/X" });
    const noRead = await deno([`--allow-env=${ENV_VARS.join(",")}`], {
      SOCKET_SLACK_CONFIG_JSON: config,
    });
    assert.equal(noRead.code, 2);
    assert.match(
      noRead.stderr,
      /Cannot read the Socket report .*: permission denied: Requires read access/,
    );
    const noEnv = await deno([`--allow-read=${report}`], { SOCKET_SLACK_CONFIG_JSON: config });
    assert.equal(noEnv.code, 2);
    assert.match(
      noEnv.stderr,
      /Cannot read the environment variable SOCKET_SLACK_CONFIG_JSON: .*--allow-env=/,
    );
    const emu = await workspace();
    try {
      const hook = JSON.stringify({ url: emu.webhookUrl(HOOKS.live) });
      const noNet = await deno([`--allow-read=${report}`, `--allow-env=${ENV_VARS.join(",")}`], {
        SOCKET_SLACK_CONFIG_JSON: hook,
      });
      assert.equal(noNet.code, 1);
      assert.match(noNet.stderr, /permission denied: Requires net access to "127\.0\.0\.1:\d+"/);
      assert.equal(emu.requests.length, 0);
      for (const out of [noRead, noEnv, noNet]) {
        assert.ok(!/^\s+at .*:\d+:\d+\)?$/m.test(out.stderr), out.stderr);
      }
    } finally {
      await emu.close();
    }
  });
});

// FAST is imported so this file shares the workspace helper's settings; pacing is irrelevant here.
void FAST;
