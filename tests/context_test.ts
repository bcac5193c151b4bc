import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contextFromEnv, repoSlug, resolveContext } from "../lib/context.ts";
import type { Report } from "../lib/types.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const report: Report = {
  alerts: [],
  diffUrl: "",
  reportUrl: "",
  scanFailed: false,
  repo: "from/report",
  sha: "reportsha",
};

describe("resolveContext()", () => {
  it("takes flags first, then the report, then the CI environment", () => {
    const ci = env({
      GITHUB_REPOSITORY: "from/env",
      GITHUB_SHA: "envsha",
      GITHUB_REF: "refs/pull/12/merge",
    });
    assert.deepEqual(resolveContext({ repo: "from/flag" }, report, ci), {
      repo: "from/flag",
      branch: undefined,
      pr: "12",
      sha: "reportsha",
    });
    assert.deepEqual(resolveContext({}, undefined, ci).repo, "from/env");
  });

  it("ignores empty values", () => {
    assert.equal(resolveContext({ repo: "" }, { ...report, repo: " " }, env({})).repo, undefined);
  });
});

describe("contextFromEnv()", () => {
  it("reads GitHub Actions, with the PR number only from refs/pull/N/merge", () => {
    const base = { GITHUB_REPOSITORY: "o/r", GITHUB_SHA: "s", GITHUB_HEAD_REF: "feat" };
    assert.deepEqual(contextFromEnv(env({ ...base, GITHUB_REF: "refs/pull/7/merge" })), {
      repo: "o/r",
      sha: "s",
      pr: "7",
      branch: "feat",
    });
    assert.equal(contextFromEnv(env({ ...base, GITHUB_REF: "refs/heads/main" })).pr, undefined);
  });

  it("reads GitLab, Bitbucket and Buildkite", () => {
    assert.deepEqual(
      contextFromEnv(
        env({ CI_PROJECT_PATH: "g/p", CI_COMMIT_SHA: "a", CI_MERGE_REQUEST_IID: "3" }),
      ),
      { repo: "g/p", sha: "a", pr: "3", branch: undefined },
    );
    assert.deepEqual(
      contextFromEnv(
        env({ BITBUCKET_REPO_FULL_NAME: "b/r", BITBUCKET_COMMIT: "c", BITBUCKET_PR_ID: "9" }),
      ),
      { repo: "b/r", sha: "c", pr: "9", branch: undefined },
    );
    assert.deepEqual(
      contextFromEnv(env({
        BUILDKITE_REPO: "git@github.com:acme/web.git",
        BUILDKITE_COMMIT: "d",
        BUILDKITE_PULL_REQUEST: "false",
      })),
      { repo: "acme/web", sha: "d", pr: undefined, branch: undefined },
    );
  });

  it("repoSlug() turns repository URLs into owner/name", () => {
    assert.deepEqual(
      ["https://github.com/acme/web.git", "git@gitlab.com:group/sub/proj.git", "acme/web"].map(
        repoSlug,
      ),
      ["acme/web", "group/sub/proj", "acme/web"],
    );
  });
});
