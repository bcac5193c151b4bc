/**
 * Deterministic, seeded generators of large inputs shaped like the real
 * samples in `fixtures/samples/`: a Socket report of N alerts and a
 * `.socket.facts.json` of M components, whose packages overlap so that
 * reachability filters have work to do.
 *
 * As a command: `deno run --allow-write scripts/generate.ts ALERTS COMPONENTS DIR [SEED]`
 * writes `DIR/report.json` and `DIR/facts.json`.
 *
 * @module
 */

import { mkdir, writeFile } from "node:fs/promises";
import process from "node:process";

/** A small seeded PRNG (mulberry32), so every run generates the same bytes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const ALERT_TYPES: Array<[type: string, severity: string, title: string]> = [
  ["malware", "critical", "Known malware"],
  ["criticalCVE", "critical", "Critical CVE"],
  ["cve", "high", "High CVE"],
  ["mediumCVE", "middle", "Medium CVE"],
  ["didYouMean", "critical", "Possible typosquat attack"],
  ["installScripts", "middle", "Install scripts"],
  ["networkAccess", "middle", "Network access"],
  ["shellAccess", "middle", "Shell access"],
  ["usesEval", "middle", "Uses eval"],
  ["copyleftLicense", "low", "Copyleft License"],
];
const REACH = [
  "reachable",
  "unreachable",
  "unreachable",
  "error",
  "missing_support",
  "undeterminable_reachability",
];

/** Package `i` of the generated dependency tree (shared by the report and the facts file). */
function pkg(i: number): { type: string; namespace?: string; name: string; version: string } {
  const scoped = i % 7 === 0;
  return {
    type: "npm",
    ...(scoped ? { namespace: `@scope${i % 13}` } : {}),
    name: `package-${i}`,
    version: `${i % 5}.${i % 11}.${i % 3}`,
  };
}

function ghsa(i: number, j: number): string {
  const s = (i * 31 + j).toString(36).padStart(4, "0");
  return `GHSA-${s.slice(0, 4)}-${(i % 9973).toString(36).padStart(4, "x")}-${j}abc`;
}

/** A Socket report of `alerts` alerts over `packages` packages. */
export function generateReport(
  alerts: number,
  packages: number,
  seed = 1,
): Record<string, unknown> {
  const next = prng(seed);
  const newAlerts = [];
  for (let i = 0; i < alerts; i++) {
    const p = pkg(Math.floor(next() * packages));
    const [type, severity, title] = ALERT_TYPES[Math.floor(next() * ALERT_TYPES.length)];
    const name = p.namespace ? `${p.namespace}/${p.name}` : p.name;
    const direct = next() < 0.3;
    const manifest = next() < 0.8 ? "package.json" : `apps/app-${i % 20}/package.json`;
    const isCve = /CVE/i.test(type) || type === "cve";
    newAlerts.push({
      pkg_type: p.type,
      pkg_name: name,
      pkg_version: p.version,
      pkg_id: String(100000 + i),
      props: isCve
        ? { ghsaId: ghsa(Math.floor(next() * packages), 0), cveId: `CVE-2024-${10000 + i}` }
        : {},
      key: `alert-${i}`,
      type,
      severity,
      description: `${title} was found in ${name}`,
      title,
      suggestion: "Review the package before using it",
      next_step_title: `What is ${title.toLowerCase()}?`,
      introduced_by: [[direct ? "direct" : `npm/parent-${i % 97}@1.0.0`, manifest]],
      purl: `${name}@${p.version}`,
      url: `https://socket.dev/npm/package/${name}/overview/${p.version}`,
      manifests: manifest,
      error: severity === "critical",
      warn: severity !== "critical",
      monitor: false,
      ignore: false,
    });
  }
  return {
    scan_failed: true,
    new_alerts: newAlerts,
    full_scan_id: "00000000-0000-4000-8000-000000000000",
    diff_url: "https://socket.dev/dashboard/org/acme/diff/1/2",
    report_url: "https://socket.dev/dashboard/org/acme/diff/1/2",
    repo: "acme/monorepo",
    branch: "feature/big",
    commit_sha: "0123456789abcdef0123456789abcdef01234567",
    legal_mode: false,
  };
}

