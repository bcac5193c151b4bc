import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { KvStore, runOnce } from "../deploy.ts";
import { storeContract } from "./support/store_contract.ts";
import { startSocketApiEmulator } from "./support/socket_api_emulator.ts";
import { HOOKS, workspace } from "./support/slack.ts";

// Deno KV on temporary databases (deno.json enables the unstable kv API).
const dir = await Deno.makeTempDir({ prefix: "slack-notify-kv-" });
const opened: Deno.Kv[] = [];
let count = 0;
async function openKv(): Promise<Deno.Kv> {
  const kv = await Deno.openKv(`${dir}/kv-${count++}.sqlite`);
  opened.push(kv);
  return kv;
}

storeContract("KvStore (Deno KV)", async () => new KvStore(await openKv()));

describe("the Deno Deploy entry", () => {
  after(async () => {
    for (const kv of opened) kv.close();
    await Deno.remove(dir, { recursive: true });
  });

  it("runs a watch pass with its state in Deno KV: first run records, the next posts once", async () => {
    const artifacts = (extra: boolean) => [
      { id: "express@4", type: "npm", name: "express", version: "4.18.0", alerts: [] },
      ...(extra
        ? [{
          id: "evil@1",
          type: "npm",
          name: "evil",
          version: "1.0.0",
          head: [{
            direct: true,
            manifestFiles: [{ file: "package.json" }],
            topLevelAncestors: [],
          }],
          alerts: [{ key: "k", type: "malware", severity: "critical", props: {}, action: "error" }],
        }]
        : []),
    ];
    const scan = (id: string, hour: number, extra: boolean) => ({
      id,
      created_at: `2026-11-01T0${hour}:00:00Z`,
      branch: "main",
      commit_hash: id,
      scan_state: null,
      artifacts: artifacts(extra),
    });
    const socket = await startSocketApiEmulator({
      org: "acme",
      token: "sktsec_kv",
      processingPolls: 0,
      repos: [{ slug: "web", default_branch: "main", scans: [scan("s1", 1, false)] }],
    });
    const slack = await workspace({ rateLimitMs: 0 });
    const kv = await openKv();
    try {
      const env: Record<string, string> = {
        SOCKET_ORG: "acme",
        SOCKET_REPOS: "web",
        SOCKET_SECURITY_API_TOKEN: "sktsec_kv",
        SOCKET_API_URL: socket.url,
        SOCKET_SLACK_CONFIG_JSON: JSON.stringify({ url: slack.webhookUrl(HOOKS.live) }),
      };
      const first = await runOnce(kv, (n) => env[n]);
      assert.equal(first.repos[0].scans[0].status, "first-run");
      socket.addScan("web", scan("s2", 2, true));
      const second = await runOnce(kv, (n) => env[n]);
      assert.deepEqual(second.repos[0].scans.map((s) => [s.status, s.alerts]), [["notified", 1]]);
      const third = await runOnce(kv, (n) => env[n]);
      assert.deepEqual(third.repos[0].scans, []);
      assert.equal(slack.posted.length, 1);
      assert.deepEqual((await kv.get(["slack-notify", "cursor", "acme", "web", "main"])).value, {
        scan: "s2",
      });
    } finally {
      await socket.close();
      await slack.close();
    }
  });

  it("says which variables are missing", async () => {
    const kv = await openKv();
    await assert.rejects(runOnce(kv, () => undefined), /Set SOCKET_ORG, SOCKET_REPOS/);
  });
});
