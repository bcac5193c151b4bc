import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import process from "node:process";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { VERSION } from "../lib/version.ts";
import { rawAlert } from "./support/data.ts";
import { run } from "./support/io.ts";

const TOKEN = "xoxb-111-222-SECRETTOKEN";
const HOOK = "https://hooks.slack.com/services/T0SECRET/B0SECRET/HOOKSECRET";
const REPORT = JSON.stringify({
  new_alerts: [rawAlert()],
  diff_url: "https://socket.dev/d",
  repo: "acme/web",
});
const BOT = JSON.stringify({
  mode: "bot",
  bot_configs: [{ name: "sec", channels: ["#Security"] }],
});
const files = { "r.json": REPORT };

function assertNoSecrets(...outputs: string[]): void {
  for (const out of outputs) {
    for (const secret of ["SECRETTOKEN", "HOOKSECRET", "T0SECRET"]) {
      assert.ok(!out.includes(secret), `leaked ${secret}`);
    }
  }
}

describe("slack-notify CLI", () => {
  it("--version prints the version of deno.json", async () => {
    const deno = JSON.parse(await readFile(new URL("../deno.json", import.meta.url), "utf8"));
    assert.equal(VERSION, deno.version);
    const { status, stdout } = await run(["--version"]);
    assert.deepEqual([status, stdout], [0, `${VERSION}\n`]);
  });

  it("--help prints the usage and exits 0", async () => {
    const { status, stdout } = await run(["-h"]);
    assert.equal(status, 0);
    assert.match(stdout, /^Usage: slack-notify/);
  });

  it("exits 2 with the usage line on an unknown option, a missing value or a stray argument", async () => {
    for (const args of [["--bogus"], ["--report"], ["send", "extra"], ["deploy"], [HOOK]]) {
      const { status, stderr } = await run(args);
      assert.equal(status, 2, args.join(" "));
      assert.match(stderr, /Usage: slack-notify/);
      assertNoSecrets(stderr);
    }
  });

  it("exits 2 when send has neither --report nor --facts", async () => {
    const { status, stderr } = await run(["--slack-webhook", HOOK]);
    assert.equal(status, 2);
    assert.match(stderr, /--report FILE or --facts FILE/);
  });

  it("exits 2 without any Slack configuration, saying where to put one", async () => {
    const { status, stderr } = await run(["--report", "r.json", "--dry-run"], { files });
    assert.equal(status, 2);
    assert.match(stderr, /SOCKET_SLACK_CONFIG_JSON/);
  });

  it("names SOCKET_SLACK_CONFIG_JSON and the position of invalid JSON, without printing it", async () => {
    const { status, stderr } = await run(["--report", "r.json", "--dry-run"], {
      files,
      env: { SOCKET_SLACK_CONFIG_JSON: `{"url": "${HOOK}" "x"}` },
    });
    assert.equal(status, 2);
    assert.match(stderr, /SOCKET_SLACK_CONFIG_JSON:\n\s+not valid JSON: line 1, column \d+/);
    assertNoSecrets(stderr);
  });

  it("refuses --config and --slack-webhook together", async () => {
    const { status } = await run([
      "--config",
      "c.json",
      "--slack-webhook",
      HOOK,
      "--report",
      "r.json",
    ], { files });
    assert.equal(status, 2);
  });

  it("bot mode without a token, or with a non-xoxb token, exits 2 without printing it", async () => {
    const envs: Array<Record<string, string>> = [{}, {
      SOCKET_SLACK_BOT_TOKEN: "xoxp-user-SECRETTOKEN",
    }];
    for (const env of envs) {
      const { status, stdout, stderr } = await run(["--report", "r.json"], {
        files,
        env: { SOCKET_SLACK_CONFIG_JSON: BOT, ...env },
      });
      assert.equal(status, 2);
      assert.match(stderr, /SOCKET_SLACK_BOT_TOKEN/);
      assertNoSecrets(stdout, stderr);
    }
  });

  it("a bot-mode dry run only warns about a missing token", async () => {
    const { status, stderr } = await run(["--report", "r.json", "--dry-run"], {
      files,
      env: { SOCKET_SLACK_CONFIG_JSON: BOT },
    });
    assert.equal(status, 0);
    assert.match(stderr, /warning: SOCKET_SLACK_BOT_TOKEN not set/);
  });

  it("refuses a plain-http SOCKET_SLACK_API_URL to a non-loopback host", async () => {
    const { status, stderr } = await run(["--report", "r.json"], {
      files,
      env: {
        SOCKET_SLACK_CONFIG_JSON: BOT,
        SOCKET_SLACK_BOT_TOKEN: TOKEN,
        SOCKET_SLACK_API_URL: "http://proxy.corp/api",
      },
    });
    assert.equal(status, 2);
    assert.match(stderr, /SOCKET_SLACK_API_URL: expected an https URL/);
  });

  it("--dry-run --json prints the plan with payloads, in plan order, and no secret", async () => {
    const { status, stdout, stderr } = await run(
      ["--report", "r.json", "--dry-run", "--json", "--pr", "3"],
      { files, env: { SOCKET_SLACK_CONFIG_JSON: BOT, SOCKET_SLACK_BOT_TOKEN: TOKEN } },
    );
    assert.equal(status, 0);
    const out = JSON.parse(stdout);
    assert.equal(out.mode, "bot");
    assert.equal(out.dryRun, true);
    assert.deepEqual(
      out.messages.map((
        m: Record<string, unknown>,
      ) => [m.destination, m.kind, m.part, m.parts, m.blocks, m.channel]),
      [["sec#security", "diff", 1, 1, 4, "security"]],
    );
    assert.equal(out.messages[0].payload.channel, "security");
    assert.equal(out.messages[0].payload.text, "Socket Security: 1 alert in acme/web for PR 3");
    assert.match(stderr, /Dry run \(bot mode\)/);
    assertNoSecrets(stdout, stderr);
  });

  it("--verbose prints the payloads on stderr", async () => {
    const { stderr } = await run([
      "--slack-webhook",
      HOOK,
      "--report",
      "r.json",
      "--dry-run",
      "--verbose",
    ], { files });
    assert.match(stderr, /"blocks": \[/);
    assertNoSecrets(stderr);
  });

  it("reads the report from stdin with -", async () => {
    const { status, stdout } = await run([
      "--slack-webhook",
      HOOK,
      "--report",
      "-",
      "--dry-run",
      "--json",
    ], {
      stdin: `INFO: ${REPORT}\n`,
    });
    assert.equal(status, 0);
    assert.equal(JSON.parse(stdout).messages.length, 1);
  });

  it("exits 2 naming a missing report file", async () => {
    const { status, stderr } = await run([
      "--slack-webhook",
      HOOK,
      "--report",
      "nope.json",
      "--dry-run",
    ]);
    assert.equal(status, 2);
    assert.match(stderr, /Cannot read the Socket report nope\.json: file not found/);
  });

  it("exits 2 naming the file and JSON path of a malformed alert, and passes it with --lenient", async () => {
    const bad = {
      "r.json": JSON.stringify({ new_alerts: [rawAlert(), rawAlert({ severity: 5 })] }),
    };
    const strict = await run(["--slack-webhook", HOOK, "--report", "r.json", "--dry-run"], {
      files: bad,
    });
    assert.equal(strict.status, 2);
    assert.match(strict.stderr, /r\.json:\n\s+new_alerts\[1\]\.severity: expected/);
    const lenient = await run([
      "--slack-webhook",
      HOOK,
      "--report",
      "r.json",
      "--dry-run",
      "--lenient",
    ], {
      files: bad,
    });
    assert.equal(lenient.status, 0);
    assert.match(lenient.stderr, /Skipped malformed alert new_alerts\[1\]/);
  });

  it("loads the configuration from --env-file, and existing variables win", async () => {
    const envFile = `SOCKET_SLACK_CONFIG_JSON='${JSON.stringify({ url: HOOK })}'\n`;
    const args = ["--env-file", ".env", "--report", "r.json", "--dry-run", "--json"];
    const withEnvFile = { ...files, ".env": envFile };
    const { status, stdout } = await run(args, { files: withEnvFile });
    assert.equal(status, 0);
    assert.equal(JSON.parse(stdout).mode, "webhook");
    const overridden = await run(args, {
      files: withEnvFile,
      env: { SOCKET_SLACK_CONFIG_JSON: BOT },
    });
    assert.equal(JSON.parse(overridden.stdout).mode, "bot");
  });

  it("enabled: false sends nothing, says so and exits 0", async () => {
    const { status, stderr } = await run(["--report", "r.json"], {
      files,
      env: { SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ enabled: false }) },
    });
    assert.equal(status, 0);
    assert.match(stderr, /disabled/);
  });

  it("runs as a real process and exits with the status", async () => {
    const cli = new URL("../cli.ts", import.meta.url).pathname;
    // Under Deno, execPath is deno; under Node (the npm build's tests), node runs the compiled file.
    const isDeno = "Deno" in globalThis;
    const args = isDeno
      ? ["run", "--allow-read", "--allow-env", cli, "--version"]
      : [cli.replace(/\.ts$/, ".js"), "--version"];
    const { stdout } = await promisify(execFile)(process.execPath, args);
    assert.equal(stdout, `${VERSION}\n`);
    const failed = await promisify(execFile)(process.execPath, [...args.slice(0, -1), "--bogus"])
      .catch((e) => e);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /Unknown option '--bogus'/);
    assert.ok(!/at .*\.ts:\d+/.test(failed.stderr), "no stack trace");
  });
});
