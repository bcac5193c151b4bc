/**
 * Slack mrkdwn safety: escaping untrusted values, emitting links only for
 * http(s) URLs, and cutting long texts without breaking an escape entity.
 *
 * Package names, versions, titles and traces come from whoever published a
 * dependency, so every such value goes through {@link escape} before it is
 * put in a message.
 *
 * @module
 */

/**
 * Escapes a value for mrkdwn: Slack's three control characters become
 * entities, so `<!channel>` shows as text and pings nobody. Lone surrogates
 * become U+FFFD so the payload is always valid UTF-8.
 */
export function escape(value: string): string {
  // Most values need nothing: test first, which is far cheaper than replacing (messages hold thousands).
  if (!NEEDS_ESCAPE.test(value)) return value;
  return toWellFormed(value).replace(
    /[&<>]/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;",
  );
}

const NEEDS_ESCAPE = /[&<>\ud800-\udfff]/;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\u0085\v\f]/g;
const HAS_LINE_BREAK = /[\r\n\u2028\u2029\u0085\v\f]/;

/** Escapes a value that must stay on one line (titles, names): line breaks become spaces. */
export function escapeLine(value: string): string {
  return escape(HAS_LINE_BREAK.test(value) ? value.replace(LINE_BREAK, " ") : value);
}

function toWellFormed(value: string): string {
  // String.prototype.toWellFormed exists on current runtimes; the fallback keeps older ones working.
  const native = (value as { toWellFormed?: () => string }).toWellFormed;
  if (native) return native.call(value);
  return value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    "\ufffd",
  );
}

/**
 * True for an absolute http or https URL with a host. A pattern, not `new URL`:
 * it runs for every alert, and whatever follows the host is encoded by {@link link}.
 */
export function isHttpUrl(value: string): boolean {
  return HTTP_URL.test(value);
}

const HTTP_URL = /^https?:\/\/[^\s/?#<>|\\]+/i;

/**
 * The URL part of a mrkdwn link: `|`, `<`, `>`, white space, control and
 * invisible format characters percent-encoded so the URL cannot end the link
 * early or hide its target; `&` escaped like everywhere else in mrkdwn.
 */
function linkTarget(url: string): string {
  if (!LINK_UNSAFE.test(url)) return url;
  return toWellFormed(url).replace(/[|<>\s\p{Cc}\p{Cf}]/gu, (c) => encodeURIComponent(c))
    .replaceAll("&", "&amp;");
}

const LINK_UNSAFE = /[|<>&\s\p{Cc}\p{Cf}\ud800-\udfff]/u;

/**
 * A mrkdwn link `<url|label>` when `url` is http(s) (and of a sane
 * length); otherwise the label alone. `label` must already be escaped.
 */
export function link(url: string, label: string): string {
  if (!isHttpUrl(url)) return label;
  const target = linkTarget(url);
  // A link too long to be real would be cut by the section limit and leave a dangling `<`.
  return target.length <= MAX_LINK_TARGET ? `<${target}|${label}>` : label;
}

/** Longest link target emitted; Socket's URLs are far shorter. */
export const MAX_LINK_TARGET = 1000;

/** Slack's limit for the text of a section block. */
export const SECTION_TEXT_LIMIT = 3000;

/**
 * Cuts `text` to at most `limit` characters (UTF-16 code units, which never
 * undercounts Slack's characters). It keeps whole lines when it can and ends
 * with `…`; it never cuts inside an escape entity or a surrogate pair.
 */
export function truncate(text: string, limit: number = SECTION_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const room = limit - 1; // for the ellipsis
  const lineEnd = text.lastIndexOf("\n", room - 1);
  // The newline itself stays, so the ellipsis stands on a line of its own.
  if (lineEnd > 0) return text.slice(0, lineEnd + 1) + "…";
  let cut = room;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  const amp = text.lastIndexOf("&", cut - 1);
  if (amp >= 0 && amp >= cut - 4 && text.indexOf(";", amp) >= cut) cut = amp;
  return text.slice(0, cut) + "…";
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
