/**
 * etcd from our rendered configuration: three masters, each in a sandbox holding exactly the files boot wrote, on
 * the addresses cluster.yaml gives them (in a network namespace of the test's own). Started as etcd.service would
 * start them — its ExecStartPre (`clusterboot render`, which decides how the member starts), its EnvironmentFile,
 * User=etcd. A key written on one member is read on another; a member killed and restarted rejoins as `existing`;
 * a member that lost its data is removed and added again by its pre-start, and catches up.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { prepareCluster } from "../support/cluster.ts";
import { virtualNetwork } from "../support/netns.ts";
import { nodeSandbox } from "../support/node_sandbox.ts";
import { runCommand } from "../support/process.ts";
import { startUnit } from "../support/unit_runner.ts";
import type { Daemon } from "../support/process.ts";

const TRIO = new URL("../fixtures/clusters/trio", import.meta.url).pathname;
const MASTERS = ["master-1", "master-2", "master-3"];

Deno.test("etcd: three members from our rendered config form a cluster, rejoin, and recover a lost member", async () => {
  const { config } = await loadConfig(TRIO, { full: true });
  const work = await Deno.makeTempDir({ prefix: "clusterboot-etcd-" });
  const running = new Map<string, Daemon>();
  try {
    const cluster = await prepareCluster(TRIO, work, MASTERS);
    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => MASTERS.includes(n.name)));
    await using sandboxes = new AsyncDisposableStack();
    const nodes = Object.fromEntries(
      await Promise.all(
        MASTERS.map(async (
          m,
        ) => [m, sandboxes.use(await nodeSandbox(network, m, cluster.roots[m], `${work}/state/${m}`))]),
      ),
    );
    const ip = (m: string) => config.cluster.nodes.find((n) => n.name === m)!.ip;
    const etcdctl = (m: string, ...args: string[]) =>
      runCommand(
        nodes[m].client([
          "etcdctl",
          `--endpoints=https://${ip(m)}:2379`,
          `--cacert=${cluster.roots[m]}/etc/etcd/pki/ca.crt`,
          `--cert=${cluster.roots[m]}/etc/kubernetes/pki/apiserver-etcd-client.crt`,
          `--key=${cluster.roots[m]}/etc/kubernetes/pki/apiserver-etcd-client.key`,
          "--dial-timeout=2s",
          ...args,
        ]),
        { env: { ETCDCTL_API: "3" } },
      );
    const healthy = async (m: string, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = await etcdctl(m, "endpoint", "health");
      while (last.code !== 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        last = await etcdctl(m, "endpoint", "health");
      }
      assert.equal(last.code, 0, `${m} unhealthy: ${last.stderr}\n${running.get(m)?.output()}`);
    };
    // The env file as the node has it, after its last pre-start.
    const state = async (m: string) =>
      (await runCommand(nodes[m].command(["cat", "/etc/cluster-config/environment/etcd.env"]))).stdout
        .split("\n").find((l) => l.startsWith("ETCD_INITIAL_CLUSTER_STATE="));
    const start = async (m: string) => running.set(m, await startUnit(nodes[m], "etcd.service"));

    // master-1 and master-2 bootstrap (two of three make a quorum); master-3 boots later and joins them.
    await Promise.all([start("master-1"), start("master-2")]);
    await healthy("master-1");
    assert.equal(await state("master-1"), "ETCD_INITIAL_CLUSTER_STATE=new");
    await start("master-3");
    await healthy("master-3");

    assert.equal((await etcdctl("master-1", "put", "/clusterboot/k", "from-master-1")).code, 0);
    assert.equal(
      (await etcdctl("master-3", "get", "/clusterboot/k", "--print-value-only")).stdout.trim(),
      "from-master-1",
    );
    const members = (await etcdctl("master-2", "member", "list")).stdout.trim().split("\n");
    assert.equal(members.length, 3, members.join("\n"));
    assert.ok(members.every((l) => l.includes(", started, ")), members.join("\n"));

    // Killed and restarted: its pre-start sees its data and renders `existing`; it catches up on a write it missed.
    await running.get("master-2")!.stop();
    assert.equal((await etcdctl("master-1", "put", "/clusterboot/k", "while-2-was-down")).code, 0);
    await start("master-2");
    assert.equal(await state("master-2"), "ETCD_INITIAL_CLUSTER_STATE=existing");
    await healthy("master-2");
    assert.equal(
      (await etcdctl("master-2", "get", "/clusterboot/k", "--print-value-only", "--consistency=s")).stdout.trim(),
      "while-2-was-down",
    );

    // Its data lost: the pre-start removes and re-adds the member, which then starts empty as `existing`.
    await running.get("master-3")!.stop();
    // Wiped on the node itself (the overlay's writable layer must not be changed under it).
    const wipe = await runCommand(nodes["master-3"].command(["rm", "-rf", "/var/lib/etcd/member"]));
    assert.equal(wipe.code, 0, wipe.stderr);
    const idBefore = members.find((l) => l.includes(", master-3, "))!.split(",")[0];
    await start("master-3");
    await healthy("master-3");
    assert.equal(await state("master-3"), "ETCD_INITIAL_CLUSTER_STATE=existing");
    const after = (await etcdctl("master-1", "member", "list")).stdout;
    assert.ok(!after.includes(idBefore), `the lost member ${idBefore} was removed:\n${after}`);
    assert.match(after, /, started, master-3, https:\/\/10\.30\.0\.13:2380/);
    assert.equal(
      (await etcdctl("master-3", "get", "/clusterboot/k", "--print-value-only", "--consistency=s")).stdout.trim(),
      "while-2-was-down",
    );
  } finally {
    await Promise.all([...running.values()].map((d) => d.stop()));
    await Deno.remove(work, { recursive: true });
  }
});
