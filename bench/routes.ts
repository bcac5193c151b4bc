/**
 * The routes the benchmarks plan for: five that filter differently, as a
 * busy organisation's configuration would.
 *
 * @module
 */

/** Five routes that filter differently, as a busy organisation's config would. */
export const FIVE_ROUTES = JSON.stringify({
  mode: "bot",
  bot_configs: [
    { name: "all", channels: ["security-all"] },
    { name: "critical", channels: ["security-critical"], severities: ["critical", "high"] },
    { name: "reachable", channels: ["security-reachable"], reachability_alerts_only: true },
    { name: "malware", channels: ["security-malware"], alert_types: ["malware", "didYouMean"] },
    {
      name: "repo",
      channels: ["monorepo-team"],
      repos: ["acme/monorepo"],
      severities: ["medium", "low"],
    },
  ],
});
