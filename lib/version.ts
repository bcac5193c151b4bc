/**
 * The module's version, kept equal to `deno.json` by a test.
 *
 * @module
 */

/** Version of `@socket/slack-notify`. */
export const VERSION = "0.1.0";
