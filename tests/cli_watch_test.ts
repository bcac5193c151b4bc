import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run } from "./support/io.ts";
import { startSocketApiEmulator } from "./support/socket_api_emulator.ts";
import { FAST, HOOKS, leaksSecret, workspace } from "./support/slack.ts";

const API_TOKEN = "sktsec_SECRETAPITOKEN";

async function cli(args: string[], env: Record<string, string>) {
  const result = await run(args, { env, disk: true, transport: FAST });
  assert.equal(leaksSecret(result.stdout, result.stderr), undefined);
  assert.ok(
    !(result.stdout + result.stderr).includes("SECRETAPITOKEN"),
    "the Socket token is never printed",
  );
  return result;
}

/** `watch --org acme --repo web` against `apiUrl`, with a webhook that is never reached. */
function watchWeb(apiUrl: string, state: string) {
  return cli(["watch", "--org", "acme", "--repo", "web", "--state", state], {
    SOCKET_SECURITY_API_TOKEN: API_TOKEN,
    SOCKET_API_URL: apiUrl,
    SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: "https://hooks.slack.com/services/T/B/X" }),
  });
}

const artifact = {
  id: "evil@1",
  type: "npm",
  name: "evil",
  version: "1.0.0",
  head: [{ direct: true, manifestFiles: [{ file: "package.json" }], topLevelAncestors: [] }],
  alerts: [{ key: "k", type: "malware", severity: "critical", props: {}, action: "error" }],
};

describe("slack-notify watch", () => {
  it("records on the first pass, posts new alerts once on the next, keeps its state in the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "slack-notify-watch-"));
    const socket = await startSocketApiEmulator({
      org: "acme",
      token: API_TOKEN,
      processingPolls: 0,
      repos: [
        {
          slug: "web",
          default_branch: "main",
          scans: [{
            id: "w1",
            created_at: "2026-11-01T01:00:00Z",
            branch: "main",
            commit_hash: "a",
            artifacts: [],
          }],
        },
        { slug: "api", default_branch: "main", scans: [] },
      ],
    });
    const slack = await workspace();
    try {
      const state = join(dir, "state.json");
      const env = {
        SOCKET_SECURITY_API_TOKEN: API_TOKEN,
        SOCKET_API_URL: socket.url,
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: slack.webhookUrl(HOOKS.live) }),
      };
      const args = ["watch", "--org", "acme", "--repo", "web,api", "--state", state, "--json"];
      const first = await cli(args, env);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stderr, /acme\/web \(main\) scan w1: first-run/);
      assert.match(first.stderr, /acme\/api \(main\): no new scan/);
      socket.addScan("web", {
        id: "w2",
        created_at: "2026-11-01T02:00:00Z",
        branch: "main",
        commit_hash: "b",
        artifacts: [artifact],
      });
      const second = await cli(args, env);
      assert.equal(second.status, 0, second.stderr);
      const report = JSON.parse(second.stdout);
      assert.deepEqual(
        report.repos[0].scans.map((s: { scan: string; status: string }) => [s.scan, s.status]),
        [["w2", "notified"]],
      );
      assert.equal(slack.posted.length, 1);
      assert.equal((await cli(args, env)).status, 0);
      assert.equal(slack.posted.length, 1, "a third pass posts nothing");
      assert.match(
        await readFile(state, "utf8"),
        /\[\["cursor","acme","web","main"\],\{"scan":"w2"\}\]/,
      );
    } finally {
      await socket.close();
      await slack.close();
      await rm(dir, { recursive: true });
    }
  });

  it("exits 2 without the Socket token or without --state, before any request", async () => {
    const missingToken = await cli(
      ["watch", "--org", "acme", "--repo", "web", "--state", "s.json"],
      {
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: "https://hooks.slack.com/services/T/B/X" }),
      },
    );
    assert.equal(missingToken.status, 2);
    assert.match(missingToken.stderr, /SOCKET_SECURITY_API_TOKEN/);
    const missingState = await cli(["watch", "--org", "acme", "--repo", "web"], {
      SOCKET_SECURITY_API_TOKEN: API_TOKEN,
      SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: "https://hooks.slack.com/services/T/B/X" }),
    });
    assert.equal(missingState.status, 2);
    assert.match(
      missingState.stderr,
      /watch needs --org ORG, --repo REPO\[,REPO…\] and --state FILE/,
    );
  });

  it("exits 1 and names the permission when the token lacks a scope", async () => {
    const socket = await startSocketApiEmulator({
      org: "acme",
      token: API_TOKEN,
      faults: [{ kind: "forbidden" }],
    });
    const dir = await mkdtemp(join(tmpdir(), "slack-notify-watch-"));
    try {
      const { status, stderr } = await watchWeb(socket.url, join(dir, "s.json"));
      assert.equal(status, 1);
      assert.match(stderr, /Insufficient permissions for API method: the API token lacks a scope/);
    } finally {
      await socket.close();
      await rm(dir, { recursive: true });
    }
  });

  it("exits 2 before any request when the state file cannot be written", async () => {
    const socket = await startSocketApiEmulator({ org: "acme", token: API_TOKEN });
    try {
      const { status, stderr } = await watchWeb(socket.url, "/nonexistent/dir/s.json");
      assert.equal(status, 2, stderr);
      assert.equal(socket.requests.length, 0);
    } finally {
      await socket.close();
    }
  });
});
