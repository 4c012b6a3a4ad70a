import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { nodeByName } from "../config/model.ts";
import { catalogue } from "./catalogue.ts";
import { nodeShare, shareRefs } from "./share.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;
const TRIO = new URL("../../tests/fixtures/clusters/trio", import.meta.url).pathname;

Deno.test("a worker gets the cluster CA certificate and its own kubeconfig: no CA key, no etcd key", async () => {
  const { config } = await loadConfig(EXAMPLE, { full: true });
  const share = nodeShare(config, nodeByName(config, "worker-01")!);
  const sources = share.flatMap((f) => f.sources.map((s) => `${s.item}/${s.file}`));
  assert.ok(!sources.some((s) => s.endsWith("ca.key")), "no CA key");
  assert.ok(!sources.some((s) => s.startsWith("etcd-")), "no etcd material");
  assert.ok(!sources.some((s) => s.startsWith("kubelet-") && s !== "kubelet-worker-01/kubeconfig"), "no other kubelet");
  assert.deepEqual(share.map((f) => f.path).sort(), [
    "/etc/kubernetes/kubelet.conf",
    "/etc/kubernetes/pki/ca.crt",
    "/etc/mosquitto/passwd",
  ]);
  const passwd = share.find((f) => f.path === "/etc/mosquitto/passwd")!;
  assert.deepEqual([passwd.mode, passwd.owner], [0o600, "mosquitto"]);
});

Deno.test("a master gets the control plane's keys and its own etcd member's, owned by etcd", async () => {
  const { config } = await loadConfig(TRIO, { full: true });
  const share = nodeShare(config, nodeByName(config, "master-2")!);
  const bySource = new Map(share.map((f) => [f.path, f.sources.map((s) => `${s.item}/${s.file}`).join("+")]));
  assert.equal(bySource.get("/etc/etcd/pki/peer.key"), "etcd-peer-master-2/tls.key");
  assert.equal(bySource.get("/etc/etcd/pki/server.crt"), "etcd-server-master-2/tls.crt");
  assert.equal(bySource.get("/etc/kubernetes/pki/ca.key"), "kubernetes-ca/ca.key");
  assert.ok(![...bySource.values()].some((s) => s.includes("etcd-ca/ca.key")), "the etcd CA key stays off the nodes");
  assert.ok(![...bySource.values()].some((s) => s.includes("master-1") || s.includes("master-3")));
  for (const f of share) {
    assert.equal(f.mode, f.path.endsWith(".crt") || f.path.endsWith(".pub") ? 0o644 : 0o600, f.path);
    if (f.path.startsWith("/etc/etcd/pki/") && !f.path.endsWith("ca.crt")) assert.equal(f.owner, "etcd");
  }
  assert.equal(
    bySource.get("/etc/ceph/ceph.mon.keyring"),
    "ceph-mon/keyring+ceph-admin/keyring+ceph-bootstrap-osd/keyring",
    "the monitor's mkfs keyring holds mon., client.admin and client.bootstrap-osd",
  );
});

Deno.test("every file a node's share names is an item the catalogue makes", async () => {
  for (const dir of [EXAMPLE, TRIO]) {
    const { config } = await loadConfig(dir, { full: true });
    const items = new Set(catalogue(config).map((i) => i.name));
    for (const node of config.cluster.nodes) {
      for (const ref of shareRefs(config, nodeByName(config, node.name)!)) {
        assert.ok(items.has(ref.item), `${node.name} needs ${ref.item}, which pki init does not make`);
      }
    }
  }
});
