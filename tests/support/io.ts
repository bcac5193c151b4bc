/**
 * An in-memory I/O shell for the CLI: files and environment from maps,
 * output captured.
 *
 * @module
 */

import { runCli } from "../../lib/cli.ts";

/** What a CLI run printed and returned. */
export interface RunResult {
  /** Exit status. */
  status: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs the CLI with the given files, environment and stdin. */
export async function run(
  args: string[],
  { files = {}, env = {}, stdin = "" }: {
    files?: Record<string, string>;
    env?: Record<string, string>;
    stdin?: string;
  } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    env: (name) => env[name],
    readFile: (path) => {
      if (path in files) return Promise.resolve(files[path]);
      return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" }));
    },
    readStdin: () => Promise.resolve(stdin),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { status, stdout, stderr };
}
