/**
 * Crash safety: the built binary booting master-01 (every file of its plan, keys included) into a scratch root is
 * killed with SIGKILL at every step of every write — from an empty root, and from the root of an older
 * configuration (files to update and to remove). After each kill:
 * - every file at a final name is the old version or the new one, byte for byte with mode and owner: none torn,
 *   none empty, none missing that both versions have; only the writer's temporary names may hold partial bytes;
 * - the writes done are exactly those the boot finished before the call it was killed at, in its order;
 * - the boot record, when present, is valid JSON;
 * - a rerun without a kill removes the temporary files and converges to exactly the tree of an uninterrupted boot
 *   (paths, bytes, modes, owners, links, directories), and releases its lock.
 *
 * Kill points. A timer cannot aim at one write: on this shared disk a boot's writes took from 0.15 s to 2.8 s, and on
 * a tmpfs they take about 10 ms in all, far less than the jitter of a process start. So a traced calibration boot
 * lists the system calls that change the root (mkdir, the temporary file's open and write, fsync, chmod, chown,
 * symlink, rename, unlink) from the start of the apply step to the release of the lock, and each run has `strace`
 * deliver SIGKILL on entry to one of them — the Nth call of its kind by the main thread — before that call takes
 * effect. The killed run is traced too, so the test knows which call it died at and how many writes had finished
 * (opens and writes are also made by the runtime for itself, in varying numbers, so only the trace says exactly).
 * Every rename and unlink is a kill point (each write is seen both undone and done); the other calls are sampled
 * evenly. The roots are on a private tmpfs: a process kill does not depend on fsync, and it keeps hundreds of boots
 * quick.
 *
 * Run: `deno test --allow-all tests/crash_safety_test.ts` (as root: it mounts a tmpfs; needs strace). CRASH_KILLS
 * sets the number of kills (default 540).
 *
 * @module
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, CLUSTERBOOT, EXAMPLE_CONFIG, GENERATIONS, isBootLog } from "./support/cli.ts";
import { tmpfs } from "./support/mounts.ts";
import { bootArgs, makeSecrets, olderConfig, rootWithUsers } from "./support/node_root.ts";
import { baseName, readTree, sameNode, type Tree, treeDifferences, WRITER_TEMP } from "./support/tree.ts";

/** Boots killed at a system call, over both scenarios. */
const KILLS = Number(Deno.env.get("CRASH_KILLS") ?? 540);
/** Boots at once: enough to overlap start-up with work, few enough for two shared cores. */
const WORKERS = 3;
const LOCK_FILE = "/run/clusterboot.lock";
const NODE = "master-01";
/** The system calls that change the root, where kills are aimed. */
const SYSCALLS = ["mkdir", "openat", "write", "fsync", "chmod", "chown", "symlink", "rename", "unlink"];
/** The calls that finish a write: the rename of a file or link into place, the unlink of a removal. */
const COMMITS = ["rename", "unlink"];

const decoder = new TextDecoder();
const skipLogs = isBootLog;

/** A starting root and what an uninterrupted boot makes of it. */
interface Scenario {
  name: string;
  /** The starting root, copied for each run. */
  template: string;
  initial: Tree;
  final: Tree;
  /** The paths boot writes or removes, in its order (its change lines). */
  order: string[];
  /** The calls of the calibration boot where kills are aimed. */
  points: KillPoint[];
  args: (root: string) => string[];
}

/** The `nth` call of `syscall` by the boot's main thread. */
interface KillPoint {
  syscall: string;
  nth: number;
}

interface Outcome {
  scenario: string;
  /** The call the boot died at, e.g. `rename .../.hosts.clusterboot-1-a -> .../hosts`; undefined if it finished. */
  diedAt?: string;
  /** How many of the ordered writes were on disk after the kill. */
  progress: number;
  problems: string[];
  leftovers: number;
}

async function run(command: string, args: string[]): Promise<{ code: number; signal: string | null; stderr: string }> {
  const out = await new Deno.Command(command, { args, env: { NO_COLOR: "1" }, stdin: "null", stdout: "null" })
    .output();
  return { code: out.code, signal: out.signal, stderr: decoder.decode(out.stderr) };
}

async function copyRoot(template: string, root: string): Promise<void> {
  const cp = await run("cp", ["-a", template, root]);
  if (cp.code !== 0) throw new Error(`cp -a ${template} ${root}: ${cp.stderr}`);
}

