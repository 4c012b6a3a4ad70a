/**
 * What every broken or hostile configuration must get: `validate` and `boot` refuse it with exit 2, promptly, naming
 * each expected problem at file:line:col with its code, without a stack trace, and `boot` writes nothing, neither
 * under its root nor into the configuration directory.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CLUSTERBOOT, listTree, type RunResult, tempDir } from "./cli.ts";
import { printable } from "../../src/config/diagnostic.ts";

/** A problem validation must report. */
export interface ExpectedDiagnostic {
  /** Relative to the config directory; "" for the directory itself. */
  file: string;
  line: number;
  col: number;
  code: string;
}

interface JsonDiagnostic {
  severity: string;
  code: string;
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A stack trace line as V8 prints it: `    at fn (file:///x.js:1:2)` or `    at file:///x.js:1:2`. */
export const STACK_LINE = /^\s+at (\S+ \(|(file|ext|node):)/m;

/** A refusal that takes longer than this counts as a hang. */
const TIMEOUT_MS = 60_000;

/** What one refusal cost at most: the slowest of its runs, and the largest peak memory of one. */
export interface Cost {
  ms: number;
  /** Peak resident memory (VmHWM), in KiB. */
  peakKiB: number;
}

/**
 * Runs the built executable with a deadline; a run killed at the deadline reports exit code -1. Its peak memory is
 * read from /proc while it runs (the launcher execs the runtime, so the pid stays the same).
 */
export async function runBounded(args: string[]): Promise<RunResult & Cost> {
  const began = performance.now();
  const child = new Deno.Command(CLUSTERBOOT, {
    args,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
  let peakKiB = 0;
  const sample = () => {
    try {
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch {
      // gone already
    }
  };
  const sampler = setInterval(sample, 20);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.signal ? -1 : output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      ms: performance.now() - began,
      peakKiB,
    };
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
}

function describe(diagnostics: readonly JsonDiagnostic[], dir: string): string {
  return diagnostics.slice(0, 20).map((d) =>
    `  ${d.file.startsWith(`${dir}/`) ? d.file.slice(dir.length + 1) : d.file}:${d.line}:${d.col} ${d.severity} ` +
    `${d.code}: ${d.message}`
  ).join("\n") + (diagnostics.length > 20 ? `\n  ... ${diagnostics.length - 20} more` : "");
}

const shown = (run: RunResult) => `\nstdout:\n${run.stdout.slice(0, 4000)}\nstderr:\n${run.stderr.slice(0, 4000)}`;

/**
 * Checks that the configuration in `config` is refused as it must be; `label` names the case in failures. The
 * first expected diagnostic must also head the human output of `validate` and `boot`.
 */
export async function assertRefused(
  config: string,
  expected: readonly ExpectedDiagnostic[],
  label: string,
): Promise<Cost> {
  assert.ok(expected.length > 0, `${label}: no expected diagnostics`);
  await using scratch = await tempDir("clusterboot-refused-");
  const root = `${scratch.path}/root`;
  await Deno.mkdir(root);
  const configBefore = await treeOf(config);

  const [json, human, boot] = await Promise.all([
    runBounded(["validate", "--config", config, "--json"]),
    runBounded(["validate", "--config", config]),
    runBounded(["boot", "--config", config, "--root", root, "--node", "master-01", "--no-activate"]),
  ]);
  for (const [name, run] of [["validate --json", json], ["validate", human], ["boot", boot]] as const) {
    assert.notEqual(run.code, -1, `${label}: ${name} did not finish within ${TIMEOUT_MS} ms`);
    assert.equal(run.code, 2, `${label}: ${name} exited ${run.code}${shown(run)}`);
    assert.doesNotMatch(run.stdout, STACK_LINE, `${label}: ${name} printed a stack trace${shown(run)}`);
    assert.doesNotMatch(run.stderr, STACK_LINE, `${label}: ${name} printed a stack trace${shown(run)}`);
    // Output is for people and the journal: no line that reprints the input, no control character.
    const long = (run.stdout + run.stderr).split("\n").find((line) => line.length > 1000);
    assert.equal(long, undefined, `${label}: ${name} printed a line of ${long?.length} characters`);
    if (name !== "validate --json") {
      assert.doesNotMatch(
        run.stdout + run.stderr,
        // deno-lint-ignore no-control-regex -- control characters are what this looks for
        /[\x00-\x09\x0b-\x1f\x7f-\x9f]/,
        `${label}: ${name} printed a control character`,
      );
    }
  }

  // validate --json: every expected diagnostic at its place.
  let report: { valid: boolean; diagnostics: JsonDiagnostic[] };
  try {
    report = JSON.parse(json.stdout);
  } catch (error) {
    throw new Error(`${label}: validate --json printed no JSON (${error})${shown(json)}`);
  }
  assert.equal(report.valid, false, label);
  assert.ok(Array.isArray(report.diagnostics), `${label}: diagnostics is not a list`);
  const pathOf = (file: string) => file === "" ? config : `${config}/${file}`;
  for (const want of expected) {
    const found = report.diagnostics.some((d) =>
      d.file === pathOf(want.file) && d.line === want.line && d.col === want.col && d.code === want.code
    );
    assert.ok(
      found,
      `${label}: expected ${want.file}:${want.line}:${want.col} ${want.code}; got:\n` +
        describe(report.diagnostics, config),
    );
  }
  // Every diagnostic is positioned and said briefly: a message is no place to reprint the input. It may name a
  // file or two (at most 255 bytes each); values it quotes are cut short.
  for (const d of report.diagnostics) {
    assert.ok(d.line >= 1 && d.col >= 1, `${label}: no position in ${JSON.stringify(d)}`);
    assert.ok(d.message.length <= 600, `${label}: a message of ${d.message.length} characters`);
  }

  // validate and boot (for people): the first expected problem at file:line:col.
  const first = expected[0];
  const where = printable(`${pathOf(first.file)}:${first.line}:${first.col}:`);
  assert.ok(human.stdout.includes(where), `${label}: validate does not print ${where}${shown(human)}`);
  assert.ok(boot.stderr.includes(where), `${label}: boot does not report ${where}${shown(boot)}`);

  // boot wrote nothing: not under its root, not into the configuration (no snapshot, no link).
  assert.deepEqual(await listTree(root), [], `${label}: boot wrote files under the root`);
  assert.deepEqual(await treeOf(config), configBefore, `${label}: the configuration directory changed`);
  return { ms: Math.max(json.ms, human.ms, boot.ms), peakKiB: Math.max(json.peakKiB, human.peakKiB, boot.peakKiB) };
}

/** Names, kinds and sizes of everything under `dir` (links not followed), or of `dir` itself when not a directory. */
async function treeOf(dir: string, prefix = ""): Promise<string[]> {
  const info = await Deno.lstat(`${dir}${prefix}`).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  });
  if (!info) return [`${prefix} missing`];
  if (!info.isDirectory) return [`${prefix} ${info.isSymlink ? "link" : info.isFile ? "file" : "other"} ${info.size}`];
  const out = [`${prefix}/`];
  for await (const entry of Deno.readDir(`${dir}${prefix}`)) out.push(...await treeOf(dir, `${prefix}/${entry.name}`));
  return out.sort();
}

/** Counts of cases tried and refused as they must be, printed on one line at the end of a test file. */
export class Tally {
  tried = 0;
  handled = 0;
  /** The most any one case cost. */
  worst: Cost = { ms: 0, peakKiB: 0 };

  /** Runs one case's check, counting it as handled when it passes. */
  async count(check: () => Promise<Cost>): Promise<void> {
    this.tried++;
    const cost = await check();
    this.worst = { ms: Math.max(this.worst.ms, cost.ms), peakKiB: Math.max(this.worst.peakKiB, cost.peakKiB) };
    this.handled++;
  }

  /** `bad input: 214 tried, 214 handled, 0 lost (slowest 1.2 s, peak memory 180 MiB)`. */
  line(what: string): string {
    return `${what}: ${this.tried} tried, ${this.handled} handled, ${this.tried - this.handled} lost ` +
      `(slowest ${(this.worst.ms / 1000).toFixed(1)} s, peak memory ${Math.round(this.worst.peakKiB / 1024)} MiB)`;
  }
}
