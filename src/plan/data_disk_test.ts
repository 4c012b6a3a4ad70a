import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { nodeByName } from "../config/model.ts";
import { planDataDisk } from "./data_disk.ts";

const loaded = await loadConfig(new URL("../../configs", import.meta.url).pathname, { full: true });
const node = (name: string) => nodeByName(loaded.config, name)!;

Deno.test("data disk: a master keeps etcd, containerd and kubelet state on it", () => {
  assert.deepEqual(planDataDisk(node("master-01")), {
    device: "/dev/vda",
    mountPoint: "/var/lib/clusterdata",
    label: "clusterdata",
    binds: [
      { source: "/var/lib/clusterdata/containerd", target: "/var/lib/containerd" },
      { source: "/var/lib/clusterdata/etcd", target: "/var/lib/etcd" },
      { source: "/var/lib/clusterdata/kubelet", target: "/var/lib/kubelet" },
    ],
  });
});

Deno.test("data disk: a Ceph monitor and OSD share /var/lib/ceph, bound once", () => {
  const targets = planDataDisk(node("storage-01"))!.binds.map((b) => b.target);
  assert.deepEqual(targets, ["/var/lib/ceph", "/var/lib/containerd", "/var/lib/kubelet"]);
});

Deno.test("data disk: none when the node file names none", () => {
  const { dataDisk: _, ...file } = node("worker-01").file;
  assert.equal(planDataDisk({ ...node("worker-01"), file }), undefined);
});
