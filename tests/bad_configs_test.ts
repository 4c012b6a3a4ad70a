/**
 * Broken configurations, one per directory of tests/fixtures/bad/: each overlays a copy of configs/ with its files,
 * deletes the files its expect.json lists under `remove`, and names the diagnostics validation must report, each at
 * file:line:col with its code. Every case must also make `boot` refuse (exit 2) without writing anything. The last
 * test prints how many were tried and handled.
 *
 * A fixture's expected positions lie in files the fixture provides (or at 1:1 of a whole file), so edits to the
 * example configuration, such as a comment line added at the top, do not move them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { clusterboot, copyTree, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";
import { assertRefused, type ExpectedDiagnostic, Tally } from "./support/bad_input.ts";

const FIXTURES = new URL("./fixtures/bad/", import.meta.url).pathname;
const EXPECT_FILE = "expect.json";
const MIN_FIXTURES = 150;

interface Expectation {
  description: string;
  remove?: string[];
  diagnostics: ExpectedDiagnostic[];
}

const CASES = [...Deno.readDirSync(FIXTURES)].filter((entry) => entry.isDirectory).map((entry) => entry.name).sort();
const tally = new Tally();
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

for (const name of CASES) {
  Deno.test(`bad config ${name}`, () =>
    tally.count(async () => {
      const expect = await readExpectation(name);
      await using tmp = await tempDir("clusterboot-bad-");
      const config = `${tmp.path}/config`;
      await buildConfig(name, expect, config);
      return await assertRefused(config, expect.diagnostics, `${name} (${expect.description})`);
    }));
}

Deno.test(`bad configs: at least ${MIN_FIXTURES} fixtures, every one refused`, () => {
  console.log(tally.line("bad input (fixtures)"));
  assert.ok(CASES.length >= MIN_FIXTURES, `only ${CASES.length} fixtures in ${FIXTURES}`);
  assert.equal(tally.tried, CASES.length, "run the whole file to count every fixture");
  assert.equal(tally.handled, tally.tried);
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
