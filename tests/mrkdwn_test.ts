import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escape, escapeLine, isHttpUrl, link, truncate } from "../lib/mrkdwn.ts";

describe("escape()", () => {
  it("turns Slack's three control characters into entities", () => {
    assert.equal(escape("<!channel> & <@U123>"), "&lt;!channel&gt; &amp; &lt;@U123&gt;");
  });

  it("escapes already-escaped text again, so it shows as typed", () => {
    assert.equal(escape("&lt;"), "&amp;lt;");
  });

  it("replaces lone surrogates and keeps pairs", () => {
    assert.equal(escape("a\ud800b😀"), "a\ufffdb😀");
  });

  it("escapeLine() also folds line breaks", () => {
    assert.equal(escapeLine("a\nb\r\nc\u2028d"), "a b c d");
  });
});

describe("link()", () => {
  it("links only http(s) URLs", () => {
    assert.equal(link("https://socket.dev/x", "x"), "<https://socket.dev/x|x>");
    assert.equal(link("javascript:alert(1)", "x"), "x");
    assert.equal(link("", "x"), "x");
    assert.equal(isHttpUrl("HTTP://a.b/"), true);
  });

  it("percent-encodes what could end the link early", () => {
    assert.equal(link("https://a.b/p|q>r<s t", "x"), "<https://a.b/p%7Cq%3Er%3Cs%20t|x>");
    assert.equal(link("https://a.b/?a=1&b=2\u202e", "x"), "<https://a.b/?a=1&amp;b=2%E2%80%AE|x>");
  });
});

describe("truncate()", () => {
  it("leaves short text alone", () => {
    assert.equal(truncate("abc", 10), "abc");
  });

  it("cuts at a line boundary and ends with …", () => {
    const out = truncate("line one\nline two\nline three", 20);
    assert.equal(out, "line one\nline two\n…");
    assert.ok(out.length <= 20);
  });

  it("never cuts inside an escape entity or a surrogate pair", () => {
    assert.equal(truncate("abcd&amp;efgh", 7), "abcd…");
    assert.equal(truncate("abcde😀fgh", 7), "abcde…");
  });

  it("never exceeds the limit, whatever the text", () => {
    for (
      const text of ["x".repeat(5000), "a\n".repeat(3000), "&amp;".repeat(1000), "😀".repeat(2000)]
    ) {
      assert.ok(truncate(text).length <= 3000);
    }
  });
});
