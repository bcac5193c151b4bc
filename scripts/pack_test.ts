/**
 * `deno task pack-test`: packs `npm/` (run `deno task build` first), installs
 * the tarball into an empty temporary project, and uses it as a user would:
 * `import` on Node, type checks with `nodenext` and `bundler` resolution,
 * `npx slack-notify --version`, `--help`, and a dry run on a sample report.
 *
 * @module
 */

import { assert, assertEquals, assertMatch } from "./assert.ts";

const root = new URL("../", import.meta.url).pathname;
const deno = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
const tools = `${root}.build/tools/node_modules`;

async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  const result = {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  return result;
}

async function ok(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  const result = await run(cmd, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function step(name: string): void {
  console.log(`pack test: ${name}`);
}

const pkg = JSON.parse(await Deno.readTextFile(`${root}npm/package.json`));
assertEquals(pkg.dependencies, undefined, "the package has no runtime dependencies");

const work = await Deno.makeTempDir({ prefix: "slack-notify-pack-" });
try {
  step("npm pack");
  const packed = JSON.parse(
    await ok("npm", ["pack", `${root}npm`, "--json", "--pack-destination", work], work),
  );
  const tarball = `${work}/${packed[0].filename}`;
  const shipped: string[] = packed[0].files.map((f: { path: string }) => f.path);
  assert(
    shipped.includes("cli.js") && shipped.includes("mod.d.ts"),
    "the package ships the module",
  );
  assert(
    !shipped.some((f) => /test|fixtures|scripts/.test(f)),
    `no tests or fixtures shipped: ${shipped}`,
  );

  step("install the tarball into an empty project");
  const app = `${work}/app`;
  await Deno.mkdir(app);
  await Deno.writeTextFile(
    `${app}/package.json`,
    '{"name": "consumer", "private": true, "type": "module"}\n',
  );
  await ok("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], app);

  step("import on Node");
  const imported = await ok("node", [
    "--input-type=module",
    "-e",
    'const m = await import("@socket/slack-notify"); console.log(typeof m.notify, typeof m.buildPlan, m.VERSION)',
  ], app);
  assertEquals(imported.trim(), `function function ${deno.version}`);

  step("type check a consumer with nodenext and bundler resolution");
  await Deno.writeTextFile(
    `${app}/index.ts`,
    `import { notify, type DeliveryReport, type SlackConfig } from "@socket/slack-notify";
import { main } from "@socket/slack-notify/cli";
const config: Partial<SlackConfig> = { mode: "webhook" };
const run: (o: Parameters<typeof notify>[0]) => Promise<DeliveryReport> = notify;
export { config, main, run };
`,
  );
  for (const [module, resolution] of [["nodenext", "nodenext"], ["esnext", "bundler"]]) {
    await ok("node", [
      `${tools}/typescript/bin/tsc`,
      "--noEmit",
      "--strict",
      "--module",
      module,
      "--moduleResolution",
      resolution,
      "--target",
      "es2022",
      "--typeRoots",
      `${tools}/@types`,
      "--types",
      "node",
      "index.ts",
    ], app);
  }

  step("npx slack-notify --version, --help and a dry run");
  assertEquals((await ok("npx", ["slack-notify", "--version"], app)).trim(), deno.version);
  assertMatch(await ok("npx", ["slack-notify", "--help"], app), /^Usage: slack-notify/);
  const dry = await ok("npx", [
    "slack-notify",
    "--slack-webhook",
    "https://hooks.slack.com/services/T0/B0/XXXX",
    "--report",
    `${root}fixtures/samples/socketcli-report.json`,
    "--dry-run",
    "--json",
  ], app);
  const plan = JSON.parse(dry);
  assertEquals(plan.dryRun, true);
  assert(plan.messages.length > 0, "the dry run plans messages");
  console.log("pack test: ok");
} finally {
  await Deno.remove(work, { recursive: true });
}
