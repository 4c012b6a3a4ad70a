/**
 * Boot with a secrets directory: each node gets its share, with the modes and owners its daemons need, and nothing
 * clusterboot prints ever contains key material.
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, clusterboot, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";
const work = await Deno.makeTempDir({ prefix: "clusterboot-secrets-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const secrets = `${work}/secrets`;
const outputs: string[] = [];
const run = async (args: string[]) => {
  const result = await clusterboot(args);
  outputs.push(result.stdout, result.stderr);
  return result;
};
const init = await run(["pki", "init", "--config", EXAMPLE_CONFIG, "--out", secrets]);
if (init.code !== 0) throw new Error(init.stderr);

/** The users a Debian image with the daemons' packages has; uids are this test's own. */
const USERS = { etcd: 901, ceph: 902, mosquitto: 903, kafka: 904, coredns: 905 };

async function scratchRoot(dir: string): Promise<string> {
  const root = `${dir}/root`;
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  const entries = Object.entries(USERS);
  await Deno.writeTextFile(
    `${root}/etc/passwd`,
    ["root:x:0:0:root:/root:/bin/sh", ...entries.map(([u, id]) => `${u}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`)]
      .join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${root}/etc/group`,
    ["root:x:0:", ...entries.map(([u, id]) => `${u}:x:${id}:`)].join("\n") + "\n",
  );
  return root;
}

const boot = (root: string, node: string, ...extra: string[]) =>
  run([
    "boot",
    "--config",
    EXAMPLE_CONFIG,
    "--secrets",
    secrets,
    "--root",
    root,
    "--node",
    node,
    "--no-activate",
    ...extra,
  ]);

const info = (path: string) => Deno.statSync(path);

Deno.test("a worker's root holds its kubeconfig and the CA certificate, no CA key and no etcd key", async () => {
  await using dir = await tempDir();
  const root = await scratchRoot(dir.path);
  const result = await boot(root, "worker-01");
  assert.equal(result.code, 0, result.stderr);
  const tree = await listTree(root);
  assert.ok(tree.includes("/etc/kubernetes/kubelet.conf"));
  assert.ok(tree.includes("/etc/kubernetes/pki/ca.crt"));
  assert.ok(!tree.some((p) => p.endsWith(".key")), tree.filter((p) => p.endsWith(".key")).join());
  assert.ok(!tree.some((p) => p.startsWith("/etc/etcd")));
  assert.equal(info(`${root}/etc/kubernetes/kubelet.conf`).mode! & 0o777, 0o600);
  assert.equal(info(`${root}/etc/kubernetes/pki/ca.crt`).mode! & 0o777, 0o644);
  const passwd = info(`${root}/etc/mosquitto/passwd`);
  assert.deepEqual([passwd.mode! & 0o777, passwd.uid, passwd.gid], [0o600, USERS.mosquitto, USERS.mosquitto]);
  assert.match(await Deno.readTextFile(`${root}/etc/kubernetes/kubelet.conf`), /https:\/\/10\.20\.0\.11:6443/);
});

Deno.test("a master's root holds the control plane's keys; etcd's own are owned by etcd", async () => {
  await using dir = await tempDir();
  const root = await scratchRoot(dir.path);
  const result = await boot(root, "master-01");
  assert.equal(result.code, 0, result.stderr);
  for (const file of ["server.key", "peer.key", "server.crt", "peer.crt"]) {
    const st = info(`${root}/etc/etcd/pki/${file}`);
    assert.equal(st.uid, USERS.etcd, file);
    assert.equal(st.mode! & 0o777, file.endsWith(".key") ? 0o600 : 0o644, file);
  }
  const caKey = info(`${root}/etc/kubernetes/pki/ca.key`);
  assert.deepEqual([caKey.mode! & 0o777, caKey.uid], [0o600, 0]);
  for (const conf of ["admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf"]) {
    assert.equal(info(`${root}/etc/kubernetes/${conf}`).mode! & 0o777, 0o600, conf);
  }
  assert.equal(
    await Deno.readTextFile(`${root}/etc/kubernetes/pki/apiserver.crt`),
    await Deno.readTextFile(`${secrets}/apiserver/tls.crt`),
  );
  // The etcd CA key never leaves the secrets directory.
  assert.ok(!(await listTree(root)).includes("/etc/etcd/pki/ca.key"));
});

Deno.test("a boot without a secrets directory leaves the keys an earlier boot installed, and says so", async () => {
  await using dir = await tempDir();
  const root = await scratchRoot(dir.path);
  assert.equal((await boot(root, "master-01")).code, 0);
  const keys = async () =>
    Object.fromEntries(
      await Promise.all(
        (await listTree(root)).filter((p) => p.startsWith("/etc/kubernetes/pki/") || p.startsWith("/etc/etcd/pki/"))
          .map(async (p) => [p, await Deno.readTextFile(`${root}${p}`)]),
      ),
    );
  const installed = await keys();
  assert.ok(Object.keys(installed).includes("/etc/kubernetes/pki/ca.key"));
  const manifest = await Deno.readTextFile(`${root}/var/lib/clusterboot/managed-files`);
  // configs/ has no secrets/ beside it: the rerun an operator makes without --secrets.
  const bare = ["boot", "--config", EXAMPLE_CONFIG, "--root", root, "--node", "master-01", "--no-activate"];
  const rerun = await run(bare);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /no secrets directory at .*: keys and certificates are not installed/);
  assert.match(rerun.stdout + rerun.stderr, / 0 removed/);
  assert.deepEqual(await keys(), installed, "every key and certificate as it was");
  assert.equal(await Deno.readTextFile(`${root}/var/lib/clusterboot/managed-files`), manifest, "still managed");
  const withSecrets = await boot(root, "master-01");
  assert.match(withSecrets.stdout + withSecrets.stderr, /0 created, 0 updated, 0 removed/);
});

Deno.test("Ceph and Kafka nodes get their keyrings and ids: fsid in ceph.conf, cluster id in kafka.env", async () => {
  await using dir = await tempDir();
  const storage = await scratchRoot(`${dir.path}`);
  assert.equal((await boot(storage, "storage-01")).code, 0);
  const fsid = (await Deno.readTextFile(`${secrets}/ceph-fsid/value`)).trim();
  assert.match(await Deno.readTextFile(`${storage}/etc/ceph/ceph.conf`), new RegExp(`^fsid = ${fsid}$`, "m"));
  for (
    const keyring of [
      "/etc/ceph/ceph.mon.keyring",
      "/etc/ceph/ceph.client.admin.keyring",
      "/var/lib/ceph/bootstrap-osd/ceph.keyring",
    ]
  ) {
    const st = info(`${storage}${keyring}`);
    assert.deepEqual([st.mode! & 0o777, st.uid], [0o600, USERS.ceph], keyring);
  }
  await Deno.mkdir(`${dir.path}/k`);
  const kafka = await scratchRoot(`${dir.path}/k`);
  assert.equal((await boot(kafka, "kafka-01")).code, 0);
  const id = (await Deno.readTextFile(`${secrets}/kafka-cluster-id/value`)).trim();
  assert.match(
    await Deno.readTextFile(`${kafka}/etc/cluster-config/environment/kafka.env`),
    new RegExp(`^KAFKA_CLUSTER_ID=${id}$`, "m"),
  );
  // A unit's render, long after boot and without the secrets directory, writes the same: nothing changes.
  const render = await run(["render", "--service", "kafka", "--root", kafka]);
  assert.equal(render.code, 0, render.stderr);
  assert.match(render.stderr, /render kafka: 0 created, 0 updated, 0 removed, 3 unchanged/);
});

Deno.test("a rotated certificate is installed by the next boot, restarting only the daemons that read it", async () => {
  await using dir = await tempDir();
  const root = await scratchRoot(dir.path);
  assert.equal((await boot(root, "master-01")).code, 0);
  const rotate = await run(["pki", "rotate", "--config", EXAMPLE_CONFIG, "--secrets", secrets, "--item", "apiserver"]);
  assert.equal(rotate.code, 0, rotate.stderr);
  const diff = await run([
    "plan",
    "--config",
    EXAMPLE_CONFIG,
    "--secrets",
    secrets,
    "--root",
    root,
    "--node",
    "master-01",
    "--diff",
  ]);
  assert.match(diff.stdout, /0 to create, 2 to update, 0 to remove/);
  assert.match(diff.stdout, /apiserver\.key\n.*secret: content differ; content not shown/);
  const again = await boot(root, "master-01");
  assert.match(again.stderr, /0 created, 2 updated, 0 removed/);
  assert.match(again.stderr, /restart kube-apiserver\.service if running/);
});

Deno.test("a secrets directory that lacks this node's files fails before anything is written", async () => {
  await using dir = await tempDir();
  const partial = `${dir.path}/partial`;
  await Deno.mkdir(partial);
  await Deno.mkdir(`${partial}/kubernetes-ca`);
  await Deno.copyFile(`${secrets}/kubernetes-ca/ca.crt`, `${partial}/kubernetes-ca/ca.crt`);
  const root = await scratchRoot(dir.path);
  const before = await listTree(root);
  const result = await clusterboot([
    "boot",
    "--config",
    EXAMPLE_CONFIG,
    "--secrets",
    partial,
    "--root",
    root,
    "--node",
    "worker-01",
    "--no-activate",
  ]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /lacks 2 file\(s\) this node needs: kubelet-worker-01\/kubeconfig, mqtt-passwd\/passwd/);
  assert.match(result.stderr, /hint: run clusterboot pki init/);
  // Nothing but the record of the failed boot.
  assert.deepEqual((await listTree(root)).filter((p) => p !== BOOT_RECORD), before);
});

Deno.test("pki check: every item ok today; leaves expiring within --days fail it; a broken item is named", async () => {
  const ok = await run(["pki", "check", "--config", EXAMPLE_CONFIG, "--secrets", secrets]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /28 of 28 items ok \(threshold 30 days\)/);
  const soon = await run(["pki", "check", "--config", EXAMPLE_CONFIG, "--secrets", secrets, "--days", "400", "--json"]);
  assert.equal(soon.code, 1);
  const report = JSON.parse(soon.stdout);
  assert.equal(report.ok, false);
  const apiserver = report.items.find((i: { item: string }) => i.item === "apiserver");
  assert.ok(apiserver.daysLeft >= 363 && apiserver.daysLeft <= 365, String(apiserver.daysLeft));
  assert.ok(report.items.find((i: { item: string }) => i.item === "kubernetes-ca").daysLeft > 3600);

  await using dir = await tempDir();
  const copy = `${dir.path}/secrets`;
  await Deno.mkdir(copy);
  for (const item of await Array.fromAsync(Deno.readDir(secrets))) {
    await Deno.mkdir(`${copy}/${item.name}`);
    for (const f of await Array.fromAsync(Deno.readDir(`${secrets}/${item.name}`))) {
      await Deno.copyFile(`${secrets}/${item.name}/${f.name}`, `${copy}/${item.name}/${f.name}`);
    }
  }
  // Swap the admin's key for another item's: the key no longer matches the certificate.
  await Deno.copyFile(`${secrets}/scheduler/tls.key`, `${copy}/admin/tls.key`);
  await Deno.remove(`${copy}/bootstrap-token`, { recursive: true });
  const broken = await run(["pki", "check", "--config", EXAMPLE_CONFIG, "--secrets", copy]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /^admin +kubeconfig +invalid .*the key does not belong to the certificate/m);
  assert.match(broken.stdout, /^bootstrap-token +token +missing/m);
});

Deno.test("nothing clusterboot printed in these tests contains key material, a password or a token", async () => {
  const check = await run(["pki", "check", "--config", EXAMPLE_CONFIG, "--secrets", secrets, "--json"]);
  assert.equal(check.code, 0, check.stderr);
  const printed = outputs.join("\n");
  assert.ok(printed.length > 1000, "the scan has output to look at");
  // Certificates are public (plan --diff may show one); keys never.
  assert.doesNotMatch(printed, /PRIVATE KEY/);
  const needles: string[] = [];
  for (const item of await Array.fromAsync(Deno.readDir(secrets))) {
    for (const file of ["key", "password", "token", "tls.key", "ca.key", "key.pem"]) {
      try {
        const text = (await Deno.readTextFile(`${secrets}/${item.name}/${file}`)).trim();
        // For PEM keys, look for any line of the base64 body.
        needles.push(...(text.includes("-----") ? text.split("\n").filter((l) => !l.startsWith("-----")) : [text]));
      } catch {
        // this item has no such file
      }
    }
  }
  assert.ok(needles.length > 20, `only ${needles.length} secrets to look for`);
  for (const needle of needles) assert.ok(!printed.includes(needle), "a secret appeared in the output");
});
