import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { DENO_ONLY_EXPORTS, packageJson } from "../scripts/package_json.ts";
import { VERSION } from "../lib/version.ts";

const deno = JSON.parse(await readFile(new URL("../deno.json", import.meta.url), "utf8"));

async function built(): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(new URL("../npm/package.json", import.meta.url), "utf8"));
  } catch {
    return undefined; // not built yet: the generator is checked all the same
  }
}

describe("the npm package.json", () => {
  it("agrees with deno.json on name, version, license and exports, and has no dependencies", async () => {
    for (const pkg of [packageJson(deno), await built()].filter((p) => p !== undefined)) {
      assert.equal(pkg.name, deno.name);
      assert.equal(pkg.version, deno.version);
      assert.equal(pkg.license, deno.license);
      const shared = Object.keys(deno.exports).filter((e) => !DENO_ONLY_EXPORTS.includes(e));
      assert.deepEqual(Object.keys(pkg.exports as object), shared);
      for (const entry of shared) {
        const source = deno.exports[entry] as string;
        const target = (pkg.exports as Record<string, { default: string; types: string }>)[entry];
        assert.equal(target.default, (source as string).replace(/\.ts$/, ".js"));
        assert.equal(target.types, (source as string).replace(/\.ts$/, ".d.ts"));
      }
      assert.deepEqual(pkg.bin, { "slack-notify": "./cli.js" });
      assert.equal(pkg.type, "module");
      assert.equal(pkg.dependencies, undefined);
      assert.deepEqual(pkg.engines, { node: ">=20.12" });
    }
  });

  it("the module's VERSION is deno.json's", () => {
    assert.equal(VERSION, deno.version);
  });

  it("JSR publishes only the module: no tests, fixtures, scripts or examples", () => {
    const include: string[] = deno.publish.include;
    assert.ok(
      include.every((p) =>
        /^(mod\.ts|cli\.ts|deploy\.ts|lib\/|README\.md|LICENSE|deno\.json)$/.test(p)
      ),
      `${include}`,
    );
  });
});
