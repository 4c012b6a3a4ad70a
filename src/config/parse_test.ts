import assert from "node:assert/strict";
import { MAX_DEPTH, parseYaml } from "./parse.ts";

const TEXT = `name: lab
network:
  cidr: 10.20.0.0/24
nodes:
  - name: a
    roles: [master, worker]
  - name: b
empty:
`;

Deno.test("parseYaml locates values and keys at 1-based line and column", () => {
  const parsed = parseYaml(TEXT);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.locate(["name"]), { line: 1, col: 7 });
  assert.deepEqual(parsed.locate(["network", "cidr"]), { line: 3, col: 9 });
  assert.deepEqual(parsed.locate(["network", "cidr"], { key: true }), { line: 3, col: 3 });
  assert.deepEqual(parsed.locate(["nodes", 1, "name"]), { line: 7, col: 11 });
  assert.deepEqual(parsed.locate(["nodes", 0, "roles", 1]), { line: 6, col: 21 });
});

Deno.test("parseYaml points a missing path at the deepest part that exists", () => {
  const parsed = parseYaml(TEXT);
  assert.equal(parsed.has(["nodes", 1, "roles"]), false);
  assert.deepEqual(parsed.locate(["nodes", 1, "roles"]), { line: 7, col: 5 });
  assert.deepEqual(parsed.locate(["empty", "x"]), { line: 8, col: 1 });
});

Deno.test("parseYaml reports syntax problems with positions and no data", () => {
  const parsed = parseYaml("a: 1\nb: [1, 2\n");
  assert.equal(parsed.data, undefined);
  assert.ok(parsed.problems.length > 0);
  // The parser notices the missing bracket only where the input ends; the report points at the bracket left open.
  assert.deepEqual(parsed.problems, [{
    code: "MISSING_CHAR",
    message: "this [ is never closed by a ]",
    line: 2,
    col: 4,
  }]);
});

Deno.test("parseYaml points an unclosed quote at its opening, and bad indentation at the misplaced key", () => {
  const quote = parseYaml('a: 1\nb: "x, # not a comment\nc: 2\n').problems;
  assert.deepEqual(quote.map((p) => [p.code, p.line, p.col]), [["MISSING_CHAR", 2, 4]]);
  const indent = parseYaml("a:\n  b: 1\n c: 2\n").problems;
  assert.deepEqual(indent.map((p) => [p.code, p.line, p.col]), [["BAD_INDENT", 3, 2]]);
});

Deno.test("parseYaml reports an alias without anchor at the alias", () => {
  const parsed = parseYaml("a: 1\nb: *nowhere\n");
  assert.deepEqual(parsed.problems.map((p) => [p.code, p.line, p.col]), [["BAD_ALIAS", 2, 4]]);
});

Deno.test("parseYaml refuses duplicate keys", () => {
  const parsed = parseYaml("a: 1\na: 2\n");
  assert.equal(parsed.problems[0].code, "DUPLICATE_KEY");
  assert.deepEqual({ line: parsed.problems[0].line, col: parsed.problems[0].col }, { line: 2, col: 1 });
});

Deno.test("parseYaml stops alias bombs instead of expanding them", () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) {
    const prev = String.fromCharCode(97 + i);
    const next = String.fromCharCode(98 + i);
    lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(",")}]`);
  }
  const parsed = parseYaml(lines.join("\n") + "\n");
  assert.equal(parsed.data, undefined);
  assert.ok(parsed.problems.length > 0);
});

Deno.test("parseYaml finds a repeated key in a map of many keys in linear time", () => {
  const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v`);
  const text = `labels:\n${keys.join("\n")}\n  k7: again\n`;
  const began = performance.now();
  const parsed = parseYaml(text);
  // The parser's own check compares every pair of keys: minutes here. Ours is one pass.
  assert.ok(performance.now() - began < 20_000, `took ${performance.now() - began} ms`);
  assert.deepEqual(parsed.problems.map((p) => [p.code, p.line, p.col]), [["DUPLICATE_KEY", 50_002, 3]]);
  assert.match(parsed.problems[0].message, /key "k7" appears twice/);
});

