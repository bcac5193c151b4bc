import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  botTokenProblem,
  isLoopbackHost,
  normalizeChannel,
  parseConfig,
  validateConfig,
  webhookShortcut,
} from "../lib/config.ts";
import { ConfigError } from "../lib/errors.ts";

const HOOK = "https://hooks.slack.com/services/T0SECRET/B0SECRET/abcdefSECRET";

function problems(value: unknown): string[] {
  try {
    validateConfig(value, "test");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail("expected a ConfigError");
}

describe("validateConfig() webhook mode", () => {
  it("names a plain string url `default`", () => {
    const { config } = validateConfig({ url: HOOK }, "t");
    assert.equal(config.mode, "webhook");
    assert.deepEqual(config.webhooks.map((w) => w.name), ["default"]);
  });

  it("names list items webhook_{index} unless they have a name", () => {
    const { config } = validateConfig(
      { url: [HOOK, { url: HOOK }, { name: "sec", url: HOOK }] },
      "t",
    );
    assert.deepEqual(config.webhooks.map((w) => w.name), ["webhook_0", "webhook_1", "sec"]);
  });

  it("gives a webhook without a url_configs entry no filters (the Python CLI disables it)", () => {
    const { config } = validateConfig({ url: HOOK }, "t");
    assert.deepEqual(
      { ...config.webhooks[0], url: undefined, name: undefined },
      {
        url: undefined,
        name: undefined,
        repos: [],
        severities: [],
        alertTypes: [],
        reachabilityAlertsOnly: false,
        alwaysSendReachability: true,
      },
    );
  });

  it("reads every filter of a url_configs entry, with middle and moderate as medium", () => {
    const { config } = validateConfig({
      url: [{ name: "a", url: HOOK }],
      url_configs: {
        a: {
          repos: ["Acme/Web"],
          severities: ["middle", "moderate", "HIGH"],
          alert_types: ["criticalCVE"],
          reachability_alerts_only: true,
          always_send_reachability: false,
        },
      },
    }, "t");
    const hook = config.webhooks[0];
    assert.deepEqual(hook.repos, ["acme/web"]);
    assert.deepEqual(hook.severities, ["medium", "high"]);
    assert.deepEqual(hook.alertTypes, ["criticalcve"]);
    assert.equal(hook.reachabilityAlertsOnly, true);
    assert.equal(hook.alwaysSendReachability, false);
  });

  it("accepts https, and http only for a loopback host", () => {
    assert.doesNotThrow(() =>
      validateConfig({ url: ["http://127.0.0.1:8080/hook", "http://localhost/x"] }, "t")
    );
    const found = problems({
      url: ["http://hooks.slack.com/services/T0SECRET/B0SECRET/abcdefSECRET", "ftp://x/y", "nope"],
    });
    assert.equal(found.length, 3);
    assert.match(found[0], /^url\[0\]: expected an https URL/);
    assert.ok(found.every((p) => !p.includes("SECRET")), "a webhook URL is a secret");
  });

  it("warns about unknown keys of a webhook item, as the Python CLI ignores them", () => {
    const { config, warnings } = validateConfig(
      { url: [{ name: "a", url: HOOK, channel: "#x" }] },
      "t",
    );
    assert.equal(config.webhooks.length, 1);
    assert.deepEqual(warnings, ["url[0].channel: unknown key ignored"]);
  });

  it("keeps the warnings with the error, since a typo often causes the problem", () => {
    assert.throws(
      () =>
        validateConfig({
          url: HOOK,
          max_findings: 0,
          url_configs: { default: { serverities: [] } },
        }, "t"),
      (err: ConfigError) => err.warnings.some((w) => w.includes('did you mean "severities"')),
    );
  });

  it("warns about url_configs entries that match no webhook", () => {
    const { warnings } = validateConfig({ url: HOOK, url_configs: { defualt: {} } }, "t");
    assert.match(warnings[0], /no webhook is named "defualt"/);
  });
});

describe("validateConfig() bot mode", () => {
  it("reads routes with default names, normalised channel names and kept IDs", () => {
    const { config } = validateConfig({
      mode: "bot",
      bot_configs: [{ channels: ["#Dev-Alerts", "C0123456789", "G0123456789"] }, {
        name: "sec",
        channels: ["security"],
        threads: false,
      }],
    }, "t");
    assert.deepEqual(config.botRoutes.map((r) => [r.name, r.channels, r.threads]), [
      ["bot_config_0", ["dev-alerts", "C0123456789", "G0123456789"], true],
      ["sec", ["security"], false],
    ]);
  });

  it("reports every problem at once, each with its JSON path", () => {
    assert.deepEqual(
      problems({
        mode: "bot",
        max_findings: 0,
        bot_configs: [{ channels: ["ok"], severities: ["urgent"] }, {
          channels: "dev-alerts",
          threads: "no",
        }],
      }),
      [
        "max_findings: expected an integer from 1 to 500, got number 0",
        'bot_configs[0].severities[0]: expected "critical", "high", "medium" (or "middle", "moderate") or "low", got "urgent"',
        'bot_configs[1].channels: expected a non-empty array of strings, got "dev-alerts"',
        'bot_configs[1].threads: expected true or false, got "no"',
      ],
    );
  });

  it("requires bot_configs in bot mode", () => {
    assert.match(problems({ mode: "bot" })[0], /^bot_configs: expected a non-empty array/);
  });

  it("rejects a channel that is neither an ID nor a valid name", () => {
    assert.match(
      problems({ mode: "bot", bot_configs: [{ channels: ["dev alerts"] }] })[0],
      /channels\[0\]/,
    );
  });
});

describe("validateConfig() top level", () => {
  it("warns about unknown keys with a did-you-mean", () => {
    const { warnings } = validateConfig({
      url: HOOK,
      url_configs: { default: { serverities: ["high"] } },
    }, "t");
    assert.deepEqual(warnings, [
      'url_configs.default.serverities: unknown key ignored; did you mean "severities"?',
    ]);
  });

  it("rejects a wrong mode, enabled and max_findings", () => {
    assert.deepEqual(
      problems({ mode: "email", enabled: "yes", max_findings: 501 }).map((p) => p.split(":")[0]),
      [
        "enabled",
        "mode",
        "max_findings",
      ],
    );
  });

  it("allows a disabled config without destinations", () => {
    assert.equal(validateConfig({ enabled: false }, "t").config.enabled, false);
  });
});

describe("parseConfig()", () => {
  it("names the source and the position of invalid JSON, without quoting the text", () => {
    assert.throws(
      () => parseConfig(`{"url": "${HOOK}",}`, "SOCKET_SLACK_CONFIG_JSON"),
      (err: Error) =>
        err instanceof ConfigError && /SOCKET_SLACK_CONFIG_JSON/.test(err.message) &&
        /line 1, column \d+/.test(err.message) && !err.message.includes("SECRET"),
    );
  });

  it("--slack-webhook stands for webhook mode, that URL, no filters", () => {
    const { config } = webhookShortcut(HOOK);
    assert.deepEqual([config.mode, config.webhooks.length, config.webhooks[0].severities], [
      "webhook",
      1,
      [],
    ]);
  });
});

describe("channels, hosts and tokens", () => {
  it("normalizeChannel() strips # and lower-cases names, keeps IDs", () => {
    assert.deepEqual(["#Dev-Alerts", "C0123456789", " security "].map(normalizeChannel), [
      "dev-alerts",
      "C0123456789",
      "security",
    ]);
  });

  it("isLoopbackHost() accepts only loopback names and addresses", () => {
    assert.deepEqual(
      [
        "localhost",
        "127.0.0.1",
        "127.9.9.9",
        "[::1]",
        "10.0.0.1",
        "slack.com",
        "localhost.evil.com",
      ].map(
        isLoopbackHost,
      ),
      [true, true, true, true, false, false, false],
    );
  });

  it("botTokenProblem() rejects a missing or non-xoxb token without quoting it", () => {
    assert.equal(botTokenProblem("xoxb-1-2-3"), undefined);
    assert.match(botTokenProblem(undefined)!.message, /not set/);
    const wrong = botTokenProblem("xoxp-SECRET-user-token")!;
    assert.equal(wrong.path, "SOCKET_SLACK_BOT_TOKEN");
    assert.ok(!wrong.message.includes("SECRET"));
  });
});
