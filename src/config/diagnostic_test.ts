import assert from "node:assert/strict";
import { type Diagnostic, formatDiagnostic } from "./diagnostic.ts";

const at = (line: number, col: number): Diagnostic => ({
  severity: "error",
  code: "x",
  file: "c.yaml",
  line,
  col,
  message: "wrong",
});

Deno.test("formatDiagnostic quotes the line with a caret under the column", () => {
  const sources = new Map([["c.yaml", "a: 1\r\nbb: [1, x]\r\n"]]);
  assert.equal(formatDiagnostic(at(2, 9), { sources }), "c.yaml:2:9: error: wrong\n  bb: [1, x]\n          ^");
});

Deno.test("formatDiagnostic quotes a window of a very long line, the caret still under the column", () => {
  const line = "a".repeat(5_000) + "X" + "b".repeat(5_000);
  const sources = new Map([["c.yaml", `k: ${line}\n`]]);
  const [, quoted, caret] = formatDiagnostic(at(1, 5_004), { sources }).split("\n");
  assert.ok(quoted.length < 120, `${quoted.length} characters quoted`);
  assert.match(quoted, /^ {2}…a+Xb+…$/);
  assert.equal(quoted[caret.indexOf("^")], "X");
});

Deno.test("formatDiagnostic stays fast for thousands of problems in one big file", () => {
  const text = Array.from({ length: 100_000 }, (_, i) => `k${i}: v`).join("\n");
  const sources = new Map([["c.yaml", text]]);
  const began = performance.now();
  for (let line = 1; line <= 100_000; line += 10) {
    assert.ok(formatDiagnostic(at(line, 1), { sources }).includes(`k${line - 1}: v`));
  }
  // Splitting the text for each of these 10,000 problems takes minutes.
  assert.ok(performance.now() - began < 10_000, `took ${performance.now() - began} ms`);
});

Deno.test("formatDiagnostic writes control characters as escapes, and marks them in the quoted line", () => {
  const d = { ...at(1, 8), file: "nodes/a\x1b[2J\n.yaml", message: "bad \x07 value", hint: "\x9b31m" };
  const sources = new Map([[d.file, "k: \x1b[31mred\x1b[0m\n"]]);
  const text = formatDiagnostic(d, { sources });
  // deno-lint-ignore no-control-regex -- control characters are what this looks for
  assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  assert.equal(
    text,
    "nodes/a\\x1b[2J\\n.yaml:1:8: error: bad \\x07 value\n  k: \uFFFD[31mred\uFFFD[0m\n         ^\n  hint: \\x9b31m",
  );
});
