/**
 * `deno task bench`, row 1: the cost of clusterboot's boot path (and its other quick commands) against the runtime's
 * own floor, an empty script, measured side by side (bench/measure.ts).
 *
 * @module
 */
import { bootOnce, CONFIG, exampleNode, EXE } from "./example_root.ts";
import { IMAGE_PATHS } from "../src/iso/image.ts";
import { floor, machineLine, mib, paired, peakKiB, range, type Run, tableHead } from "./measure.ts";
import { BOOT_RUNTIME_FLAGS } from "../scripts/runtime_flags.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 41);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-" });

// A root as a node has it after its first boot: configs, compiled snapshot, generated files, its keys installed, and
// the secrets directory where the image keeps it, which a rerun reads (without it, boot plans no key at all).
const master = await exampleNode(work);
const facts = master.facts;
const root = `${work}/root`;
await bootOnce(master, root);
const copied = await new Deno.Command("cp", { args: ["-a", master.secrets, `${root}${IMAGE_PATHS.secrets}`] }).output();
if (!copied.success) throw new Error(`copying the secrets into the root: ${new TextDecoder().decode(copied.stderr)}`);
// Each row's floor runs with the flags the launcher gives that command's entry.
const empty = await floor(work, ROOT);
const bootEmpty = await floor(work, ROOT, BOOT_RUNTIME_FLAGS);

const rows: { name: string; a: Run; floor: Run }[] = [
  {
    name: `boot --dry-run (${master.name}, compiled snapshot)`,
    a: { cmd: [EXE, "boot", "--root", root, "--facts", facts, "--dry-run"] },
    floor: bootEmpty,
  },
  {
    name: `boot --dry-run (${master.name}, YAML validated)`,
    a: { cmd: [EXE, "boot", "--config", CONFIG, "--root", root, "--facts", facts, "--dry-run"] },
    floor: bootEmpty,
  },
  {
    name: "render --service etcd",
    a: { cmd: [EXE, "render", "--service", "etcd", "--root", root] },
    floor: bootEmpty,
  },
  { name: "validate (example, 11 files)", a: { cmd: [EXE, "validate", "--config", CONFIG] }, floor: empty },
];

console.log(`\n1. start-up vs the runtime's floor (an empty script), ${RUNS} paired runs each, medians`);
console.log(machineLine());
console.log(tableHead(["command", "ms", "floor ms", "ratio (min–max)", "peak MiB", "floor MiB"], ["command"]));
for (const row of rows) {
  const r = await paired({ a: row.a, b: row.floor }, RUNS);
  const memory = [await peakKiB(row.a), await peakKiB(row.floor)];
  console.log(
    `| ${row.name} | ${r.a.toFixed(1)} | ${r.b.toFixed(1)} | ${range(r)} | ${mib(memory[0])} | ${mib(memory[1])} |`,
  );
}
await Deno.remove(work, { recursive: true });
