/**
 * Golden-file cases: each `fixtures/<case>/case.json` names the CLI arguments
 * (paths relative to the case folder) and environment; `expected.json` holds
 * the exit status, the JSON printed on stdout and the lines on stderr.
 *
 * @module
 */

import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli } from "../../lib/cli.ts";

/** Folder holding the cases. */
export const FIXTURES: string = new URL("../../fixtures/", import.meta.url).pathname;

/** What one case produced. */
export interface CaseResult {
  /** Exit status. */
  status: number;
  /** Standard output, parsed as JSON. */
  stdout: unknown;
  /** Standard error, one entry per line. */
  stderr: string[];
}

/** Case folders, sorted. */
export async function caseNames(): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(FIXTURES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const files = await readdir(join(FIXTURES, entry.name));
    if (files.includes("case.json")) names.push(entry.name);
  }
  return names.sort();
}

/** Runs one case through the real CLI code with a hermetic environment. */
export async function runCase(name: string): Promise<CaseResult> {
  const dir = join(FIXTURES, name);
  const spec = JSON.parse(await readFile(join(dir, "case.json"), "utf8")) as {
    args: string[];
    env?: Record<string, string>;
  };
  let stdout = "";
  let stderr = "";
  const status = await runCli(spec.args, {
    env: (key) => spec.env?.[key],
    readFile: (path) => readFile(join(dir, path), "utf8"),
    readStdin: () => Promise.resolve(""),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return {
    status,
    stdout: stdout ? JSON.parse(stdout) : null,
    stderr: stderr.split("\n").filter((line) => line !== ""),
  };
}

/** The expected result of a case. */
export async function readExpected(name: string): Promise<CaseResult> {
  return JSON.parse(await readFile(join(FIXTURES, name, "expected.json"), "utf8"));
}

/** Rewrites a case's expected result (the explicit update command, never a test run). */
export async function writeExpected(name: string, result: CaseResult): Promise<void> {
  await writeFile(join(FIXTURES, name, "expected.json"), JSON.stringify(result, null, 2) + "\n");
}
