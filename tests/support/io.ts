/**
 * An in-memory I/O shell for the CLI: files and environment from maps,
 * output captured.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { runCli } from "../../lib/cli.ts";
import type { TransportOptions } from "../../lib/transport.ts";

/** What a CLI run printed and returned. */
export interface RunResult {
  /** Exit status. */
  status: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/**
 * Runs the CLI with the given files (and, with `disk`, any other file from
 * the disk), environment, stdin and transport settings.
 */
export async function run(
  args: string[],
  { files = {}, env = {}, stdin = "", disk = false, transport }: {
    files?: Record<string, string>;
    env?: Record<string, string>;
    stdin?: string;
    disk?: boolean;
    transport?: TransportOptions;
  } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(args, {
    env: (name) => env[name],
    readFile: (path) => {
      if (path in files) return Promise.resolve(files[path]);
      if (disk) return readFile(path, "utf8");
      return Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" }));
    },
    readStdin: () => Promise.resolve(stdin),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    transport,
  });
  return { status, stdout, stderr };
}
