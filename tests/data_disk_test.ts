/**
 * The data disk on a real block device (a loop device over a sparse file) under a scratch root: formatted only when
 * blank, state directories copied onto it before they are covered, data kept across a remount, a rerun a no-op, and
 * a disk holding anything else refused untouched.
 *
 * @module
 */
import assert from "node:assert/strict";
import { prepareDataDisk } from "../src/apply/data_disk.ts";
import type { DataDiskPlan } from "../src/plan/data_disk.ts";
import { tempDir } from "./support/cli.ts";
import { runCommand } from "./support/process.ts";

async function must(cmd: string[]): Promise<string> {
  const result = await runCommand(cmd);
  assert.equal(result.code, 0, `${cmd.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A loop device over a fresh sparse file, detached (and everything under `root` unmounted) on dispose. */
async function loopDisk(dir: string, root: string): Promise<{ device: string } & AsyncDisposable> {
  const image = `${dir}/disk.img`;
  await must(["truncate", "-s", "64M", image]);
  const device = (await must(["losetup", "--find", "--show", image])).trim();
  return {
    device,
    async [Symbol.asyncDispose]() {
      const mounts = await Deno.readTextFile("/proc/self/mountinfo");
      const under = mounts.split("\n").map((l) => l.split(" ")[4]).filter((p) => p?.startsWith(`${root}/`));
      for (const point of under.reverse()) await runCommand(["umount", point]);
      await runCommand(["losetup", "-d", device]);
    },
  };
}

function planFor(device: string): DataDiskPlan {
  return {
    device,
    mountPoint: "/var/lib/clusterdata",
    label: "clusterdata",
    binds: [
      { source: "/var/lib/clusterdata/etcd", target: "/var/lib/etcd" },
      { source: "/var/lib/clusterdata/mosquitto", target: "/var/lib/mosquitto" },
    ],
  };
}

async function unmountAll(root: string): Promise<void> {
  for (const path of ["/var/lib/etcd", "/var/lib/mosquitto", "/var/lib/clusterdata"]) {
    await must(["umount", `${root}${path}`]);
  }
}

Deno.test("data disk: formatted when blank, state kept across a remount, a rerun changes nothing", async () => {
  await using dir = await tempDir();
  const root = `${dir.path}/root`;
  await using disk = await loopDisk(dir.path, root);
  // What the image holds before the disk is there: a package's directory with its owner and mode.
  await Deno.mkdir(`${root}/var/lib/mosquitto`, { recursive: true });
  await Deno.writeTextFile(`${root}/var/lib/mosquitto/from-package`, "x");
  await Deno.chown(`${root}/var/lib/mosquitto`, 4242, 4243);
  await Deno.chmod(`${root}/var/lib/mosquitto`, 0o750);

  const first = await prepareDataDisk(planFor(disk.device), { root });
  assert.deepEqual(first, { formatted: true, mounted: true, bound: ["/var/lib/etcd", "/var/lib/mosquitto"] });
  const probe = await must(["blkid", "-p", "-o", "export", disk.device]);
  assert.match(probe, /^TYPE=ext4$/m);
  assert.match(probe, /^LABEL=clusterdata$/m);
  const copied = await Deno.stat(`${root}/var/lib/mosquitto`);
  assert.deepEqual([copied.uid, copied.gid, copied.mode! & 0o777], [4242, 4243, 0o750]);
  assert.equal(await Deno.readTextFile(`${root}/var/lib/mosquitto/from-package`), "x");

  await Deno.mkdir(`${root}/var/lib/etcd/member`);
  await Deno.writeTextFile(`${root}/var/lib/etcd/member/wal`, "state");
  assert.deepEqual(await prepareDataDisk(planFor(disk.device), { root }), {
    formatted: false,
    mounted: false,
    bound: [],
  });

  // As after a reboot: nothing mounted, the disk already ours.
  await unmountAll(root);
  await assert.rejects(Deno.stat(`${root}/var/lib/etcd/member`));
  const again = await prepareDataDisk(planFor(disk.device), { root });
  assert.deepEqual(again, { formatted: false, mounted: true, bound: ["/var/lib/etcd", "/var/lib/mosquitto"] });
  assert.equal(await Deno.readTextFile(`${root}/var/lib/etcd/member/wal`), "state");
});

Deno.test("data disk: a disk holding another filesystem is refused and left as it was", async () => {
  await using dir = await tempDir();
  const root = `${dir.path}/root`;
  await using disk = await loopDisk(dir.path, root);
  await must(["mkfs.ext4", "-q", "-L", "backups", disk.device]);
  const before = await must(["blkid", "-p", "-o", "export", disk.device]);

  await assert.rejects(prepareDataDisk(planFor(disk.device), { root }), (error: Error) => {
    assert.match(error.message, /holds an ext4 filesystem labelled backups; boot formats only blank disks/);
    return true;
  });
  assert.equal(await must(["blkid", "-p", "-o", "export", disk.device]), before);
  const mounts = await Deno.readTextFile("/proc/self/mountinfo");
  assert.ok(!mounts.includes(root), "nothing under the root is mounted");
});

Deno.test("data disk: a missing device is named, and nothing is made", async () => {
  await using dir = await tempDir();
  const root = `${dir.path}/root`;
  await assert.rejects(
    prepareDataDisk(planFor(`${dir.path}/no-such-disk`), { root, waitMs: 300 }),
    /data disk .*no-such-disk does not exist/,
  );
  await assert.rejects(Deno.stat(root));
});
