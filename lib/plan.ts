/**
 * Planning: from configuration, inputs and context to the ordered list of
 * destinations and their messages. Pure: no I/O, no clock, no environment.
 *
 * @module
 */

import { buildDiffMessages, buildReachabilityMessages } from "./blocks.ts";
import { filterAlerts, filterFindings, reachLookup } from "./filter.ts";
import type {
  Alert,
  Context,
  Destination,
  FactsInput,
  Finding,
  Message,
  MessageKind,
  Plan,
  PlannedMessage,
  Report,
  Route,
  SlackConfig,
} from "./types.ts";

/** Everything a plan is built from. */
export interface PlanInput {
  /** The validated configuration. */
  config: SlackConfig;
  /** The Socket report, when one was given. */
  report?: Report;
  /** Reachability facts, when asked for. */
  facts?: FactsInput;
  /** Repository, branch, PR and commit. */
  context: Context;
}

/** A destination with the filters that decide what it receives. */
interface Target {
  destination: Destination;
  route: Route;
}

function targets(config: SlackConfig): Target[] {
  if (config.mode === "webhook") {
    return config.webhooks.map((hook) => ({
      destination: { kind: "webhook", name: hook.name, url: hook.url },
      route: hook,
    }));
  }
  return config.botRoutes.flatMap((route) =>
    route.channels.map((channel) => ({
      destination: {
        kind: "bot",
        name: `${route.name}#${channel}`,
        route: route.name,
        channel,
        threads: route.threads,
      },
      route,
    }))
  );
}

/** A cache key for a route's filters: routes that filter alike share their messages. */
function routeKey(route: Route): string {
  return JSON.stringify([
    route.repos,
    route.severities,
    route.alertTypes,
    route.reachabilityAlertsOnly,
  ]);
}

function plannedParts(
  destination: Destination,
  kind: MessageKind,
  messages: Message[],
): PlannedMessage[] {
  return messages.map((message, i) => ({
    destination,
    kind,
    part: i + 1,
    parts: messages.length,
    message,
  }));
}

/**
 * Builds the plan: for each destination (webhook, or bot route x channel, in
 * config order) its reachability parts, then its diff parts. A disabled
 * config plans nothing.
 */
export function buildPlan(input: PlanInput): Plan {
  const { config, report, facts, context } = input;
  const warnings: string[] = [];
  if (!config.enabled) return { mode: config.mode, messages: [], warnings };
  const alerts: readonly Alert[] = report?.alerts ?? [];
  const findings: readonly Finding[] = facts && "findings" in facts ? facts.findings : [];
  const lookup = reachLookup(facts);
  const messageContext = { context, diffUrl: report?.diffUrl ?? "" };
  const diffCache = new Map<string, Message[]>();
  const reachCache = new Map<string, Message[]>();
  const messages: PlannedMessage[] = [];
  const all = targets(config);

  if (all.some((t) => t.route.repos.length > 0) && !context.repo) {
    warnings.push(
      "A route filters by repos but the repository is unknown: pass --repo owner/name, or run in a supported CI",
    );
  }
  if (!facts && all.some((t) => t.route.reachabilityAlertsOnly)) {
    warnings.push("reachability_alerts_only has no effect without a facts file: pass --facts FILE");
  }
  if (facts && "unreadable" in facts && all.some((t) => t.route.reachabilityAlertsOnly)) {
    warnings.push(
      `The facts file could not be read (${facts.unreadable}): reachability_alerts_only routes get blocking alerts only`,
    );
  }

  for (const { destination, route } of all) {
    const key = routeKey(route);
    let diff = diffCache.get(key);
    if (!diff) {
      diff = buildDiffMessages(filterAlerts(alerts, route, context.repo, lookup), messageContext);
      diffCache.set(key, diff);
    }
    let reach = reachCache.get(key);
    if (!reach) {
      reach = buildReachabilityMessages(filterFindings(findings, route, context.repo), {
        ...messageContext,
        maxFindings: config.maxFindings,
      });
      reachCache.set(key, reach);
    }
    if (route.alwaysSendReachability || diff.length > 0) {
      messages.push(...plannedParts(destination, "reachability", reach));
    }
    messages.push(...plannedParts(destination, "diff", diff));
  }
  return { mode: config.mode, messages, warnings };
}
