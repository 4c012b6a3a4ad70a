/**
 * Broken configurations, one per directory of tests/fixtures/bad/: each overlays a copy of configs/ with its files,
 * deletes the files its expect.json lists under `remove`, and names the diagnostics validation must report, each at
 * file:line:col with its code. Every case must also make `boot` refuse (exit 2) without writing anything.
 *
 * @module
 */
import assert from "node:assert/strict";
import { clusterboot, copyTree, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";

const FIXTURES = new URL("./fixtures/bad/", import.meta.url).pathname;
const EXPECT_FILE = "expect.json";
const MIN_FIXTURES = 45;

interface ExpectedDiagnostic {
  /** Relative to the config directory. */
  file: string;
  line: number;
  col: number;
  code: string;
}

interface Expectation {
  description: string;
  remove?: string[];
  diagnostics: ExpectedDiagnostic[];
}

interface JsonDiagnostic {
  severity: string;
  code: string;
  file: string;
  line: number;
  col: number;
  message: string;
}

const CASES = [...Deno.readDirSync(FIXTURES)].filter((entry) => entry.isDirectory).map((entry) => entry.name).sort();

/** A stack trace line as V8 prints it. */
const STACK_LINE = /^ {4}at /m;

async function readExpectation(name: string): Promise<Expectation> {
  const expect = JSON.parse(await Deno.readTextFile(`${FIXTURES}${name}/${EXPECT_FILE}`)) as Expectation;
  assert.equal(typeof expect.description, "string", `${name}: expect.json needs a description`);
  assert.ok(expect.description.trim() !== "", `${name}: empty description`);
  assert.ok(Array.isArray(expect.diagnostics) && expect.diagnostics.length > 0, `${name}: no expected diagnostics`);
  for (const d of expect.diagnostics) {
    assert.equal(typeof d.file, "string", `${name}: diagnostic without file`);
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `${name}: bad line in ${JSON.stringify(d)}`);
    assert.ok(Number.isInteger(d.col) && d.col >= 1, `${name}: bad col in ${JSON.stringify(d)}`);
    assert.equal(typeof d.code, "string", `${name}: diagnostic without code`);
  }
  assert.ok(expect.remove === undefined || Array.isArray(expect.remove), `${name}: remove must be a list`);
  return expect;
}

/** Copies configs/ to `dir`, lays the fixture's files over it and deletes the files it removes. */
async function buildConfig(name: string, expect: Expectation, dir: string): Promise<void> {
  await copyTree(EXAMPLE_CONFIG, dir);
  const overlay = (await listTree(`${FIXTURES}${name}`)).map((path) => path.slice(1)).filter((path) =>
    path !== EXPECT_FILE
  );
  for (const rel of overlay) {
    const target = `${dir}/${rel}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${FIXTURES}${name}/${rel}`, target);
  }
  for (const rel of expect.remove ?? []) {
    assert.ok(!overlay.includes(rel), `${name}: ${rel} is both overlaid and removed`);
    // A removal of a file that is not there would test nothing.
    await Deno.remove(`${dir}/${rel}`);
  }
  assert.ok(overlay.length > 0 || (expect.remove ?? []).length > 0, `${name}: the fixture changes nothing`);
}

function describe(diagnostics: readonly JsonDiagnostic[], dir: string): string {
  return diagnostics.map((d) =>
    `  ${d.file.startsWith(`${dir}/`) ? d.file.slice(dir.length + 1) : d.file}:${d.line}:${d.col} ${d.severity} ` +
    `${d.code}: ${d.message}`
  ).join("\n");
}

for (const name of CASES) {
  Deno.test(`bad config ${name}`, async () => {
    const expect = await readExpectation(name);
    await using tmp = await tempDir("clusterboot-bad-");
    const config = `${tmp.path}/config`;
    const root = `${tmp.path}/root`;
    await buildConfig(name, expect, config);
    await Deno.mkdir(root);

    const [json, human, boot] = await Promise.all([
      clusterboot(["validate", "--config", config, "--json"]),
      clusterboot(["validate", "--config", config]),
      clusterboot(["boot", "--config", config, "--root", root, "--node", "master-01", "--no-activate"]),
    ]);

    // validate --json: exit 2, and every expected diagnostic at its place.
    assert.equal(json.code, 2, `validate --json exited ${json.code}\nstdout:\n${json.stdout}\nstderr:\n${json.stderr}`);
    let report: { valid: boolean; diagnostics: JsonDiagnostic[] };
    try {
      report = JSON.parse(json.stdout);
    } catch (error) {
      throw new Error(`validate --json printed no JSON (${error})\nstdout:\n${json.stdout}\nstderr:\n${json.stderr}`);
    }
    assert.equal(report.valid, false);
    assert.ok(Array.isArray(report.diagnostics), "diagnostics is not a list");
    for (const want of expect.diagnostics) {
      const file = `${config}/${want.file}`;
      const found = report.diagnostics.some((d) =>
        d.file === file && d.line === want.line && d.col === want.col && d.code === want.code
      );
      assert.ok(
        found,
        `${name} (${expect.description}): expected ${want.file}:${want.line}:${want.col} ${want.code}; got:\n` +
          describe(report.diagnostics, config),
      );
    }

    // validate (for people): exit 2, the first expected problem at file:line:col, no stack trace.
    const first = expect.diagnostics[0];
    const where = `${config}/${first.file}:${first.line}:${first.col}:`;
    assert.equal(human.code, 2, `validate exited ${human.code}\nstdout:\n${human.stdout}\nstderr:\n${human.stderr}`);
    assert.ok(human.stdout.includes(where), `validate does not print ${where}\nstdout:\n${human.stdout}`);
    assert.doesNotMatch(human.stdout, STACK_LINE);
    assert.doesNotMatch(human.stderr, STACK_LINE);

    // boot: refuses with exit 2 and writes nothing under the root.
    assert.equal(boot.code, 2, `boot exited ${boot.code}\nstdout:\n${boot.stdout}\nstderr:\n${boot.stderr}`);
    // Refused because of the configuration (not a usage error): it names the same problem.
    assert.ok(boot.stderr.includes(where), `boot does not report ${where}\nstderr:\n${boot.stderr}`);
    assert.doesNotMatch(boot.stderr, STACK_LINE);
    assert.doesNotMatch(boot.stdout, STACK_LINE);
    assert.deepEqual(await listTree(root), [], "boot wrote files under the root of an invalid configuration");
  });
}

Deno.test(`bad configs: at least ${MIN_FIXTURES} fixtures`, () => {
  assert.ok(CASES.length >= MIN_FIXTURES, `only ${CASES.length} fixtures in ${FIXTURES}`);
});

Deno.test("bad configs: the unmodified example configuration is valid", async () => {
  await using tmp = await tempDir("clusterboot-bad-");
  const config = `${tmp.path}/config`;
  await copyTree(EXAMPLE_CONFIG, config);
  const result = await clusterboot(["validate", "--config", config, "--json"]);
  assert.equal(result.code, 0, `validate exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { valid: boolean; errors: number };
  assert.equal(report.valid, true);
  assert.equal(report.errors, 0);
});
