/**
 * `deno task bench`: the cost of clusterboot's boot path against the runtime's own floor, measured side by side.
 *
 * Each row runs its command and its baseline in turn (A B A B ...), so drift of the machine's speed hits both; it
 * reports medians and the min–max of the pair-by-pair ratio. Peak memory comes from /usr/bin/time in separate runs.
 *
 * @module
 */
import { loadConfig } from "../src/config/load.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXE = `${ROOT}dist/clusterboot`;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 21);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-" });

async function timeOnce(cmd: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" }).output();
  const ms = performance.now() - start;
  if (!out.success) throw new Error(`${cmd.join(" ")} failed with exit ${out.code}`);
  return ms;
}

async function peakKiB(cmd: string[]): Promise<number | undefined> {
  try {
    const out = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", ...cmd],
      stdout: "null",
      stderr: "piped",
    }).output();
    return Number(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  name: string;
  a: string[];
  b: string[];
}

async function measure(row: Row) {
  for (let i = 0; i < 2; i++) await Promise.all([timeOnce(row.a), timeOnce(row.b)].map((p) => p.catch(() => 0)));
  const a: number[] = [], b: number[] = [], ratio: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ta = await timeOnce(row.a);
    const tb = await timeOnce(row.b);
    a.push(ta);
    b.push(tb);
    ratio.push(ta / tb);
  }
  const mem = [await peakKiB(row.a), await peakKiB(row.b)];
  return { a: median(a), b: median(b), ratio: median(ratio), min: Math.min(...ratio), max: Math.max(...ratio), mem };
}

// A root as a node has it after its first boot: configs, compiled snapshot, generated files.
const { config } = await loadConfig(`${ROOT}configs`, { full: true });
const master = config.cluster.nodes[0];
const facts = `${work}/facts.json`;
await Deno.writeTextFile(facts, JSON.stringify({ interfaces: [{ name: "ens3", mac: master.mac, addresses: [] }] }));
const root = `${work}/root`;
const prepared = await new Deno.Command(EXE, {
  args: ["boot", "--config", `${ROOT}configs`, "--root", root, "--facts", facts, "--no-activate"],
  stdout: "null",
  stderr: "null",
}).output();
if (!prepared.success) throw new Error("could not prepare the benchmark root: run deno task build first");
const empty = `${work}/empty.js`;
await Deno.writeTextFile(empty, "");
// The floor: the same runtime, the same flags, an empty script.
const floor = [
  `${ROOT}dist/lib/deno`,
  "run",
  "--quiet",
  "--no-config",
  "--no-lock",
  "--no-prompt",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
  empty,
];
try {
  await Deno.stat(floor[0]);
} catch {
  floor[0] = Deno.execPath();
}

const rows: Row[] = [
  {
    name: `boot --dry-run (${master.name}, compiled snapshot)`,
    a: [EXE, "boot", "--root", root, "--facts", facts, "--dry-run"],
    b: floor,
  },
  {
    name: `boot --dry-run (${master.name}, YAML validated)`,
    a: [EXE, "boot", "--config", `${ROOT}configs`, "--root", root, "--facts", facts, "--dry-run"],
    b: floor,
  },
  { name: "render --service etcd", a: [EXE, "render", "--service", "etcd", "--root", root], b: floor },
  { name: "validate (example, 11 files)", a: [EXE, "validate", "--config", `${ROOT}configs`], b: floor },
];

console.log(`clusterboot start-up vs the runtime's floor (empty script), ${RUNS} paired runs each, medians`);
console.log(
  `machine: ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ${new Date().toISOString().slice(0, 10)}`,
);
console.log("| command | ms | floor ms | ratio (min–max) | peak MiB | floor MiB |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) {
  const r = await measure(row);
  const mib = (k?: number) => k === undefined ? "?" : (k / 1024).toFixed(1);
  console.log(
    `| ${row.name} | ${r.a.toFixed(1)} | ${r.b.toFixed(1)} | ${r.ratio.toFixed(2)} (${r.min.toFixed(2)}–${
      r.max.toFixed(2)
    }) | ${mib(r.mem[0])} | ${mib(r.mem[1])} |`,
  );
}
await Deno.remove(work, { recursive: true });