function frame(next: () => number, first: boolean): Record<string, unknown> {
  const line = 1 + Math.floor(next() * 900);
  return {
    package: first ? "monorepo-app" : `package-${Math.floor(next() * 5000)}`,
    sourceLocation: {
      start: { line, column: 1 + Math.floor(next() * 40) },
      end: { line: line + (next() < 0.3 ? 4 : 0), column: 1 + Math.floor(next() * 80) },
      filename: first
        ? `src/module-${Math.floor(next() * 300)}.js`
        : `lib/file-${Math.floor(next() * 50)}.js`,
    },
    confidence: Math.round(next() * 1000) / 1000,
  };
}

/** A `.socket.facts.json` of `components` components; about one in four has vulnerabilities. */
export function generateFacts(components: number, seed = 2): Record<string, unknown> {
  const next = prng(seed);
  const list = [];
  for (let i = 0; i < components; i++) {
    const p = pkg(i);
    const component: Record<string, unknown> = {
      direct: next() < 0.2,
      dev: next() < 0.3,
      dead: false,
      id: String(10_000_000 + i),
      dependencies: Array.from(
        { length: Math.floor(next() * 4) },
        () => String(10_000_000 + Math.floor(next() * components)),
      ),
      manifestFiles: [{ file: "package-lock.json", start: i * 300, end: i * 300 + 280 }],
      files: `Q${(i * 7919).toString(36)}`,
      toplevelAncestors: [String(10_000_000 + (i % 500))],
      ...p,
    };
    if (next() < 0.25) {
      const vulns = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, j) => ({
        ghsaId: ghsa(i, j),
        range: `<${p.version}9`,
        ...(next() < 0.4
          ? { severity: ["LOW", "MODERATE", "HIGH", "CRITICAL"][Math.floor(next() * 4)] }
          : {}),
        reachabilityData: {
          publicComment: "",
          pattern: [`call <${p.name}>()`],
          undeterminableReachability: false,
        },
      }));
      component.vulnerabilities = vulns;
      component.reachability = vulns.filter(() => next() < 0.85).map((v) => {
        const type = REACH[Math.floor(next() * REACH.length)];
        const item: Record<string, unknown> = { type, workspacePath: ".", subprojectPath: "." };
        if (type === "reachable") {
          item.analysisLevel = "function-level";
          item.matches = Array.from(
            { length: 1 + Math.floor(next() * 2) },
            () =>
              Array.from({ length: 2 + Math.floor(next() * 4) }, (_, f) => frame(next, f === 0)),
          );
        }
        return { ghsa_id: v.ghsaId, reachability: [item] };
      });
    }
    list.push(component);
  }
  return { components: list, tier1ReachabilityScanId: "00000000-0000-4000-8000-000000000001" };
}

// Runtime-neutral like the library: the tests that use these generators also run compiled under Node.
if ((import.meta as { main?: boolean }).main) {
  const [alerts, components, dir, seed] = process.argv.slice(2);
  if (!alerts || !components || !dir) {
    console.error("Usage: deno run --allow-write scripts/generate.ts ALERTS COMPONENTS DIR [SEED]");
    process.exit(2);
  }
  const s = Number(seed ?? 1);
  await mkdir(dir, { recursive: true });
  await writeFile(
    `${dir}/report.json`,
    JSON.stringify(generateReport(Number(alerts), Number(components), s)),
  );
  await writeFile(`${dir}/facts.json`, JSON.stringify(generateFacts(Number(components), s + 1)));
  console.log(`wrote ${dir}/report.json and ${dir}/facts.json`);
}
