/**
 * The scan's context (repository, branch, pull request, commit): command-line
 * flags first, then the report, then the CI environment.
 *
 * @module
 */

import type { Context, Report } from "./types.ts";

/** Reads one environment variable; undefined when unset or unreadable. */
export type EnvLookup = (name: string) => string | undefined;

/** Variables each supported CI sets, in the order they are tried. */
const CI_SOURCES: Array<{ repo: string; sha: string; pr: string; branch: string[] }> = [
  {
    repo: "GITHUB_REPOSITORY",
    sha: "GITHUB_SHA",
    pr: "GITHUB_REF",
    branch: ["GITHUB_HEAD_REF", "GITHUB_REF_NAME"],
  },
  {
    repo: "CI_PROJECT_PATH",
    sha: "CI_COMMIT_SHA",
    pr: "CI_MERGE_REQUEST_IID",
    branch: ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_REF_NAME"],
  },
  {
    repo: "BITBUCKET_REPO_FULL_NAME",
    sha: "BITBUCKET_COMMIT",
    pr: "BITBUCKET_PR_ID",
    branch: ["BITBUCKET_BRANCH"],
  },
  {
    repo: "BUILDKITE_REPO",
    sha: "BUILDKITE_COMMIT",
    pr: "BUILDKITE_PULL_REQUEST",
    branch: ["BUILDKITE_BRANCH"],
  },
];

/** The `owner/name` slug of a repository URL (`git@github.com:owner/name.git`, `https://…/owner/name`). */
export function repoSlug(value: string): string {
  const trimmed = value.trim().replace(/\.git$/, "").replace(/\/+$/, "");
  const match = /^(?:[a-z+]+:\/\/[^/]+\/|[^@/\s]+@[^:/\s]+:)(.+)$/i.exec(trimmed);
  return match ? match[1] : trimmed;
}

function prNumber(name: string, value: string): string | undefined {
  if (name === "GITHUB_REF") return /^refs\/pull\/(\d+)\//.exec(value)?.[1];
  // Buildkite writes "false" when the build is not for a pull request.
  if (value === "false") return undefined;
  return /^\d+$/.test(value.trim()) ? value.trim() : undefined;
}

/** The context found in the CI environment, from the first CI whose variables are set. */
export function contextFromEnv(env: EnvLookup): Context {
  for (const ci of CI_SOURCES) {
    const repo = env(ci.repo);
    const sha = env(ci.sha);
    if (!repo && !sha) continue;
    const prValue = env(ci.pr);
    const branch = ci.branch.map((name) => env(name)).find((v) => v);
    return {
      repo: repo ? (ci.repo === "BUILDKITE_REPO" ? repoSlug(repo) : repo) : undefined,
      sha: sha || undefined,
      pr: prValue ? prNumber(ci.pr, prValue) : undefined,
      branch: branch || undefined,
    };
  }
  return {};
}

/** Merges the context sources: flags, then the report, then the environment. */
export function resolveContext(
  flags: Context,
  report: Report | undefined,
  env: EnvLookup,
): Context {
  const fromEnv = contextFromEnv(env);
  const fromReport: Context = { repo: report?.repo, branch: report?.branch, sha: report?.sha };
  const pick = (key: keyof Context): string | undefined =>
    nonEmpty(flags[key]) ?? nonEmpty(fromReport[key]) ?? nonEmpty(fromEnv[key]);
  return { repo: pick("repo"), branch: pick("branch"), pr: pick("pr"), sha: pick("sha") };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
