import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../lib/state.ts";
import { watch, type WatchOptions } from "../lib/watch.ts";
import type { SlackEmulator } from "../scripts/slack_emulator.ts";
import {
  type SocketApiEmulator,
  type SocketArtifact,
  type SocketScanSpec,
  startSocketApiEmulator,
} from "./support/socket_api_emulator.ts";
import { FAST, HOOKS, leaksSecret, workspace } from "./support/slack.ts";

const API_TOKEN = "sktsec_SECRETAPITOKEN";

function artifact(
  name: string,
  version: string,
  alerts: Array<[key: string, type: string, action: string]>,
): SocketArtifact {
  return {
    id: `${name}@${version}`,
    type: "npm",
    name,
    version,
    head: [{ direct: true, manifestFiles: [{ file: "package.json" }], topLevelAncestors: [] }],
    alerts: alerts.map(([key, type, action]) => ({
      key,
      type,
      severity: "high",
      props: {},
      action,
    })),
  };
}

let clock = Date.parse("2026-11-01T00:00:00Z");
function scan(
  id: string,
  artifacts: SocketArtifact[],
  state: string | null = null,
): SocketScanSpec {
  clock += 3_600_000;
  return {
    id,
    created_at: new Date(clock).toISOString(),
    branch: "main",
    commit_hash: `${id}000000000000`,
    pull_request: null,
    scan_state: state,
    artifacts,
  };
}

const base = [artifact("express", "4.18.0", [])];

interface World {
  socket: SocketApiEmulator;
  slack: SlackEmulator;
  state: MemoryStore;
  pass: (extra?: Partial<WatchOptions>) => ReturnType<typeof watch>;
  posted: () => string[];
}

async function world(scans: SocketScanSpec[], processingPolls = 0): Promise<World> {
  const socket = await startSocketApiEmulator({
    org: "acme",
    token: API_TOKEN,
    processingPolls,
    repos: [{ slug: "web", default_branch: "main", scans }],
  });
  const slack = await workspace();
  const state = new MemoryStore();
  return {
    socket,
    slack,
    state,
    pass: (extra = {}) =>
      watch({
        org: "acme",
        repos: ["web"],
        state,
        apiToken: API_TOKEN,
        socketApiUrl: socket.url,
        config: { url: slack.webhookUrl(HOOKS.live) },
        ...FAST,
        diffPollMs: 10,
        ...extra,
      }),
    posted: () =>
      slack.posted.flatMap((p) =>
        (p.blocks as Array<{ text?: { text: string } }>).slice(1).flatMap((b) =>
          b.text ? [/^\*(.+)\*\n(?:<[^|]*\|)?([^>\n]+)/.exec(b.text.text)!.slice(1).join(" ")] : []
        )
      ),
  };
}

async function close(w: World): Promise<void> {
  await w.socket.close();
  await w.slack.close();
}

