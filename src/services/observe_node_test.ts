import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { nodeByName } from "../config/model.ts";
import { observeNode } from "./prestart.ts";

const example = await loadConfig(new URL("../../configs", import.meta.url).pathname);
const master = nodeByName(example.config, "master-01")!;

Deno.test("observeNode: etcd new without data; with data, the state its env file has (existing when absent)", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.deepEqual(observeNode(master, root), { etcdClusterState: "new" });
    await Deno.mkdir(`${root}/var/lib/etcd/member`, { recursive: true });
    assert.deepEqual(observeNode(master, root), { etcdClusterState: "existing" });
    await Deno.mkdir(`${root}/etc/cluster-config/environment`, { recursive: true });
    const env = `${root}/etc/cluster-config/environment/etcd.env`;
    await Deno.writeTextFile(env, "ETCD_NAME=master-01\nETCD_INITIAL_CLUSTER_STATE=new\n");
    assert.deepEqual(observeNode(master, root), { etcdClusterState: "new" });
    await Deno.writeTextFile(env, "ETCD_INITIAL_CLUSTER_STATE=existing\n");
    assert.deepEqual(observeNode(master, root), { etcdClusterState: "existing" });
    assert.deepEqual(observeNode(nodeByName(example.config, "worker-01")!, root), {});
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
