/**
 * `deno task bench`, row 3: `clusterboot boot --activate` writing for real to a scratch root and starting its targets
 * through systemctl (a stand-in that records its calls), as a first boot onto an empty root and as a rerun that
 * changes nothing, each against `cp -a` of the same tree: the least any tool that writes those files could cost.
 *
 * @module
 */
import { bootOnce, exampleNode, freshRoot } from "./example_root.ts";
import { emptied, machineLine, paired, range, type Run, tableHead } from "./measure.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 41);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-boot-", dir: "/var/tmp" });

const master = await exampleNode(work);
const boot = (root: string, from?: "example" | "root"): Run => ({
  cmd: [...master.boot(root, from), "--activate"],
  env: master.env,
});
/** The stand-in's record of running units: a first boot finds none running, a rerun finds its targets running. */
const noUnitsRunning = () => Deno.remove(master.env.SYSTEMCTL_STATE).catch(() => {});

// The tree a first boot writes, once, for the copy and for the reruns.
const booted = `${work}/booted`;
// Activated, so that the reruns find the node's targets started, as on a node that has booted.
await noUnitsRunning();
await bootOnce(master, booted, ["--activate"]);
const listing = await new Deno.Command("find", { args: [booted, "-type", "f"] }).output();
const files = new TextDecoder().decode(listing.stdout).split("\n").filter(Boolean).length;
const copy: Run = { cmd: ["cp", "-a", booted, `${work}/copy`], before: emptied(`${work}/copy`) };

console.log(
  `\n3. boot of ${master.name} onto a scratch root (${files} files), ${RUNS} paired runs against cp -a, medians`,
);
console.log(machineLine());
console.log(tableHead(["run", "ms", "cp -a ms", "ratio (min–max)"], ["run"]));
const rows: { name: string; a: Run }[] = [
  {
    name: "first boot (a fresh root, the example validated)",
    a: {
      ...boot(`${work}/fresh`),
      before: async () => {
        await freshRoot(`${work}/fresh`);
        await noUnitsRunning();
      },
    },
  },
  { name: "rerun on the node, nothing to change (its /etc/cluster-config)", a: boot(booted, "root") },
];
for (const row of rows) {
  const r = await paired({ a: row.a, b: copy }, RUNS);
  console.log(`| ${row.name} | ${r.a.toFixed(1)} | ${r.b.toFixed(1)} | ${range(r)} |`);
}
await Deno.remove(work, { recursive: true });
