/**
 * `deno task bench`, row 3: `clusterboot boot` writing for real to a scratch root (systemctl a stand-in that records
 * its calls), as a first boot onto an empty root and as a rerun that changes nothing, each against `cp -a` of the
 * same tree: the least any tool that writes those files could cost.
 *
 * @module
 */
import { loadConfig } from "../src/config/load.ts";
import { machineLine, paired, range, type Run, tableHead, timeOnce } from "./measure.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const EXE = `${ROOT}dist/clusterboot`;
const CONFIG = `${ROOT}configs`;
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 21);
const work = await Deno.makeTempDir({ prefix: "clusterboot-bench-boot-", dir: "/var/tmp" });

const { config } = await loadConfig(CONFIG, { full: true });
const master = config.cluster.nodes[0];
const facts = `${work}/facts.json`;
await Deno.writeTextFile(facts, JSON.stringify({ interfaces: [{ name: "ens3", mac: master.mac, addresses: [] }] }));
const secrets = `${work}/secrets`;
const pki = await new Deno.Command(EXE, { args: ["pki", "init", "--config", CONFIG, "--out", secrets] }).output();
if (!pki.success) throw new Error("pki init failed: run deno task build first");

const env = {
  PATH: `${ROOT}tests/support:${Deno.env.get("PATH")}`,
  SYSTEMCTL_LOG: `${work}/systemctl.log`,
  SYSTEMCTL_STATE: `${work}/systemctl.state`,
};
const boot = (root: string): Run => ({
  cmd: [EXE, "boot", "--config", CONFIG, "--secrets", secrets, "--root", root, "--facts", facts],
  env,
});
const emptied = (dir: string) => () => Deno.remove(dir, { recursive: true }).catch(() => {});

// The tree a first boot writes, once, for the copy and for the reruns.
const booted = `${work}/booted`;
await timeOnce(boot(booted));
const listing = await new Deno.Command("find", { args: [booted, "-type", "f"] }).output();
const files = new TextDecoder().decode(listing.stdout).split("\n").filter(Boolean).length;
const copy: Run = { cmd: ["cp", "-a", booted, `${work}/copy`], before: emptied(`${work}/copy`) };

console.log(
  `\n3. boot of ${master.name} onto a scratch root (${files} files), ${RUNS} paired runs against cp -a, medians`,
);
console.log(machineLine());
console.log(tableHead(["run", "ms", "cp -a ms", "ratio (min–max)"], [false, true, true, true]));
const rows: { name: string; a: Run }[] = [
  { name: "first boot (empty root)", a: { ...boot(`${work}/fresh`), before: emptied(`${work}/fresh`) } },
  { name: "rerun, nothing to change", a: boot(booted) },
];
for (const row of rows) {
  const r = await paired({ a: row.a, b: copy }, RUNS);
  console.log(`| ${row.name} | ${r.a.toFixed(1)} | ${r.b.toFixed(1)} | ${range(r)} |`);
}
await Deno.remove(work, { recursive: true });
