#!/usr/bin/env node
/**
 * The `slack-notify` command: posts Socket Security scan results to Slack.
 *
 * @example Preview the messages for a report
 * ```sh
 * deno run --allow-read --allow-env cli.ts --slack-webhook https://hooks.slack.com/services/T0/B0/X \
 *   --report socket-report.json --dry-run
 * ```
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import process from "node:process";
import { runCli } from "./lib/cli.ts";

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function env(name: string): string | undefined {
  try {
    return process.env[name];
  } catch {
    // Deno without --allow-env for this variable: treat it as unset.
    return undefined;
  }
}

// Node before 24 has no import.meta.main: there this file only ever runs as the program.
if (import.meta.main !== false) {
  const status = await runCli(process.argv.slice(2), {
    env,
    readFile: (path) => readFile(path, "utf8"),
    readStdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY,
  });
  process.exitCode = status;
}