/** The path of a change line (`  create    0644 root  /etc/hosts`, `  remove   /x`), or undefined. */
function changedPath(line: string): string | undefined {
  return /^ {2}(create|update|remove) .*?\s(\/\S+)/.exec(line)?.[2];
}

/** One system call of the main thread in an strace log; `result` is undefined or "?" when the process died in it. */
interface Call {
  syscall: string;
  args: string;
  result?: string;
}

/**
 * The main thread's calls in an `strace -f` log, in order, each with its arguments and result (strace splits a
 * call into "<unfinished ...>" and "<... resumed>" lines when another thread's call comes between).
 */
function mainThreadCalls(log: string): Call[] {
  const lines = log.split("\n").filter(Boolean);
  const main = lines[0]?.split(/\s/)[0];
  const calls: Call[] = [];
  let pending: Call | undefined;
  for (const line of lines) {
    const [tid, rest] = [line.split(/\s/)[0], line.slice(line.indexOf(" ")).trimStart()];
    if (tid !== main) continue;
    const resumed = /^<\.\.\. \w+ resumed>.*\) += (.+)$/.exec(rest);
    if (resumed && pending) {
      pending.result = resumed[1];
      pending = undefined;
      continue;
    }
    const call = /^(\w+)\((.*?)(?:\) += (.+)| <unfinished \.\.\.>)$/.exec(rest);
    if (!call) continue;
    const entry = { syscall: call[1], args: call[2], result: call[3] };
    calls.push(entry);
    pending = call[3] === undefined ? entry : undefined;
  }
  return calls;
}

