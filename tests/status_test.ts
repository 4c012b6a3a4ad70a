/**
 * `clusterboot status` and `clusterboot analyze` against scratch roots booted by the real executable, with the
 * stand-in systemctl on PATH: the report validated against its published schema, drift found file by file, a
 * broken node reported rather than crashed on, boot timings recorded and shown slowest first.
 */
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import { bootRecords, clusterboot, copyTree, EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";

const SUPPORT = new URL("./support/", import.meta.url).pathname;
const SCHEMA = JSON.parse(await Deno.readTextFile(new URL("../schemas/status.schema.json", import.meta.url)));
// Formats (date-time) are checked below by parsing; ajv's format plugin is not worth a dependency.
const validateStatus = new Ajv2020({ strict: true, validateFormats: false, allErrors: true }).compile(SCHEMA);

function assertValidStatus(json: unknown): void {
  assert.ok(validateStatus(json), JSON.stringify(validateStatus.errors, null, 2));
}

interface Node {
  dir: string;
  root: string;
  config: string;
  env: Record<string, string>;
  state: string;
  args(...extra: string[]): string[];
}

/** kafka-01 booted into a scratch root, with secrets, by MAC, activated through the stand-in systemctl. */
async function bootedNode(dir: string): Promise<Node> {
  const config = `${dir}/config`;
  await copyTree(EXAMPLE_CONFIG, config);
  const init = await clusterboot(["pki", "init", "--config", config, "--out", `${config}/secrets`]);
  assert.equal(init.code, 0, init.stderr);
  const facts = `${dir}/facts.json`;
  await Deno.writeTextFile(
    facts,
    JSON.stringify({ cmdline: "", hostname: "debian", interfaces: [{ name: "ens3", mac: "52:54:00:20:00:31" }] }),
  );
  const state = `${dir}/systemctl.state`;
  const env = {
    PATH: `${SUPPORT}:${Deno.env.get("PATH")}`,
    SYSTEMCTL_LOG: `${dir}/systemctl.log`,
    SYSTEMCTL_STATE: state,
  };
  const root = `${dir}/root`;
  const args = (...extra: string[]) => ["--config", config, "--root", root, "--facts", facts, ...extra];
  const boot = await clusterboot(["boot", ...args("--activate")], { env });
  assert.equal(boot.code, 0, boot.stderr);
  return { dir, root, config, env, state, args };
}

async function status(node: Node, ...extra: string[]) {
  const result = await clusterboot(["status", ...node.args("--units", ...extra)], { env: node.env });
  assert.doesNotMatch(result.stderr, /^\s+at /m, "a stack trace");
  return result;
}

Deno.test("status --json: identity by MAC, units from systemctl, files in sync, certificates, last boot", async () => {
  await using dir = await tempDir();
  const node = await bootedNode(dir.path);
  // systemd would have pulled the daemons in with the targets; the stand-in only knows what it was told.
  await Deno.writeTextFile(node.state, "containerd.service\nkubelet.service\nkafka.service\n", { append: true });

  const result = await status(node, "--json");
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assertValidStatus(report);
  assert.equal(report.identity.node, "kafka-01");
  assert.equal(report.identity.recorded, "kafka-01");
  assert.match(report.identity.decidedBy, /MAC 52:54:00:20:00:31 on ens3/);
  assert.deepEqual(report.roles, ["worker", "kafka-broker"]);
  assert.deepEqual(report.units.targets, ["kubernetes-worker.target", "kafka.target"]);
  assert.deepEqual(
    report.units.units.map((u: { unit: string; active: string }) => `${u.unit} ${u.active}`),
    [
      "kubernetes-worker.target active",
      "kafka.target active",
      "containerd.service active",
      "kubelet.service active",
      "kafka.service active",
    ],
  );
  assert.ok(report.files.checked > 20);
  assert.deepEqual(report.files.drift, []);
  const kubelet = report.certificates.certificates.find((c: { path: string }) => c.path.includes("kubelet.conf"));
  assert.match(kubelet.subject, /CN=system:node:kafka-01/);
  assert.ok(kubelet.daysLeft > 300 && kubelet.daysLeft <= 366, `${kubelet.daysLeft} days`);
  assert.ok(!Number.isNaN(Date.parse(kubelet.notAfter)));
  assert.equal(report.lastBoot.node, "kafka-01");
  assert.deepEqual(
    report.lastBoot.steps.map((s: { name: string }) => s.name.split(" ")[0]),
    ["validate", "detect", "plan", "apply", "activate"],
  );
  assert.deepEqual(report.problems, []);
});

Deno.test("status finds drift file by file, and an inactive unit, and exits 1", async () => {
  await using dir = await tempDir();
  const node = await bootedNode(dir.path);
  const env = `${node.root}/etc/cluster-config/environment/kafka.env`;
  await Deno.writeTextFile(env, (await Deno.readTextFile(env)) + "EXTRA=1\n");
  await Deno.chmod(`${node.root}/etc/kubernetes/kubelet.conf`, 0o644);
  await Deno.remove(`${node.root}/etc/cluster-config/node-identity`);

  const json = await status(node, "--json");
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  assertValidStatus(report);
  assert.deepEqual(
    report.files.drift,
    [
      { path: "/etc/cluster-config/environment/kafka.env", differences: ["content"] },
      { path: "/etc/cluster-config/node-identity", differences: ["missing"] },
      { path: "/etc/kubernetes/kubelet.conf", differences: ["mode"] },
    ].sort((a, b) => a.path.localeCompare(b.path)),
  );
  assert.equal(report.identity.recorded, undefined);
  assert.ok(report.problems.includes("files: 3 differ from what boot would write"), report.problems.join("\n"));
  assert.ok(report.problems.includes("unit kafka.service is inactive"), report.problems.join("\n"));

  const human = await status(node);
  assert.equal(human.code, 1);
  assert.match(human.stdout, /^files: 3 of \d+ differ from what boot would write:$/m);
  assert.match(human.stdout, /^ {2}\/etc\/kubernetes\/kubelet\.conf: mode$/m);
  assert.match(human.stdout, /^ {2}kafka\.service +inactive \(dead\)$/m);
  // Key material never shows, however a file drifted.
  assert.doesNotMatch(human.stdout + json.stdout, /PRIVATE KEY|client-key-data/);
});

Deno.test("status on a broken node reports what it cannot check instead of failing", async () => {
  await using dir = await tempDir();
  const node = await bootedNode(dir.path);
  await Deno.writeTextFile(`${node.config}/cluster.yaml`, "cluster: [unclosed\n", { append: true });

  const result = await status(node, "--json");
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout);
  assertValidStatus(report);
  assert.match(report.identity.error, /configuration .* not loaded/);
  assert.equal(report.identity.recorded, "kafka-01");
  assert.ok(report.files.error && report.certificates.error && report.units.error);
  assert.equal(report.lastBoot.outcome, "finished");

  const human = await status(node);
  assert.equal(human.code, 1);
  assert.match(human.stdout, /^node: \(not determined\)$/m);
  assert.match(human.stdout, /^ {2}node-identity file: kafka-01$/m);
});

