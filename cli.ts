#!/usr/bin/env node
/**
 * The `slack-notify` command: posts Socket Security scan results to Slack.
 *
 * @example Preview the messages for a report
 * ```sh
 * deno run --allow-read=socket-report.json --allow-env cli.ts \
 *   --slack-webhook https://hooks.slack.com/services/T0/B0/X --report socket-report.json --dry-run
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { realpathSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runCli } from "./lib/cli.ts";
import { UsageError } from "./lib/errors.ts";

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Variables whose absence would change what happens: denying them must not pass for "unset". */
const NEEDED = new Set([
  "SOCKET_SLACK_CONFIG_JSON",
  "SOCKET_SLACK_BOT_TOKEN",
  "SOCKET_SLACK_API_URL",
  "SOCKET_SECURITY_API_TOKEN",
  "SOCKET_API_URL",
]);

function env(name: string): string | undefined {
  try {
    return process.env[name];
  } catch (err) {
    // Deno without --allow-env for this variable. Optional ones (CI context, NO_COLOR) count as unset.
    if (!NEEDED.has(name)) return undefined;
    throw new UsageError(
      `Cannot read the environment variable ${name}: ${
        err instanceof Error ? err.message : err
      }. ` +
        `Run Deno with --allow-env=${[...NEEDED].join(",")} (see the README)`,
    );
  }
}

/**
 * Runs the command line with the process's arguments, environment and
 * streams, and sets the exit code (0 sent, 1 a message failed or was
 * skipped, 2 usage, configuration or input error).
 */
export async function main(args: string[] = process.argv.slice(2)): Promise<number> {
  const status = await runCli(args, {
    env,
    readFile: (path) => readFile(path, "utf8"),
    readStdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY,
  });
  process.exitCode = status;
  return status;
}

/** Whether this file is the program (Deno says so; Node before 24 does not, so compare paths). */
function isMain(): boolean {
  const flag = (import.meta as { main?: boolean }).main;
  if (typeof flag === "boolean") return flag;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) await main();
