/**
 * The built executable against a scratch root, as cluster-detect.service runs it, with a stand-in systemctl on PATH
 * that records every call.
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, bootRecords, clusterboot, copyTree, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";
import { type Machine, machine, snapshot, touched } from "./support/machine.ts";
import { loadConfig } from "../src/config/load.ts";
import { daemonsOf } from "../src/services/roles.ts";
import { planNode } from "../src/plan/plan.ts";
import { GENERATIONS_DIR } from "../src/plan/paths.ts";

const example = await loadConfig(EXAMPLE_CONFIG, { full: true });

const bootArgs = (m: Machine, ...extra: string[]) => [
  "boot",
  "--config",
  EXAMPLE_CONFIG,
  "--root",
  m.root,
  "--facts",
  m.facts,
  "--activate",
  ...extra,
];

for (const entry of example.config.cluster.nodes) {
  Deno.test(`boot ${entry.name} by its MAC into a scratch root; a rerun writes and starts nothing`, async () => {
    await using dir = await tempDir();
    const m = await machine(dir.path, entry.mac.toUpperCase());
    const first = await clusterboot(bootArgs(m), { env: m.env });
    assert.equal(first.code, 0, first.stderr);

    // The steps log [started] and [finished], in order.
    const steps = [...first.stderr.matchAll(/^\[(started|finished)\] (\w+)/gm)].map((x) => `${x[1]} ${x[2]}`);
    assert.deepEqual(steps, [
      "started validate",
      "finished validate",
      "started detect",
      "finished detect",
      "started plan",
      "finished plan",
      "started apply",
      "finished apply",
      "started activate",
      "finished activate",
    ]);
    assert.match(first.stderr, new RegExp(`detect: ${entry.name} \\(MAC ${entry.mac} on ens3\\)`));
    // Nobody else held the boot lock: no word about waiting, and the lock file is gone.
    assert.doesNotMatch(first.stderr, /waiting for another|going on/);

    // Files: exactly the plan's, with their modes, beside the generation kept to undo them and the boot's record.
    const plan = planNode(example, entry.name);
    const generations = (await listTree(m.root)).filter((p) => p.startsWith(`${GENERATIONS_DIR}/`));
    assert.deepEqual(generations, [`${GENERATIONS_DIR}/1/generation.json`]);
    assert.deepEqual(
      (await listTree(m.root)).filter((p) => !generations.includes(p)),
      [...plan.entries.map((e) => e.path), BOOT_RECORD].sort(),
    );
    for (const planned of plan.entries) {
      const info = await Deno.lstat(`${m.root}${planned.path}`);
      if (planned.kind === "symlink") assert.ok(info.isSymlink, planned.path);
      else assert.equal(info.mode! & 0o7777, planned.mode, planned.path);
    }
    const config = `${m.root}/etc/cluster-config`;
    assert.equal(await Deno.readTextFile(`${config}/node-identity`), `${entry.name}\n`);
    assert.equal(await Deno.readLink(`${config}/current-node.yaml`), `nodes/${entry.name}.yaml`);
    assert.equal(
      await Deno.readTextFile(`${config}/current-node.yaml`),
      await Deno.readTextFile(`${EXAMPLE_CONFIG}/nodes/${entry.name}.yaml`),
    );
    const envFiles = (await listTree(`${config}/environment`)).map((p) => p.slice(1, -".env".length));
    assert.deepEqual(envFiles.sort(), [...daemonsOf(entry.roles)].sort());
    const network = await Deno.readTextFile(`${m.root}/etc/systemd/network/10-clusterboot.network`);
    assert.match(network, new RegExp(`^MACAddress=${entry.mac}$`, "m"));
    assert.match(network, new RegExp(`^Address=${entry.ip.replace(/\./g, "\\.")}/24$`, "m"));
    assert.equal(await Deno.readTextFile(`${m.root}/etc/hostname`), `${entry.hostname}\n`);
    const hosts = await Deno.readTextFile(`${m.root}/etc/hosts`);
    for (const other of example.config.cluster.nodes) {
      assert.match(hosts, new RegExp(`^${other.ip} .*${other.hostname}$`, "m"));
    }

    // systemctl: reload (unit files were new), ask for states, start this node's targets and instances.
    assert.deepEqual(await m.calls(), [
      "daemon-reload",
      `is-active ${[...new Set([...plan.start, ...restartsOf(plan)])].join(" ")}`,
      `start --no-block ${plan.start.join(" ")}`,
    ]);

    // A second run: the same tree, untouched; systemctl only asked for states.
    const before = await snapshot(m.root);
    const second = await clusterboot(bootArgs(m), { env: m.env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /0 created, 0 updated, 0 removed, \d+ unchanged/);
    assert.match(second.stderr, /all running already/);
    const changed = touched(before, await snapshot(m.root));
    const calls = (await m.calls()).slice(3);
    console.log(
      `idempotence: ${entry.name} booted again with the same inputs: ${changed.length} of ${before.size} files changed, ${
        calls.filter((c) => /^(start|restart|try-restart)\b/.test(c)).length
      } starts or restarts`,
    );
    assert.deepEqual(changed, []);
    assert.deepEqual(calls, [`is-active ${plan.start.join(" ")}`]);
    assert.deepEqual((await bootRecords(m.root)).map((r) => [r.node, r.outcome]), [
      [entry.name, "finished"],
      [entry.name, "finished"],
    ]);
  });
}

function restartsOf(plan: ReturnType<typeof planNode>): string[] {
  return [...new Set(plan.entries.flatMap((e) => e.restarts ?? []))];
}

Deno.test("a machine no node matches: exit 3, the evidence on stderr, nothing written, nothing started", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:99:99:99");
  const result = await clusterboot(bootArgs(m), { env: m.env });
  assert.equal(result.code, 3);
  assert.match(result.stderr, /no node of this cluster matches this machine/);
  assert.match(result.stderr, /ens3 52:54:00:99:99:99 -> no node/);
  assert.match(result.stderr, /\[failed\] detect/);
  // Only the record of the failed boot, for status and analyze.
  assert.deepEqual(await listTree(m.root), [BOOT_RECORD]);
  const [record] = await bootRecords(m.root);
  assert.equal(record.outcome, "failed");
  assert.equal(record.node, undefined);
  assert.deepEqual(await m.calls(), []);
});

Deno.test("detect --explain shows the deciding evidence; detect alone prints the name", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:31");
  const plain = await clusterboot(["detect", "--config", EXAMPLE_CONFIG, "--facts", m.facts]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stdout, "kafka-01\n");
  const explained = await clusterboot(["detect", "--config", EXAMPLE_CONFIG, "--facts", m.facts, "--explain"]);
  assert.match(explained.stdout, /MAC address\s+ens3 52:54:00:20:00:31 -> kafka-01 by MAC .* <- decided/);
  const json = JSON.parse(
    (await clusterboot(["detect", "--config", EXAMPLE_CONFIG, "--facts", m.facts, "--json"])).stdout,
  );
  assert.equal(json.node, "kafka-01");
  assert.equal(json.tier, "mac");
});

Deno.test("boot --dry-run prints the plan and writes nothing", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:22");
  const result = await clusterboot(bootArgs(m, "--dry-run"), { env: m.env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /plan for node worker-02 under .*: \d+ to create, 0 to update, 0 to remove, 0 unchanged/);
  assert.match(result.stdout, /start if not running: kubernetes-worker.target ceph-osd.target ceph-osd@0.service/);
  assert.deepEqual(await listTree(m.root), []);
  assert.deepEqual(await m.calls(), []);
});

Deno.test("plan --diff shows an operator's edit being reverted; boot then restarts only that unit", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:21");
  assert.equal((await clusterboot(bootArgs(m), { env: m.env })).code, 0);
  const env = `${m.root}/etc/cluster-config/environment/mosquitto.env`;
  await Deno.writeTextFile(env, (await Deno.readTextFile(env)).replace("NODE_IP=10.20.0.21", "NODE_IP=10.9.9.9"));

  const diff = await clusterboot(["plan", "--config", EXAMPLE_CONFIG, "--root", m.root, "--facts", m.facts, "--diff"]);
  assert.equal(diff.code, 0, diff.stderr);
  assert.match(diff.stdout, /0 to create, 1 to update, 0 to remove/);
  assert.match(diff.stdout, /^-NODE_IP=10\.9\.9\.9$/m);
  assert.match(diff.stdout, /^\+NODE_IP=10\.20\.0\.21$/m);

  // mosquitto runs (its target pulled it in); the repaired env file must restart it, and nothing else.
  await Deno.writeTextFile(m.env.SYSTEMCTL_STATE, "mosquitto.service\n", { append: true });
  const again = await clusterboot(bootArgs(m), { env: m.env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(await Deno.readTextFile(env), /NODE_IP=10\.20\.0\.21/);
  assert.deepEqual((await m.calls()).slice(3), [
    "is-active kubernetes-worker.target mqtt.target mosquitto.service",
    "try-restart --no-block mosquitto.service",
  ]);
});

Deno.test("a deleted generated file is restored by a rerun, changing nothing else", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:11");
  assert.equal((await clusterboot(bootArgs(m), { env: m.env })).code, 0);
  const before = await snapshot(m.root);
  await Deno.remove(`${m.root}/etc/cluster-config/environment/etcd.env`);
  const result = await clusterboot(bootArgs(m), { env: m.env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /1 created, 0 updated, 0 removed/);
  const after = await snapshot(m.root);
  for (const [path, stamp] of before) {
    if (path !== "/etc/cluster-config/environment/etcd.env") assert.equal(after.get(path), stamp, path);
  }
});

Deno.test("render --service rewrites one daemon's files from the recorded identity and the compiled snapshot", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:41");
  assert.equal((await clusterboot(bootArgs(m), { env: m.env })).code, 0);
  await Deno.remove(`${m.root}/etc/containerd/config.toml`);
  const result = await clusterboot(["render", "--service", "containerd", "--root", m.root]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /compiled snapshot current/);
  assert.match(result.stderr, /render containerd: 1 created, 0 updated, 0 removed, 2 unchanged/);
  assert.match(await Deno.readTextFile(`${m.root}/etc/containerd/config.toml`), /SystemdCgroup = true/);

  // An OSD's files are rendered too, but without the node's keys it may not start: said once, plainly.
  await Deno.remove(`${m.root}/etc/ceph/ceph.conf`);
  const osd = await clusterboot(["render", "--service", "ceph-osd@1", "--root", m.root]);
  assert.equal(osd.code, 1);
  assert.match(osd.stderr, /render ceph-osd@1: 1 created, 0 updated, 0 removed, 1 unchanged/);
  assert.match(osd.stderr, /ceph-osd cannot start: missing \/var\/lib\/ceph\/bootstrap-osd\/ceph\.keyring/);
  assert.match(await Deno.readTextFile(`${m.root}/etc/ceph/ceph.conf`), /mon_host = \[v2:10\.20\.0\.41:3300/);

  const wrong = await clusterboot(["render", "--service", "ceph-osd@7", "--root", m.root]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /no ceph-osd@7/);
  const notHere = await clusterboot(["render", "--service", "etcd", "--root", m.root]);
  assert.equal(notHere.code, 2);
  assert.match(notHere.stderr, /service etcd does not run on node storage-01/);
});

Deno.test("render refuses to let a daemon start without its keys, naming every missing file", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:11");
  assert.equal((await clusterboot(bootArgs(m), { env: m.env })).code, 0);
  const result = await clusterboot(["render", "--service", "kube-apiserver", "--root", m.root]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /kube-apiserver cannot start: missing \/etc\/kubernetes\/pki\/ca\.crt, \/etc\/kubernetes\/pki\/apiserver\.crt/,
  );
  assert.match(result.stderr, /hint: install the node's keys with clusterboot boot --secrets DIR/);
  // Its config was still rendered: what is missing is key material, reported, not a half-written config.
  assert.ok(await Deno.stat(`${m.root}/etc/cluster-config/environment/kube-apiserver.env`));
});

Deno.test("render before boot: no identity yet, exit 3", async () => {
  await using dir = await tempDir();
  const result = await clusterboot(["render", "--service", "etcd", "--root", dir.path]);
  assert.equal(result.code, 3);
  assert.match(result.stderr, /node-identity is missing/);
});

Deno.test("an edited YAML beside a stale snapshot is validated again and refused", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:11");
  assert.equal((await clusterboot(bootArgs(m), { env: m.env })).code, 0);
  const config = `${m.root}/etc/cluster-config`;
  const cluster = await Deno.readTextFile(`${config}/cluster.yaml`);
  await Deno.writeTextFile(`${config}/cluster.yaml`, cluster.replace("gateway: 10.20.0.1", "gateway: 10.30.0.1"));
  const result = await clusterboot(["render", "--service", "etcd", "--root", m.root]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /cluster\.yaml:\d+:\d+: error: gateway 10\.30\.0\.1 is outside the node network/);
});

Deno.test("a failing systemctl fails boot with exit 1 and names the command", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path, "52:54:00:20:00:31");
  const result = await clusterboot(bootArgs(m), { env: { ...m.env, SYSTEMCTL_FAIL: "start" } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /systemctl start --no-block kubernetes-worker.target kafka.target failed \(exit 1\)/);
  assert.match(result.stderr, /\[failed\] activate/);
});

Deno.test("files boot wrote for a role the node has lost are removed by the next boot", async () => {
  await using dir = await tempDir();
  const config = `${dir.path}/config`;
  await copyTree(EXAMPLE_CONFIG, config);
  const m = await machine(dir.path, "52:54:00:20:00:21");
  const args = ["boot", "--config", config, "--root", m.root, "--facts", m.facts, "--activate"];
  assert.equal((await clusterboot(args, { env: m.env })).code, 0);
  assert.ok(await Deno.stat(`${m.root}/etc/mosquitto/mosquitto.conf`));
  // worker-01 stops being the MQTT broker: worker-02 takes the role.
  const cluster = await Deno.readTextFile(`${config}/cluster.yaml`);
  await Deno.writeTextFile(
    `${config}/cluster.yaml`,
    cluster.replace("roles: [worker, mqtt-broker]", "roles: [worker]").replace(
      "roles: [worker, ceph-osd]",
      "roles: [worker, ceph-osd, mqtt-broker]",
    ),
  );
  const result = await clusterboot(args, { env: m.env });
  assert.equal(result.code, 0, result.stderr);
  await assert.rejects(() => Deno.stat(`${m.root}/etc/mosquitto/mosquitto.conf`), Deno.errors.NotFound);
  await assert.rejects(() => Deno.stat(`${m.root}/etc/cluster-config/environment/mosquitto.env`), Deno.errors.NotFound);
  assert.match(result.stderr, /remove\s+\/etc\/mosquitto\/mosquitto\.conf/);
});

Deno.test("usage errors exit 2 with a hint", async () => {
  const typo = await clusterboot(["bot"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command "bot"/);
  assert.match(typo.stderr, /did you mean "boot"\?/);
  const flag = await clusterboot(["validate", "--confg", "x"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /did you mean "--config"\?/);
  const help = await clusterboot(["boot", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /examples:/);
});