Deno.test("analyze: each boot's steps recorded; shown slowest first; a failed boot recorded as failed", async () => {
  await using dir = await tempDir();
  const node = await bootedNode(dir.path);
  const stranger = `${dir.path}/stranger.json`;
  await Deno.writeTextFile(stranger, JSON.stringify({ interfaces: [{ name: "ens3", mac: "52:54:00:99:00:01" }] }));
  const failed = await clusterboot(
    ["boot", "--config", node.config, "--root", node.root, "--facts", stranger, "--activate"],
    { env: node.env },
  );
  assert.equal(failed.code, 3);

  const records = await bootRecords(node.root);
  assert.deepEqual(records.map((r) => r.outcome), ["finished", "failed"]);

  const all = await clusterboot(["analyze", "--root", node.root, "--all"]);
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.trim().split("\n");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^boot of kafka-01 at \S+: \d+\.\d{3} s in all$/);
  assert.match(lines[1], /^boot of \(node not determined\) at .*, failed: no node of this cluster matches/);

  const json = JSON.parse((await clusterboot(["analyze", "--root", node.root, "--json"])).stdout);
  assert.equal(json.outcome, "failed");
  assert.deepEqual(json.steps.map((s: { name: string; outcome: string }) => `${s.name.split(" ")[0]} ${s.outcome}`), [
    "validate finished",
    "detect failed",
  ]);

  // Booting again: the blame view lists the new boot's steps, each once, slowest first.
  assert.equal((await clusterboot(["boot", ...node.args("--activate")], { env: node.env })).code, 0);
  const blame = await clusterboot(["analyze", "--root", node.root]);
  const rows = blame.stdout.trim().split("\n").slice(1).map((line) => line.match(/^\s*(\d+) ms {2}(.*)$/)!);
  assert.ok(rows.every(Boolean), blame.stdout);
  const times = rows.map((r) => Number(r[1]));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  assert.deepEqual(
    rows.map((r) => r[2].split(" ")[0]).sort(),
    ["(start-up,", "activate", "apply", "detect", "plan", "validate"],
  );
});

Deno.test("analyze with no boot recorded: exit 1 and says where it looked", async () => {
  await using dir = await tempDir();
  const result = await clusterboot(["analyze", "--root", dir.path]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no boot recorded in .*\/var\/lib\/clusterboot\/boot-timings\.json/);
});
