/**
 * A Slack workspace for delivery tests: the emulator on 127.0.0.1 with a
 * few channels and webhooks, and transport settings fast enough for tests
 * but strict enough that pacing is real (the emulator answers 429 to any
 * post closer than its limit).
 *
 * @module
 */

import {
  type EmulatorOptions,
  type SlackEmulator,
  startSlackEmulator,
} from "../../scripts/slack_emulator.ts";
import type { TransportOptions } from "../../lib/transport.ts";

/** The bot token the emulator accepts. */
export const TOKEN = "xoxb-test-SECRETTOKEN";

/** Pacing and retry settings scaled down for tests. */
export const FAST: TransportOptions = { minIntervalMs: 40, backoffMs: 10, timeoutMs: 1000 };

/** Channels of the test workspace. */
export const CHANNELS = {
  security: { id: "C0000000001", name: "security-alerts" },
  dev: { id: "C0000000002", name: "dev-alerts" },
  hidden: { id: "C0000000003", name: "appsec", resolvableByName: false },
  private: { id: "G0000000004", name: "private-sec", isPrivate: true },
  noBot: { id: "C0000000005", name: "no-bot", isMember: false },
  archived: { id: "C0000000006", name: "old-alerts", isArchived: true },
  privateNoBot: { id: "G0000000007", name: "secret-room", isPrivate: true, isMember: false },
};

/** Webhook paths of the test workspace (the paths are the secret part of a webhook URL). */
export const HOOKS = {
  live: "/services/T0SECRET/B0LIVE/HOOKSECRET1",
  live2: "/services/T0SECRET/B0LIVE2/HOOKSECRET2",
  dead: "/services/T0SECRET/B0DEAD/HOOKSECRET3",
};

/** Starts the emulator with the test workspace; pass overrides for faults and limits. */
export function workspace(options: EmulatorOptions = {}): Promise<SlackEmulator> {
  return startSlackEmulator({
    tokens: [TOKEN],
    channels: Object.values(CHANNELS),
    webhooks: [{ path: HOOKS.live }, { path: HOOKS.live2 }, {
      path: HOOKS.dead,
      dead: "no_service",
    }],
    rateLimitMs: FAST.minIntervalMs,
    ...options,
  });
}

/** True when no output contains the token or a webhook path. */
export function leaksSecret(...outputs: string[]): string | undefined {
  for (const out of outputs) {
    for (const secret of ["SECRETTOKEN", "HOOKSECRET", "T0SECRET"]) {
      if (out.includes(secret)) return secret;
    }
  }
  return undefined;
}
