import assert from "node:assert/strict";
import { foreignContent, parseMountinfo } from "./data_disk.ts";

Deno.test("mountinfo: mount points with their device, octal escapes decoded", () => {
  const mounts = parseMountinfo(
    [
      "22 1 0:21 / / rw,relatime - overlay overlay rw",
      "40 22 254:16 / /var/lib/clusterdata rw,noatime shared:20 - ext4 /dev/vdb rw",
      "41 22 254:16 /etcd /var/lib/etcd rw,noatime shared:20 - ext4 /dev/vdb rw",
      "42 22 0:30 / /mnt/with\\040space rw - tmpfs tmpfs rw",
    ].join("\n"),
  );
  assert.equal(mounts.get("/var/lib/clusterdata"), "254:16");
  assert.equal(mounts.get("/var/lib/etcd"), "254:16");
  assert.equal(mounts.get("/mnt/with space"), "0:30");
  assert.equal(mounts.get("/var/lib/kafka"), undefined);
});

Deno.test("data disk probe: only our own ext4 is taken; anything else is named in the refusal", () => {
  assert.equal(foreignContent({ TYPE: "ext4", LABEL: "clusterdata" }, "clusterdata"), undefined);
  assert.equal(foreignContent({ TYPE: "ext4", LABEL: "home" }, "clusterdata"), "an ext4 filesystem labelled home");
  assert.equal(foreignContent({ TYPE: "ceph_bluestore" }, "clusterdata"), "a ceph_bluestore filesystem");
  assert.equal(foreignContent({ PTTYPE: "gpt" }, "clusterdata"), "a gpt partition table");
});
