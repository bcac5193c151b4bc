/**
 * `deno task build`: the npm package, built the way dnt would, with
 * TypeScript from the npm registry.
 *
 * 1. Compiles `mod.ts`, `cli.ts`, `lib/`, the tests and the Slack emulator
 *    to ESM JavaScript with declarations (`rewriteRelativeImportExtensions`)
 *    into `.build/out/`.
 * 2. Runs the compiled test suite under `node --test`, against the emulator.
 * 3. Copies the tested module files into `npm/` with a generated
 *    `package.json`, the README and the LICENSE.
 *
 * `--skip-tests` leaves out step 2 (for a quick look at the package).
 *
 * @module
 */

import { packageJson } from "./package_json.ts";

const root = new URL("../", import.meta.url).pathname;
const build = `${root}.build`;
const tools = `${build}/tools`;
const out = `${build}/out`;
const npm = `${root}npm`;
const TOOLS = ["typescript@5.9.3", "@types/node@20"];
/** Tests of Deno-only code (the Deno Deploy example), which Node cannot run. */
const DENO_ONLY = new Set(["tests/deploy_cron_test.ts", "tests/deploy_test.ts"]);

async function run(cmd: string, args: string[], cwd = root): Promise<void> {
  const { code } = await new Deno.Command(cmd, { args, cwd, stdout: "inherit", stderr: "inherit" })
    .output();
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function files(dir: string, suffix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${root}${dir}`)) {
    if (entry.isFile && entry.name.endsWith(suffix)) found.push(`${dir}/${entry.name}`);
  }
  return found.sort();
}

/** Installs the compiler and Node's types once, from the npm registry. */
async function installTools(): Promise<string> {
  const tsc = `${tools}/node_modules/typescript/bin/tsc`;
  if (!(await exists(tsc))) {
    await Deno.mkdir(tools, { recursive: true });
    await Deno.writeTextFile(`${tools}/package.json`, '{"private": true}\n');
    await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...TOOLS], tools);
  }
  return tsc;
}

async function compile(tsc: string): Promise<string[]> {
  const tests = [...await files("tests", "_test.ts"), ...await files("tests/support", ".ts")]
    .filter((t) => !DENO_ONLY.has(t));
  const sources = [
    "mod.ts",
    "cli.ts",
    ...await files("lib", ".ts"),
    "scripts/slack_emulator.ts",
    ...tests,
  ];
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(
    `${build}/tsconfig.json`,
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          // The sources have no package.json saying "module": ESM output, Node-style package lookups.
          module: "ESNext",
          moduleResolution: "Bundler",
          strict: true,
          declaration: true,
          rewriteRelativeImportExtensions: true,
          skipLibCheck: true,
          rootDir: "..",
          outDir: "out",
          typeRoots: ["tools/node_modules/@types"],
          types: ["node"],
          newLine: "lf",
        },
        files: sources.map((f) => `../${f}`),
      },
      null,
      2,
    ) + "\n",
  );
  await run("node", [tsc, "-p", `${build}/tsconfig.json`]);
  // ESM for Node, and what the compiled tests read relative to themselves.
  await Deno.writeTextFile(`${out}/package.json`, '{"type": "module"}\n');
  for (const link of ["fixtures", "deno.json", "README.md"]) {
    await Deno.remove(`${out}/${link}`).catch(() => {});
    await Deno.symlink(`${root}${link}`, `${out}/${link}`);
  }
  return tests.filter((t) => t.endsWith("_test.ts")).map((t) =>
    `${out}/${t.replace(/\.ts$/, ".js")}`
  );
}

/** Declarations keep the `.ts` specifiers of the source: point them at the `.js` files that ship. */
function rewriteDeclaration(text: string): string {
  return text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3");
}

async function assemble(): Promise<void> {
  await Deno.remove(npm, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${npm}/lib`, { recursive: true });
  const shipped = ["mod", "cli", ...(await files("lib", ".ts")).map((f) => f.replace(/\.ts$/, ""))];
  for (const name of shipped) {
    await Deno.copyFile(`${out}/${name}.js`, `${npm}/${name}.js`);
    const declaration = await Deno.readTextFile(`${out}/${name}.d.ts`);
    await Deno.writeTextFile(`${npm}/${name}.d.ts`, rewriteDeclaration(declaration));
  }
  await Deno.chmod(`${npm}/cli.js`, 0o755);
  const deno = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  await Deno.writeTextFile(
    `${npm}/package.json`,
    JSON.stringify(packageJson(deno), null, 2) + "\n",
  );
  await Deno.copyFile(`${root}README.md`, `${npm}/README.md`);
  await Deno.copyFile(`${root}LICENSE`, `${npm}/LICENSE`);
}

const skipTests = Deno.args.includes("--skip-tests");
const tsc = await installTools();
console.log("compiling with TypeScript from npm…");
const tests = await compile(tsc);
if (!skipTests) {
  console.log(`running ${tests.length} compiled test files under node --test…`);
  await run("node", ["--test", ...tests]);
}
await assemble();
console.log(`npm package written to ${npm}`);
