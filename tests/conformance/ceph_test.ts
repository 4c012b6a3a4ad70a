/**
 * Ceph from our rendered configuration: the three monitors and three OSDs of the three-of-each cluster, each OSD on
 * a loop device backed by a sparse file (the node files name the loop devices this machine hands out). Each daemon
 * is started as its unit would start it: the monitors' pre-start makes their stores from our monmap and keyring,
 * the OSDs' prepares their devices as BlueStore. The monitors reach quorum, the OSDs come up and in, `ceph` with our
 * admin keyring reports them, data is written and read; rerunning an OSD's preparation keeps its data, and an OSD
 * whose directory is lost is re-activated from its device, data intact.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { copyTree } from "../support/cli.ts";
import { prepareCluster } from "../support/cluster.ts";
import { virtualNetwork } from "../support/netns.ts";
import { nodeSandbox } from "../support/node_sandbox.ts";
import { type Daemon, runCommand } from "../support/process.ts";
import { startUnit } from "../support/unit_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TRIO = `${ROOT}tests/fixtures/clusters/trio`;
const MONS = ["master-1", "master-2", "master-3"];
const OSDS = [{ node: "node-1", id: 0 }, { node: "node-2", id: 1 }, { node: "node-3", id: 2 }];

Deno.test("ceph: monitors from our bootstrap reach quorum, OSDs from our preparation come up, data survives", async () => {
  const work = await Deno.makeTempDir({ prefix: "clusterboot-ceph-", dir: "/var/tmp" });
  const loops: string[] = [];
  const running = new Map<string, Daemon>();
  try {
    // The trio's configuration, its OSDs on this machine's loop devices.
    const configDir = `${work}/config`;
    await copyTree(TRIO, configDir);
    for (const { node, id } of OSDS) {
      const backing = `${work}/${node}.img`;
      const file = await Deno.open(backing, { create: true, write: true });
      await file.truncate(3 * 1024 ** 3);
      file.close();
      const loop = await runCommand(["losetup", "--find", "--show", backing]);
      assert.equal(loop.code, 0, loop.stderr);
      const device = loop.stdout.trim();
      loops.push(device);
      const path = `${configDir}/nodes/${node}.yaml`;
      await Deno.writeTextFile(
        path,
        (await Deno.readTextFile(path)).replace(`{ id: ${id}, device: /dev/vdb }`, `{ id: ${id}, device: ${device} }`),
      );
    }
    const { config } = await loadConfig(configDir, { full: true });
    const names = [...MONS, ...OSDS.map((o) => o.node)];
    const cluster = await prepareCluster(configDir, work, names);
    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => names.includes(n.name)));
    await using sandboxes = new AsyncDisposableStack();
    const nodes = Object.fromEntries(
      await Promise.all(
        names.map(async (
          n,
        ) => [n, sandboxes.use(await nodeSandbox(network, n, cluster.roots[n], `${work}/state/${n}`))]),
      ),
    );
    sandboxes.defer(() => Promise.all([...running.values()].map((d) => d.stop())).then(() => {}));
    // What systemd-tmpfiles does on a booted node with Debian's ceph packages: /run/ceph, owned by ceph.
    for (const n of names) {
      const tmpfiles = await runCommand(
        nodes[n].command(["systemd-tmpfiles", "--create", "/usr/lib/tmpfiles.d/ceph.conf"]),
      );
      assert.equal(tmpfiles.code, 0, tmpfiles.stderr);
    }

    const admin = cluster.roots["master-1"];
    const ceph = (...args: string[]) =>
      runCommand(nodes["master-1"].client([
        "ceph",
        "--connect-timeout",
        "10",
        "-c",
        `${admin}/etc/ceph/ceph.conf`,
        "-k",
        `${admin}/etc/ceph/ceph.client.admin.keyring`,
        ...args,
      ]));
    const rados = (...args: string[]) =>
      runCommand(nodes["master-1"].client([
        "rados",
        "-c",
        `${admin}/etc/ceph/ceph.conf`,
        "-k",
        `${admin}/etc/ceph/ceph.client.admin.keyring`,
        ...args,
      ]));
    const waitFor = async (what: string, test: () => Promise<boolean>, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await test()) return;
        await new Promise((r) => setTimeout(r, 2000));
      }
      throw new Error(
        `${what} did not happen in ${timeoutMs / 1000} s: ${(await ceph("-s")).stdout}\n` +
          [...running.entries()].map(([k, d]) => `--- ${k}\n${d.output().slice(-1500)}`).join("\n"),
      );
    };

    // What a first start killed half-way leaves on master-1 (the old way's directory without its store, the new
    // way's half-made store beside it): the pre-start must clear both and make the store whole.
    const [storeless, halfMade] = ["/var/lib/ceph/mon/ceph-master-1", "/var/lib/ceph/mon/.ceph-master-1.making"];
    const leftovers = await runCommand(nodes["master-1"].command([
      "sh",
      "-c",
      `mkdir -p ${storeless} ${halfMade}/store.db && echo half > ${storeless}/keyring && ` +
      `echo half > ${halfMade}/store.db/CURRENT`,
    ]));
    assert.equal(leftovers.code, 0, leftovers.stderr);
    await Promise.all(MONS.map(async (m) => running.set(m, await startUnit(nodes[m], `ceph-mon@${m}.service`))));
    await waitFor("a quorum of three monitors", async () => {
      const status = await ceph("quorum_status", "-f", "json");
      return status.code === 0 && JSON.parse(status.stdout).quorum_names?.length === 3;
    });
    assert.equal(
      JSON.parse((await ceph("fsid", "-f", "json")).stdout).fsid,
      (await Deno.readTextFile(`${cluster.secrets}/ceph-fsid/value`)).trim(),
    );
    const monDir = await runCommand(nodes["master-1"].command(["ls", "-A", "/var/lib/ceph/mon"]));
    assert.deepEqual(monDir.stdout.trim().split("\n"), ["ceph-master-1"], "only the made store, no leftovers");

    const startOsd = async ({ node, id }: { node: string; id: number }) =>
      running.set(`osd.${id}`, await startUnit(nodes[node], `ceph-osd@${id}.service`));
    for (const osd of OSDS) await startOsd(osd);
    const allUp = async () => {
      const stat = JSON.parse((await ceph("osd", "stat", "-f", "json")).stdout || "{}");
      return stat.num_osds === 3 && stat.num_up_osds === 3 && stat.num_in_osds === 3;
    };
    await waitFor("three OSDs up and in", allUp);
    const status = (await ceph("-s")).stdout;
    assert.match(status, /mon: 3 daemons, quorum master-1,master-2,master-3/, status);
    assert.match(status, /osd: 3 osds: 3 up .* 3 in/, status);

    assert.equal((await ceph("osd", "pool", "create", "readings", "8", "8")).code, 0);
    const object = `${work}/object`;
    await Deno.writeTextFile(object, "21.5 22.0 22.4\n");
    let put = await rados("-p", "readings", "put", "day-1", object);
    const until = Date.now() + 60_000;
    while (put.code !== 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 2000));
      put = await rados("-p", "readings", "put", "day-1", object);
    }
    assert.equal(put.code, 0, put.stderr);
    const read = async () => {
      const got = await rados("-p", "readings", "get", "day-1", `${work}/got`);
      return got.code === 0 ? await Deno.readTextFile(`${work}/got`) : `rados get failed: ${got.stderr}`;
    };
    assert.equal(await read(), "21.5 22.0 22.4\n");

    // Preparation again on a prepared OSD: its device and data are left as they were.
    const fsidOf = async (node: string, id: number) =>
      (await runCommand(nodes[node].command(["cat", `/var/lib/ceph/osd/ceph-${id}/fsid`]))).stdout.trim();
    const before = await fsidOf("node-2", 1);
    await running.get("osd.1")!.stop();
    await startOsd(OSDS[1]);
    assert.equal(await fsidOf("node-2", 1), before);
    await waitFor("osd.1 back up", allUp);

    // Its directory lost: the pre-start finds osd.2's label on the device and re-activates it, data kept.
    await running.get("osd.2")!.stop();
    const wipe = await runCommand(nodes["node-3"].command(["rm", "-rf", "/var/lib/ceph/osd/ceph-2"]));
    assert.equal(wipe.code, 0, wipe.stderr);
    await startOsd(OSDS[2]);
    await waitFor("osd.2 back up", allUp);
    assert.equal(await read(), "21.5 22.0 22.4\n");

    // A preparation cut short (its start killed by its timeout during ceph-osd --mkfs) leaves this OSD's label on
    // the device without its id, which ceph-osd --mkfs writes last. The next start must prepare again, not activate
    // an OSD without a superblock that fails at every start; the registration and data already there are kept.
    const label = async () => {
      const shown = await runCommand(nodes["node-2"].command(["ceph-bluestore-tool", "show-label", "--dev", loops[1]]));
      assert.equal(shown.code, 0, shown.stderr);
      return JSON.parse(shown.stdout)[loops[1]] as Record<string, string>;
    };
    assert.equal((await label()).whoami, "1", "a finished preparation's label names its OSD");
    await running.get("osd.1")!.stop();
    const cut = await runCommand(
      nodes["node-2"].command(["ceph-bluestore-tool", "rm-label-key", "--dev", loops[1], "-k", "whoami"]),
    );
    assert.equal(cut.code, 0, cut.stderr);
    assert.equal((await label()).whoami, undefined);
    await startOsd(OSDS[1]);
    await waitFor("osd.1 up after its cut-short preparation was made again", allUp);
    // Only ceph-osd --mkfs writes the id back: activating would have left the label as it was.
    assert.equal((await label()).whoami, "1");
    assert.equal(await read(), "21.5 22.0 22.4\n");
  } finally {
    for (const loop of loops) {
      await runCommand(["chown", "root:disk", loop]);
      await runCommand(["losetup", "-d", loop]);
    }
    await Deno.remove(work, { recursive: true });
  }
});
