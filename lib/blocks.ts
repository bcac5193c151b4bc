/**
 * The Slack messages, block for block: the diff message (new alerts of the
 * report) and the reachability message (findings of the facts file), split
 * into parts so that no message has more than 50 blocks.
 *
 * @module
 */

import { escape, escapeLine, link, truncate } from "./mrkdwn.ts";
import type { Alert, Block, Context, Finding, Message, SectionBlock, Severity } from "./types.ts";

/** Slack's limit of blocks per message. */
export const MAX_BLOCKS = 50;

/** A section block; its text is cut to Slack's 3000-character limit. */
export function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text) } };
}

const DIVIDER: Block = { type: "divider" };

/** ` for PR {pr} - {sha[0..8]}`, each clause only when known; values escaped. */
export function titlePart(context: Context): string {
  let part = "";
  // A PR is a number; a longer value is cut so the header keeps its part suffix within 3000 characters.
  if (context.pr) part += ` for PR ${escapeLine(context.pr.slice(0, 32))}`;
  if (context.sha) part += ` - ${escapeLine(context.sha.slice(0, 8))}`;
  return part;
}

function partSuffix(part: number, parts: number): string {
  return parts > 1 ? ` (part ${part}/${parts})` : "";
}

/** A message's content before splitting: what each part needs. */
interface Layout {
  /** Header blocks of part i of n. */
  header(part: number, parts: number): Block[];
  /** Blocks that follow the header of part 1 only (the summary). */
  lead: Block[];
  /** Sections that must stay in order, each followed by a divider (an alert, a finding). */
  items: SectionBlock[];
  /** Blocks that end the last part (footer, link). */
  tail: Block[];
  /** Notification text of part i of n. */
  text(part: number, parts: number): string;
}

/**
 * Splits a layout into messages of at most {@link MAX_BLOCKS} blocks, never
 * dropping or reordering an item. Every part repeats the header; the lead
 * goes in part 1 and the tail in the last part.
 */
function split(layout: Layout): Message[] {
  const headerSize = layout.header(1, 1).length;
  const room = MAX_BLOCKS - headerSize;
  // First how many items each part takes, then the parts: a plain count keeps this linear and lean.
  const perPart: number[] = [];
  let used = layout.lead.length;
  let count = 0;
  for (let i = 0; i < layout.items.length; i++) {
    if (used + 2 > room) {
      perPart.push(count);
      used = count = 0;
    }
    used += 2;
    count++;
  }
  perPart.push(count);
  // The tail goes in the last part, or in a part of its own when it does not fit; rather than leave it
  // alone there, one item moves along with it.
  if (used + layout.tail.length > room) {
    const moved = count > 1 && 2 + layout.tail.length <= room ? 1 : 0;
    perPart[perPart.length - 1] -= moved;
    perPart.push(moved);
  }
  const n = perPart.length;
  const messages: Message[] = [];
  let next = 0;
  perPart.forEach((items, i) => {
    const blocks: Block[] = [...layout.header(i + 1, n)];
    if (i === 0) blocks.push(...layout.lead);
    for (const end = next + items; next < end; next++) blocks.push(layout.items[next], DIVIDER);
    if (i === n - 1) blocks.push(...layout.tail);
    messages.push({ text: layout.text(i + 1, n), blocks });
  });
  return messages;
}

/**
 * A value inside a code span or block: escaped, with backticks replaced by a
 * look-alike so an attacker's name cannot close the span and format what follows.
 */
function codeText(value: string, oneLine = true): string {
  const escaped = oneLine ? escapeLine(value) : escape(value);
  return escaped.includes("`") ? escaped.replaceAll("`", "ˋ") : escaped;
}

/** Distinct values in first-seen order, each in its own code span; an empty span when none. */
function codeSpans(values: string[]): string {
  if (values.length === 1) return `\`${codeText(values[0])}\``;
  const distinct = [...new Set(values)];
  if (distinct.length === 0) return "``";
  return distinct.map((v) => `\`${codeText(v)}\``).join(", ");
}

/**
 * Sections already built, per alert and per finding: destinations that filter
 * differently still share most of them, and a section depends on nothing else.
 */
const alertSections = new WeakMap<Alert, SectionBlock>();
const findingSections = new WeakMap<Finding, SectionBlock>();

/** The section of one diff alert. */
export function alertSection(alert: Alert): SectionBlock {
  let block = alertSections.get(alert);
  if (!block) alertSections.set(alert, block = buildAlertSection(alert));
  return block;
}

function buildAlertSection(alert: Alert): SectionBlock {
  return section(
    `*${escapeLine(alert.title)}*\n` +
      `${link(alert.url, escapeLine(alert.purl))}\n` +
      `*Introduced by:* ${codeSpans(alert.introducedBy.map(([source]) => source))}\n` +
      `*Manifest:* ${codeSpans(alert.introducedBy.map(([, manifest]) => manifest))}\n` +
      `*CI Status:* ${alert.error ? "Block" : "Warn"}`,
  );
}

