/**
 * The error classes of the module. Each carries structured fields so callers
 * can react without parsing messages, and none ever holds a secret.
 *
 * @module
 */

/** One problem found while validating input, located by a JSON path. */
export interface Problem {
  /** JSON path of the offending value, e.g. `bot_configs[1].channels`; empty for the whole document. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

/** Formats problems one per line, prefixed by their JSON path. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.path ? `${p.path}: ` : ""}${p.message}`).join("\n");
}

/** Formats problems on one line, `path: message; path: message`. */
export function summarizeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}

/** The Slack configuration is invalid: nothing is sent. */
export class ConfigError extends Error {
  /** Where the configuration came from (`--config FILE`, `SOCKET_SLACK_CONFIG_JSON`, …). */
  readonly source: string;
  /** Every problem found. */
  readonly problems: readonly Problem[];
  /** Warnings found along the way (unknown keys, with suggestions): often the cause of a problem. */
  readonly warnings: readonly string[];

  /** Creates the error from the problems found in `source`. */
  constructor(
    source: string,
    problems: readonly Problem[],
    options?: ErrorOptions & { warnings?: readonly string[] },
  ) {
    super(
      `Invalid Slack configuration in ${source}:\n${formatProblems(problems)}\n` +
        "Fix the configuration (see the README's configuration reference) and run again",
      options,
    );
    this.name = "ConfigError";
    this.source = source;
    this.problems = problems;
    this.warnings = options?.warnings ?? [];
  }
}

/** An input file (report, facts) is unreadable or malformed: nothing is sent. */
export class InputError extends Error {
  /** The file (or `stdin`) the problem is in. */
  readonly file: string;
  /** Every problem found. */
  readonly problems: readonly Problem[];

  /**
   * Creates the error from the problems found in `file`. With `headline`,
   * the message is that one line and the hint (for a file that cannot be read at all).
   */
  constructor(
    file: string,
    problems: readonly Problem[],
    hint: string,
    options?: ErrorOptions & { headline?: string },
  ) {
    super(
      options?.headline
        ? `${options.headline}\n${hint}`
        : `Invalid input in ${file}:\n${formatProblems(problems)}\n${hint}`,
      options,
    );
    this.name = "InputError";
    this.file = file;
    this.problems = problems;
  }
}

/** The command line is wrong: unknown option, missing value, missing input. */
export class UsageError extends Error {
  /** Creates the error; `message` says what is wrong and what to do. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}
