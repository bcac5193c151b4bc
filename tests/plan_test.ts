import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateConfig } from "../lib/config.ts";
import { buildPlan } from "../lib/plan.ts";
import type { Facts, Report } from "../lib/types.ts";
import { alert, finding } from "./support/data.ts";

const HOOK = "https://hooks.slack.com/services/T0/B0/X";
const report: Report = {
  alerts: [
    alert({ severity: "critical" }),
    alert({ severity: "low", type: "copyleftLicense", error: false }),
  ],
  diffUrl: "https://socket.dev/diff",
  reportUrl: "",
  scanFailed: true,
};
const facts: Facts = { findings: [finding(), finding({ state: "unreachable", severity: "low" })] };
const config = (value: unknown) => validateConfig(value, "test").config;

describe("buildPlan()", () => {
  it("orders destinations as configured, each with its reachability parts before its diff parts", () => {
    const plan = buildPlan({
      config: config({ url: [{ name: "a", url: HOOK }, { name: "b", url: HOOK }] }),
      report,
      facts,
      context: {},
    });
    assert.deepEqual(plan.messages.map((m) => `${m.destination.name}:${m.kind}`), [
      "a:reachability",
      "a:diff",
      "b:reachability",
      "b:diff",
    ]);
  });

  it("plans bot mode as route x channel, with channel and threads", () => {
    const plan = buildPlan({
      config: config({
        mode: "bot",
        bot_configs: [{ name: "sec", channels: ["#Sec", "C0123456789"], threads: false }, {
          channels: ["dev"],
        }],
      }),
      report,
      context: {},
    });
    assert.deepEqual(
      plan.messages.map((m) =>
        m.destination.kind === "bot" &&
        [m.destination.name, m.destination.channel, m.destination.threads]
      ),
      [["sec#sec", "sec", false], ["sec#C0123456789", "C0123456789", false], [
        "bot_config_1#dev",
        "dev",
        true,
      ]],
    );
  });

  it("numbers the parts of a split message", () => {
    const many = { ...report, alerts: Array.from({ length: 30 }, () => alert()) };
    const plan = buildPlan({ config: config({ url: HOOK }), report: many, context: {} });
    assert.deepEqual(plan.messages.map((m) => [m.part, m.parts, m.message.blocks.length]), [[
      1,
      2,
      50,
    ], [2, 2, 14]]);
  });

  it("with always_send_reachability false, sends reachability only with at least one diff alert", () => {
    const plan = buildPlan({
      config: config({
        url: [{ name: "none", url: HOOK }, { name: "some", url: HOOK }],
        url_configs: {
          none: { always_send_reachability: false, alert_types: ["typosquat"] },
          some: { always_send_reachability: false, severities: ["low"] },
        },
      }),
      report,
      facts,
      context: {},
    });
    assert.deepEqual(plan.messages.map((m) => `${m.destination.name}:${m.kind}`), [
      "some:reachability",
      "some:diff",
    ]);
  });

  it("plans nothing when disabled", () => {
    assert.deepEqual(
      buildPlan({ config: config({ enabled: false, url: HOOK }), report, facts, context: {} })
        .messages,
      [],
    );
  });

  it("builds the messages once for destinations that filter alike", () => {
    const plan = buildPlan({
      config: config({ mode: "bot", bot_configs: [{ channels: ["a", "b", "c"] }] }),
      report,
      context: {},
    });
    assert.equal(plan.messages.length, 3);
    assert.ok(plan.messages.every((m) => m.message === plan.messages[0].message));
  });

  it("warns when a repos filter cannot apply because the repository is unknown", () => {
    const plan = buildPlan({
      config: config({ url: HOOK, url_configs: { default: { repos: ["a/b"] } } }),
      report,
      context: {},
    });
    assert.equal(plan.messages.length, 0);
    assert.match(plan.warnings[0], /repository is unknown/);
  });
});
