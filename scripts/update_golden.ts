/**
 * Rewrites `fixtures/<case>/expected.json` from the current code. Run it
 * with `deno task golden` after a deliberate change to the messages, then
 * review every diff like code.
 *
 * @module
 */

import { caseNames, runCase, writeExpected } from "../tests/support/golden.ts";

const only = new Set(Deno.args);
for (const name of await caseNames()) {
  if (only.size > 0 && !only.has(name)) continue;
  await writeExpected(name, await runCase(name));
  console.log(`updated fixtures/${name}/expected.json`);
}
