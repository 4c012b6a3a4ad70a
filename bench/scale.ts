/**
 * `deno task bench`, row 2: `validate` and `plan` on generated clusters of 500, 5,000 and 10,000 nodes
 * (tests/support/synthetic.ts, seeded), each against the runtime's floor; then 10,000 against 5,000 side by side,
 * which is linear at 2.0. Targets: 5,000 nodes in at most 1.5 s and 300 MiB; 10,000 at most 2.2× the 5,000 time.
 *
 * @module
 */
import { writeSyntheticCluster } from "../tests/support/synthetic.ts";
import { floor, machineLine, mib, paired, peakKiB, range, type Run, tableHead } from "./measure.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXE = `${ROOT}dist/clusterboot`;
const RUNS = Number(Deno.env.get("BENCH_SCALE_RUNS") ?? 5);
const SIZES = [500, 5_000, 10_000];
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-scale-", dir: "/var/tmp" });
const empty = await floor(work, ROOT);
const root = `${work}/root`;
await Deno.mkdir(root);

const commands = {
  validate: (dir: string): Run => ({ cmd: [EXE, "validate", "--config", dir] }),
  // node-00006 serves DNS: its Corefile names every node, so its plan grows with the cluster.
  plan: (dir: string): Run => ({ cmd: [EXE, "plan", "--config", dir, "--root", root, "--node", "node-00006"] }),
};

for (const nodes of SIZES) await writeSyntheticCluster(`${work}/c${nodes}`, { nodes, seed: 1 });

console.log(`\n2. large clusters (generated, seed 1), ${RUNS} paired runs each against the floor, medians`);
console.log(machineLine());
console.log(
  tableHead(["command", "nodes", "ms", "floor ms", "ratio (min–max)", "peak MiB", "target"], ["command", "target"]),
);
for (const [name, command] of Object.entries(commands)) {
  for (const nodes of SIZES) {
    const run = command(`${work}/c${nodes}`);
    const r = await paired({ a: run, b: empty }, RUNS, 1);
    const peak = await peakKiB(run);
    let target = "";
    if (nodes === 5_000) {
      const ok = r.a <= 1500 && (peak ?? Infinity) <= 300 * 1024;
      target = `≤ 1500 ms, ≤ 300 MiB: ${ok ? "met" : "NOT met"}`;
    }
    console.log(
      `| ${name} | ${nodes} | ${r.a.toFixed(0)} | ${r.b.toFixed(1)} | ${range(r)} | ${mib(peak)} | ${target} |`,
    );
  }
}

console.log(`\n10,000 nodes against 5,000, ${RUNS} paired runs (linear: 2.0; target ≤ 2.2)`);
console.log(
  tableHead(["command", "10,000 ms", "5,000 ms", "ratio (min–max)", "target"], ["command", "target"]),
);
for (const [name, command] of Object.entries(commands)) {
  const r = await paired({ a: command(`${work}/c10000`), b: command(`${work}/c5000`) }, RUNS, 1);
  console.log(
    `| ${name} | ${r.a.toFixed(0)} | ${r.b.toFixed(0)} | ${range(r)} | ${r.ratio <= 2.2 ? "met" : "NOT met"} |`,
  );
}
await Deno.remove(work, { recursive: true });