/** The quoted strings among a call's arguments. */
function quoted(args: string): string[] {
  return [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
}

/** A call for people: its name and paths, or its file descriptor. */
function describe(call: Call): string {
  const paths = quoted(call.args);
  return `${call.syscall} ${paths.length ? paths.join(" -> ") : `fd ${call.args.split(",")[0]}`}`;
}

/** Whether `call` finished one of the ordered writes under `root`. */
function commits(call: Call, root: string, order: ReadonlySet<string>): boolean {
  if (!COMMITS.includes(call.syscall) || call.result?.trim() !== "0") return false;
  const paths = quoted(call.args);
  const target = call.syscall === "rename" ? paths[1] : paths[0];
  return target.startsWith(root) && order.has(target.slice(root.length));
}

/**
 * Where to aim kills in a boot traced by strace: the main thread's calls of SYSCALLS, numbered per kind as strace's
 * `when=` counts them, from the start of the apply step to the release of the lock. Opens count only when they make
 * a file, writes only when they go to a file (not to stderr).
 */
function killPoints(log: string, root: string): KillPoint[] {
  const counts = new Map<string, number>();
  const points: KillPoint[] = [];
  let applying = false;
  for (const call of mainThreadCalls(log)) {
    const nth = (counts.get(call.syscall) ?? 0) + 1;
    counts.set(call.syscall, nth);
    if (call.syscall === "write" && call.args.startsWith('2, "[started] apply')) applying = true;
    if (!applying) continue;
    const makesFile = call.syscall !== "openat" || call.args.includes("O_CREAT");
    const toFile = call.syscall !== "write" || !/^[12],/.test(call.args);
    if (makesFile && toFile) points.push({ syscall: call.syscall, nth });
    if (call.syscall === "unlink" && quoted(call.args)[0] === `${root}${LOCK_FILE}`) break;
  }
  return points;
}

async function calibrate(name: string, template: string, args: (root: string) => string[], dir: string) {
  const root = `${dir}/calibrate-${name}`;
  await copyRoot(template, root);
  const trace = `${dir}/calibrate-${name}.trace`;
  const strace = await run("strace", [
    "-f",
    "-qq",
    "-s",
    "256",
    "-o",
    trace,
    "-e",
    `trace=${SYSCALLS}`,
    CLUSTERBOOT,
    ...args(root),
  ]);
  assert.equal(strace.code, 0, strace.stderr);
  const order = strace.stderr.split("\n").map(changedPath).filter((p) => p !== undefined);
  const final = await readTree(root);
  for (const path of [...final.keys()]) if (isBootLog(path)) final.delete(path);
  const points = killPoints(await Deno.readTextFile(trace), root);
  await Deno.remove(root, { recursive: true });
  await Deno.remove(trace);
  return { name, template, initial: await readTree(template), final, order, points, args };
}

/** Checks a killed boot's root: what is wrong, how far the writes got, which temporary files it left. */
function inspect(tree: Tree, s: Scenario): { problems: string[]; progress: number; leftovers: string[] } {
  const problems: string[] = [];
  const leftovers: string[] = [];
  for (const [path, node] of tree) {
    if (node.kind === "dir" || path === LOCK_FILE) continue;
    if (path === BOOT_RECORD || /^\/var\/lib\/clusterboot\/generations\/\d+\/generation\.json$/.test(path)) {
      // Logs are written whole (a file or a directory renamed into place): always valid JSON when visible.
      try {
        JSON.parse(decoder.decode(node.bytes));
      } catch {
        problems.push(`${path} is not valid JSON`);
      }
    } else if (isBootLog(path)) continue;
    else if (WRITER_TEMP.test(baseName(path))) leftovers.push(path);
    else if (!sameNode(node, s.initial.get(path)) && !sameNode(node, s.final.get(path))) {
      problems.push(`${path} is neither the old nor the new version (${node.bytes?.length ?? node.target} bytes)`);
    }
  }
  for (const path of s.initial.keys()) {
    if (!isBootLog(path) && s.final.has(path) && !tree.has(path)) {
      problems.push(`${path} is missing (both versions have it)`);
    }
  }
  const done = s.order.map((path) => sameNode(tree.get(path), s.final.get(path)));
  const progress = done.filter(Boolean).length;
  if (done.some((d, i) => d !== i < progress)) {
    problems.push(`writes done out of order: ${done.map((d) => (d ? "x" : ".")).join("")}`);
  }
  return { problems, progress, leftovers };
}

/**
 * Boots under strace, killed on entry to the `nth` call of `syscall`; returns the call it died at (undefined when
 * it finished) and how many ordered writes had finished before it, as the trace shows.
 */
async function killedBoot(s: Scenario, point: KillPoint, root: string): Promise<{ diedAt?: Call; finished: number }> {
  const { syscall, nth } = point;
  const trace = `${root}.trace`;
  const kinds = [...new Set([syscall, ...COMMITS])];
  await run("strace", [
    ...["-f", "-qq", "-s", "256", "-o", trace, "-e", `trace=${kinds}`],
    ...["-e", `inject=${syscall}:signal=KILL:when=${nth}`, CLUSTERBOOT, ...s.args(root)],
  ]);
  const calls = mainThreadCalls(await Deno.readTextFile(trace));
  await Deno.remove(trace);
  const order = new Set(s.order);
  const died = calls.findIndex((c) => c.result === undefined || c.result === "?");
  const before = died < 0 ? calls : calls.slice(0, died);
  return { diedAt: died < 0 ? undefined : calls[died], finished: before.filter((c) => commits(c, root, order)).length };
}

/** A boot killed at `point`, inspected, then rerun to the end and compared. */
async function trial(s: Scenario, point: KillPoint, root: string): Promise<Outcome> {
  await copyRoot(s.template, root);
  try {
    const { diedAt, finished } = await killedBoot(s, point, root);
    const after = inspect(await readTree(root), s);
    const problems = [...after.problems];
    const at = diedAt ? describe(diedAt) : "the end";
    if (!diedAt) problems.push(`the kill at ${point.syscall} #${point.nth} did not land: the boot finished`);
    else if (after.progress !== finished) {
      problems.push(`killed at ${at}: ${after.progress} writes on disk, but ${finished} had finished`);
    }
    const rerun = await run(CLUSTERBOOT, s.args(root));
    if (rerun.code !== 0) problems.push(`rerun exited ${rerun.code}:\n${rerun.stderr}`);
    const converged = await readTree(root);
    problems.push(...treeDifferences(converged, s.final, skipLogs).map((d) => `after the rerun: ${d}`));
    const partial = [...converged.keys()].filter((path) => path.startsWith(`${GENERATIONS}/.partial-`));
    if (partial.length) problems.push(`after the rerun: a half-made generation is left: ${partial[0]}`);
    try {
      JSON.parse(decoder.decode(converged.get(BOOT_RECORD)?.bytes));
    } catch {
      problems.push("after the rerun: no valid boot record");
    }
    const cleaned = (rerun.stderr.match(/\(left by an interrupted boot\)$/gm) ?? []).length;
    if (cleaned !== after.leftovers.length) {
      problems.push(`the kill left ${after.leftovers.length} temporary files, the rerun reported ${cleaned} removed`);
    }
    return {
      scenario: s.name,
      diedAt: diedAt && at,
      progress: after.progress,
      problems,
      leftovers: after.leftovers.length,
    };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/**
 * At most `budget` kill points over all scenarios: every commit (so each write is seen both undone and done), and
 * the other calls evenly sampled, each scenario in proportion to its calls.
 */
function thin(scenarios: Scenario[], budget: number): [Scenario, KillPoint][] {
  const all = scenarios.reduce((n, s) => n + s.points.length, 0);
  return scenarios.flatMap((s) => {
    const share = Math.min(s.points.length, Math.round((budget * s.points.length) / all));
    const others = s.points.filter((p) => !COMMITS.includes(p.syscall));
    const room = Math.max(0, share - (s.points.length - others.length));
    const step = (i: number) => Math.floor((i * room) / others.length);
    const sampled = new Set(others.filter((_, i) => step(i + 1) > step(i)));
    return s.points.filter((p) => COMMITS.includes(p.syscall) || sampled.has(p)).map((p) =>
      [s, p] as [Scenario, KillPoint]
    );
  });
}

/** Runs `jobs` on WORKERS workers, each run in a directory of its own. */
async function runAll(jobs: [Scenario, KillPoint][], dir: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < jobs.length) {
      const i = next++;
      outcomes.push(await trial(jobs[i][0], jobs[i][1], `${dir}/run-${i}`));
    }
  }));
  return outcomes;
}