describe("watch() against the Socket API and Slack emulators", () => {
  it("first run records where to start and posts nothing; a new scan posts its new alerts once; a rerun posts nothing", async () => {
    const w = await world([scan("s1", base)]);
    try {
      const first = await w.pass();
      assert.deepEqual(first.repos[0].scans.map((s) => s.status), ["first-run"]);
      assert.equal(w.slack.posted.length, 0);

      w.socket.addScan(
        "web",
        scan("s2", [...base, artifact("evil", "1.0.0", [["k1", "malware", "error"]])]),
      );
      w.socket.addScan(
        "web",
        scan("s3", [
          ...base,
          artifact("evil", "1.0.0", [["k1", "malware", "error"]]),
          artifact("leftpad", "2.0.0", [["k2", "installScripts", "warn"]]),
        ]),
      );
      const second = await w.pass();
      assert.deepEqual(second.repos[0].scans.map((s) => [s.scan, s.status, s.alerts]), [[
        "s2",
        "notified",
        1,
      ], ["s3", "notified", 1]]);
      assert.deepEqual(
        w.posted(),
        ["Known malware evil@1.0.0", "Install scripts leftpad@2.0.0"],
        "in scan order",
      );

      const third = await w.pass();
      assert.deepEqual(third.repos[0].scans, []);
      assert.equal(w.slack.posted.length, 2);
    } finally {
      await close(w);
    }
  });

  it("posts again when an alert escalates from warn to error, and not when it merely moves version", async () => {
    const w = await world([scan("s1", base)]);
    try {
      await w.pass();
      w.socket.addScan(
        "web",
        scan("s2", [...base, artifact("pkg", "1.0.0", [["k", "networkAccess", "warn"]])]),
      );
      await w.pass();
      w.socket.addScan(
        "web",
        scan("s3", [...base, artifact("pkg", "1.0.0", [["k", "networkAccess", "error"]])]),
      );
      w.socket.addScan(
        "web",
        scan("s4", [...base, artifact("pkg", "1.0.1", [["k", "networkAccess", "error"]])]),
      );
      const report = await w.pass();
      // s4 only moves the package to 1.0.1: the alert was on the version it replaced, so it is not new.
      const outcomes = report.repos[0].scans.map((s) => [s.scan, s.alerts]);
      assert.deepEqual(outcomes, [["s3", 1], ["s4", 0]]);
      assert.equal(w.slack.posted.length, 2);
    } finally {
      await close(w);
    }
  });

  it("waits a little for a diff being computed", async () => {
    const w = await world([scan("s1", base)], 2);
    try {
      await w.pass();
      w.socket.addScan(
        "web",
        scan("s2", [...base, artifact("a", "1.0.0", [["k", "malware", "error"]])]),
      );
      const report = await w.pass();
      assert.deepEqual(report.repos[0].scans.map((s) => s.status), ["notified"]);
    } finally {
      await close(w);
    }
  });

  it("leaves a diff still processing for the next run, and a scan still being scanned too", async () => {
    const w = await world([scan("s1", base)], 3);
    try {
      await w.pass();
      w.socket.addScan(
        "web",
        scan("s2", [...base, artifact("a", "1.0.0", [["k", "malware", "error"]])]),
      );
      const busy = await w.pass();
      assert.deepEqual(busy.repos[0].scans.map((s) => s.status), ["processing"]);
      assert.equal(w.slack.posted.length, 0);
      w.socket.addScan("web", scan("s3", base, "pending"));
      const next = await w.pass();
      assert.deepEqual(next.repos[0].scans.map((s) => [s.scan, s.status]), [["s2", "notified"], [
        "s3",
        "processing",
      ]]);
      assert.equal(w.slack.posted.length, 1);
    } finally {
      await close(w);
    }
  });

  it("records nothing when Slack fails, so the next run posts the same alerts", async () => {
    const w = await world([scan("s1", base)]);
    try {
      await w.pass();
      w.socket.addScan(
        "web",
        scan("s2", [...base, artifact("a", "1.0.0", [["k", "malware", "error"]])]),
      );
      w.slack.addFault({
        fault: { kind: "status", status: 503, times: 3 },
        match: { path: HOOKS.live },
      });
      const failed = await w.pass();
      assert.deepEqual(failed.repos[0].scans.map((s) => s.status), ["failed"]);
      assert.equal(w.slack.posted.length, 0);
      const retried = await w.pass();
      assert.deepEqual(retried.repos[0].scans.map((s) => s.status), ["notified"]);
      assert.equal(w.slack.posted.length, 1);
    } finally {
      await close(w);
    }
  });

  it("names the missing permission on a 403, goes on with the other repositories, and never prints the token", async () => {
    const w = await world([scan("s1", base)]);
    try {
      w.socket.addFault({
        kind: "forbidden",
        message: "Insufficient permissions for API method",
        match: { path: /full-scans/ },
      });
      const report = await w.pass({ repos: ["web", "missing"] });
      assert.match(
        report.repos[0].error!,
        /Insufficient permissions for API method: the API token lacks a scope/,
      );
      assert.match(report.repos[1].error!, /HTTP 404|check the organization and repository slugs/);
      assert.equal(leaksSecret(JSON.stringify(report)), undefined);
      assert.ok(!JSON.stringify(report).includes("SECRETAPITOKEN"));
    } finally {
      await close(w);
    }
  });

  it("does not hold the cursor for a destination that is gone: the working one gets each alert once", async () => {
    const w = await world([scan("s1", base)]);
    try {
      await w.pass();
      for (const id of ["s2", "s3"]) {
        w.socket.addScan(
          "web",
          scan(id, [...base, artifact(`p${id}`, "1.0.0", [[`k${id}`, "malware", "error"]])]),
        );
      }
      const config = {
        url: [{ name: "live", url: w.slack.webhookUrl(HOOKS.live) }, {
          name: "gone",
          url: w.slack.webhookUrl(HOOKS.dead),
        }],
      };
      const first = await w.pass({ config });
      assert.deepEqual(first.repos[0].scans.map((s) => [s.scan, s.status]), [["s2", "notified"], [
        "s3",
        "notified",
      ]]);
      assert.equal(first.repos[0].scans[0].delivery?.failed, 1, "the dead webhook is reported");
      await w.pass({ config });
      assert.equal(w.slack.posted.length, 2, "each alert once to the live webhook");
    } finally {
      await close(w);
    }
  });

  it("starts afresh from the newest scan when the one it last handled is gone", async () => {
    const w = await world([scan("s1", base)]);
    try {
      await w.state.set([{ key: ["cursor", "acme", "web", "main"], value: { scan: "deleted" } }]);
      const report = await w.pass();
      assert.deepEqual(report.repos[0].scans.map((s) => [s.scan, s.status]), [["s1", "first-run"]]);
    } finally {
      await close(w);
    }
  });

  it("checks the configuration and the API URL before any request, and stops on a refused token", async () => {
    const w = await world([scan("s1", base)]);
    try {
      await assert.rejects(w.pass({ config: "{not json" }), /Invalid Slack configuration/);
      await assert.rejects(
        w.pass({ socketApiUrl: "http://api.example/v0" }),
        /expected an https URL/,
      );
      await assert.rejects(
        w.pass({ config: { mode: "bot", bot_configs: [{ channels: ["a"] }] } }),
        /botToken: not set/,
      );
      assert.equal(w.socket.requests.length, 0);
      const refused = await w.pass({ apiToken: "wrong", repos: ["web", "api", "docs"] });
      assert.equal(w.socket.requests.length, 1, "one refusal is enough");
      assert.ok(refused.repos.every((r) => /Unauthorized/.test(r.error ?? "")));
    } finally {
      await close(w);
    }
  });

  it("sends the token as Basic auth, and a dry run stores nothing", async () => {
    const w = await world([
      scan("s1", base),
      scan("s2", [...base, artifact("a", "1.0.0", [["k", "malware", "error"]])]),
    ]);
    try {
      const dry = await w.pass({ dryRun: true, notifyFirstRun: true });
      assert.deepEqual(dry.repos[0].scans.map((s) => [s.scan, s.status, s.alerts]), [[
        "s2",
        "notified",
        1,
      ]]);
      assert.equal(w.slack.posted.length, 0);
      assert.equal(await w.state.get(["cursor", "acme", "web", "main"]), undefined);
      const auth = w.socket.requests[0].headers.authorization;
      assert.equal(auth, `Basic ${btoa(`${API_TOKEN}:`)}`);
    } finally {
      await close(w);
    }
  });
});