/** What a message needs besides its alerts or findings. */
export interface MessageContext {
  /** Repository, PR and commit. */
  context: Context;
  /** Link to the scan diff; empty when none. */
  diffUrl: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The diff message for `alerts` (already filtered for a destination), split
 * into parts of at most 24 alerts. Empty when there is no alert.
 */
export function buildDiffMessages(
  alerts: readonly Alert[],
  { context, diffUrl }: MessageContext,
): Message[] {
  if (alerts.length === 0) return [];
  const title = titlePart(context);
  const scan = link(diffUrl, "scan");
  const scanText = scan === "scan" ? "scan" : `*${scan}*`;
  const where = context.repo ? ` in ${escapeLine(context.repo.slice(0, 200))}` : "";
  return split({
    header: (part, parts) => [
      section(
        `*Socket Security issues were found in this ${scanText}${title}*${partSuffix(part, parts)}`,
      ),
      DIVIDER,
    ],
    lead: [],
    items: alerts.map(alertSection),
    tail: [],
    text: (part, parts) =>
      truncate(
        `Socket Security: ${plural(alerts.length, "alert")}${where}${title}${
          partSuffix(part, parts)
        }`,
      ),
  });
}

const SEVERITY_ORDER: Severity[] = ["critical", "high", "medium", "low"];
const EMOJI: Record<Severity, string> = { critical: "🔴", high: "🟠", medium: "🟡", low: "⚪" };
const INDICATOR: Record<Finding["state"], string> = {
  reachable: "🎯 *Reachable*",
  unreachable: "✓ *Unreachable*",
  unknown: "❓ *Unknown*",
  error: "⚠️ *Error*",
};

/** Which findings a destination shows, and how many it does not. */
export interface Selection {
  /** Shown, in display order. */
  shown: Finding[];
  /** Unreachable findings (never shown). */
  unreachable: number;
  /** Findings that qualified but were over `max_findings`, or did not qualify otherwise. */
  overLimit: number;
}

function bySeverity(findings: Finding[]): Finding[] {
  return findings.sort((a, b) =>
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
  );
}

/**
 * Selects the findings to show: every reachable one, then unknown and error
 * ones of critical or high severity, each group by severity (ties in input
 * order), at most `max`. The rest is counted, disjointly.
 */
export function selectFindings(findings: readonly Finding[], max: number): Selection {
  const reachable: Finding[] = [];
  const uncertain: Finding[] = [];
  let unreachable = 0;
  for (const f of findings) {
    if (f.state === "reachable") reachable.push(f);
    else if (f.state === "unreachable") unreachable++;
    else if (f.severity === "critical" || f.severity === "high") uncertain.push(f);
  }
  const shown = [...bySeverity(reachable), ...bySeverity(uncertain)].slice(0, max);
  return { shown, unreachable, overLimit: findings.length - shown.length - unreachable };
}

/** The section of one reachability finding. */
export function findingSection(finding: Finding): SectionBlock {
  let block = findingSections.get(finding);
  if (!block) findingSections.set(finding, block = buildFindingSection(finding));
  return block;
}

function buildFindingSection(finding: Finding): SectionBlock {
  let text = `*Package:* \`${codeText(finding.purl)}\`\n\n${INDICATOR[finding.state]}\n` +
    `${EMOJI[finding.severity]} *${escapeLine(finding.id)}*: ${finding.severity.toUpperCase()}`;
  if (finding.state === "reachable" && finding.trace) {
    const lines = finding.trace.split("\n").filter((line) => line.trim() !== "");
    if (lines.length > 0) {
      text += "\n```\n" + lines.map((line) => `  ${codeText(line, false)}`).join("\n") + "\n```";
    }
  }
  return section(text);
}

function summaryText(findings: readonly Finding[]): string {
  // One pass: a monorepo's facts hold tens of thousands of findings.
  let [critical, high, medium, low, reachable, unreachable] = [0, 0, 0, 0, 0, 0];
  for (const f of findings) {
    if (f.severity === "critical") critical++;
    else if (f.severity === "high") high++;
    else if (f.severity === "medium") medium++;
    else low++;
    if (f.state === "reachable") reachable++;
    else if (f.state === "unreachable") unreachable++;
  }
  return `🔴 Critical: ${critical} | 🟠 High: ${high} | 🟡 Medium: ${medium} | ` +
    `⚪ Low: ${low}\n\n🎯 Reachable: ${reachable} | ✓ Unreachable: ${unreachable}`;
}

/** ` ({u} unreachable, {o} over the limit of {max})`, leaving out zero clauses. */
function notShownText(selection: Selection, max: number): string {
  const total = selection.unreachable + selection.overLimit;
  const clauses: string[] = [];
  if (selection.unreachable > 0) clauses.push(`${selection.unreachable} unreachable`);
  if (selection.overLimit > 0) clauses.push(`${selection.overLimit} over the limit of ${max}`);
  return `⚠️ *${total} findings not shown*${clauses.length ? ` (${clauses.join(", ")})` : ""}`;
}

/** Options of {@link buildReachabilityMessages}. */
export interface ReachabilityOptions extends MessageContext {
  /** Findings shown at most. */
  maxFindings: number;
}

/**
 * The reachability message for `findings` (already filtered for a
 * destination), split into parts. Empty when there is no finding.
 */
export function buildReachabilityMessages(
  findings: readonly Finding[],
  { context, diffUrl, maxFindings }: ReachabilityOptions,
): Message[] {
  if (findings.length === 0) return [];
  const title = titlePart(context);
  const selection = selectFindings(findings, maxFindings);
  const tail: Block[] = [];
  if (selection.unreachable + selection.overLimit > 0) {
    tail.push(section(notShownText(selection, maxFindings)));
  }
  const report = link(diffUrl, "View full report ");
  if (report !== "View full report ") tail.push(section(report));
  const reached = findings.filter((f) => f.state === "reachable").length;
  return split({
    header: (
      part,
      parts,
    ) => [section(`*Socket Reachability Analysis*${title}${partSuffix(part, parts)}`), DIVIDER],
    lead: [section(summaryText(findings)), DIVIDER],
    items: selection.shown.map(findingSection),
    tail,
    text: (part, parts) =>
      truncate(
        `Socket Reachability Analysis: ${reached} reachable of ${
          plural(findings.length, "finding")
        }${title}` +
          partSuffix(part, parts),
      ),
  });
}