Deno.test("crash safety: SIGKILL at every step of every write of a full boot; each rerun converges", async () => {
  await using fs = await tmpfs("size=256m", "clusterboot-crash-");
  const dir = fs.path;
  const secrets = await makeSecrets(`${dir}/secrets`);
  const args = (config: string, secretsDir: string) => (root: string) =>
    bootArgs({ config, secrets: secretsDir, root, node: NODE });

  // An empty node, and a node an older configuration booted with other keys: files to update and to remove.
  const empty = `${dir}/empty`;
  await rootWithUsers(empty);
  const oldConfig = await olderConfig(`${dir}/old-config`);
  const oldSecrets = await makeSecrets(`${dir}/old-secrets`, oldConfig);
  const older = `${dir}/older`;
  await copyRoot(empty, older);
  const first = await run(CLUSTERBOOT, args(oldConfig, oldSecrets)(older));
  assert.equal(first.code, 0, first.stderr);

  const scenarios: Scenario[] = [
    await calibrate("empty", empty, args(EXAMPLE_CONFIG, secrets), dir),
    await calibrate("older", older, args(EXAMPLE_CONFIG, secrets), dir),
  ];
  const [fresh, update] = scenarios;
  assert.ok(fresh.order.length >= 70, `a full plan has many writes, got ${fresh.order.length}`);
  assert.ok(update.order.some((p) => !update.final.has(p)), "the older root has files to remove");
  assert.ok(update.order.some((p) => update.initial.has(p) && update.final.has(p)), "and files to update");

  const outcomes = await runAll(thin(scenarios, KILLS), dir);

  const lost = outcomes.filter((o) => o.problems.length);
  for (const o of lost.slice(0, 5)) {
    console.log(`lost (${o.scenario} root, killed at ${o.diedAt}):\n  ${o.problems.join("\n  ")}`);
  }
  const writes = scenarios.reduce((n, s) => n + s.order.length, 0);
  const calls = scenarios.reduce((n, s) => n + s.points.length, 0);
  const between = outcomes.filter((o) =>
    o.progress > 0 && o.progress < scenarios.find((s) => s.name === o.scenario)!.order.length
  );
  const leftovers = outcomes.reduce((n, o) => n + o.leftovers, 0);
  console.log(
    `crash safety: ${outcomes.length} kills tried, ${outcomes.length - lost.length} handled, ${lost.length} lost`,
  );
  console.log(
    `crash safety: kills aimed at ${outcomes.length} of the ${calls} system calls making the ${writes} writes of 2 boots; ${between.length} stopped with some writes done and some not`,
  );
  console.log(`crash safety: ${leftovers} temporary files left by kills, ${leftovers} removed by the reruns, 0 remain`);

  assert.equal(lost.length, 0, `${lost.length} runs left a torn, missing or unconverged tree`);
  assert.ok(outcomes.length >= Math.min(500, KILLS), `at least 500 kills, got ${outcomes.length}`);
  // Every number of finished writes, from none to all, was seen after some kill.
  for (const s of scenarios) {
    const seen = new Set(outcomes.filter((o) => o.scenario === s.name).map((o) => o.progress));
    assert.equal(
      seen.size,
      s.order.length + 1,
      `${s.name}: kills stopped after ${seen.size} distinct numbers of writes`,
    );
  }
});