Deno.test("parseYaml tells apart keys of different types, and repeats in different maps", () => {
  assert.deepEqual(parseYaml('a: 1\n"1": x\n1: y\nb: {a: 1}\nc: {a: 2}\n').problems, []);
  assert.deepEqual(parseYaml("a: {x: 1, x: 2}\n").problems.map((p) => [p.code, p.line, p.col]), [[
    "DUPLICATE_KEY",
    1,
    11,
  ]]);
});

Deno.test("parseYaml refuses nesting deeper than MAX_DEPTH at the first level too deep, however deep it goes", () => {
  assert.deepEqual(parseYaml(`a: ${"[".repeat(MAX_DEPTH - 1)}${"]".repeat(MAX_DEPTH - 1)}\n`).problems, []);
  for (const depth of [MAX_DEPTH, 1_000, 100_000]) {
    const parsed = parseYaml(`a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
    assert.equal(parsed.data, undefined);
    // The root map is level 1; the list at column 4 is level 2, so level MAX_DEPTH + 1 opens at this column.
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.line, p.col]), [["TOO_DEEP", 1, MAX_DEPTH + 3]]);
  }
  const block = Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " 1\n";
  assert.deepEqual(parseYaml(block).problems.map((p) => [p.code, p.line]), [["TOO_DEEP", MAX_DEPTH + 1]]);
});

Deno.test("parseYaml refuses an alias inside the value its anchor names, which would make data contain itself", () => {
  for (const [text, line, col] of [["a: &x\n  b: *x\n", 2, 6], ["a: &x [1, [*x]]\n", 1, 12]] as const) {
    const parsed = parseYaml(text);
    assert.equal(parsed.data, undefined);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.line, p.col]), [["RECURSIVE_ALIAS", line, col]]);
  }
  // An alias after its anchored value is an ordinary copy.
  assert.deepEqual(parseYaml("a: &x [1]\nb: *x\n").data, { a: [1], b: [1] });
});

Deno.test("parseYaml refuses more than 50 aliases, at the first one too many", () => {
  const parsed = parseYaml(`v: &v 1\nl: [${Array(60).fill("*v").join(", ")}]\n`);
  assert.deepEqual(parsed.problems.map((p) => [p.code, p.line, p.col]), [["ALIAS_LIMIT", 2, 5 + 4 * 50]]);
});

Deno.test("parseYaml refuses keys that are not names: lists, maps, aliases, nothing", () => {
  const cases = [
    ["? [a, b]\n: c\n", 1, 3, "a list"],
    ["a: 1\n{b: 1}: 2\n", 2, 1, "a map"],
    [
      "a: &k b\n*k : c\n",
      2,
      1,
      "the alias *k",
    ],
    ["a: 1\n~: 2\n", 2, 1, "empty"],
    ['a: 1\n"": 2\n', 2, 1, "empty"],
  ] as const;
  for (const [text, line, col, kind] of cases) {
    assert.deepEqual(parseYaml(text).problems, [{
      code: "BAD_KEY",
      message: `keys are plain names; this one is ${kind}`,
      line,
      col,
    }], text);
  }
});

Deno.test("parseYaml tells a bracket closed on a line indented too little from one never closed", () => {
  const continued = parseYaml("a: 1\nb: [1,\n2]\nc: 3\n").problems;
  assert.deepEqual(continued.map((p) => [p.code, p.line, p.col]), [["BAD_INDENT", 3, 1]]);
  assert.match(continued[0].message, /continues the \[ opened on line 2/);
  const tab = parseYaml("a: 1\nb: [1,\n\t2]\n").problems;
  assert.deepEqual(tab.map((p) => [p.code, p.line, p.col]), [["BAD_INDENT", 3, 1]]);
  const unclosed = parseYaml("a: 1\nb: [1,\n2\nc: 3\n").problems;
  assert.deepEqual(unclosed.map((p) => [p.code, p.line, p.col]), [["MISSING_CHAR", 2, 4]]);
});
