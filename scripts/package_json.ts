/**
 * The npm `package.json`, derived from `deno.json` so the two never
 * disagree on name, version, license or entry points.
 *
 * @module
 */

/** The fields of `deno.json` the package is made from. */
export interface DenoJson {
  /** Package name, `@scope/name`. */
  name: string;
  /** Version. */
  version: string;
  /** License identifier. */
  license: string;
  /** Entry points: `.` and `./cli` to their `.ts` files. */
  exports: Record<string, string>;
}

/** Entry points that only Deno can run (Deno KV, Deno.cron): the npm package leaves them out. */
export const DENO_ONLY_EXPORTS: readonly string[] = ["./deploy"];

/** The npm `package.json` for `deno.json`. */
export function packageJson(deno: DenoJson): Record<string, unknown> {
  const exports: Record<string, { types: string; default: string }> = {};
  for (const [entry, source] of Object.entries(deno.exports)) {
    if (DENO_ONLY_EXPORTS.includes(entry)) continue;
    const base = source.replace(/\.ts$/, "");
    exports[entry] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  return {
    name: deno.name,
    version: deno.version,
    description:
      "Post Socket Security scan results (new alerts and reachability findings) to Slack",
    license: deno.license,
    type: "module",
    main: "./mod.js",
    types: "./mod.d.ts",
    exports,
    bin: { "slack-notify": "./cli.js" },
    files: ["*.js", "*.d.ts", "lib/", "README.md", "LICENSE"],
    // util.parseEnv (for --env-file) arrived in Node 20.12.
    engines: { node: ">=20.12" },
    repository: { type: "git", url: "git+https://github.com/SocketDev/slack-notify.git" },
    keywords: [
      "socket",
      "security",
      "slack",
      "supply-chain",
      "reachability",
      "ci",
      "notifications",
    ],
    sideEffects: false,
  };
}
