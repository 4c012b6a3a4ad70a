import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { podSubnets } from "./pod_network.ts";
import { overlaps } from "../net/ipv4.ts";

const TRIO = new URL("../../tests/fixtures/clusters/trio", import.meta.url).pathname;

Deno.test("every Kubernetes node gets its own share of the pod network, in cluster.yaml order", async () => {
  const { config } = await loadConfig(TRIO, { full: true });
  const subnets = podSubnets(config);
  assert.deepEqual([...subnets.entries()], [
    ["master-1", "10.244.0.0/24"],
    ["master-2", "10.244.1.0/24"],
    ["master-3", "10.244.2.0/24"],
    ["node-1", "10.244.3.0/24"],
    ["node-2", "10.244.4.0/24"],
    ["node-3", "10.244.5.0/24"],
  ]);
  const all = [...subnets.values()];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) assert.equal(overlaps(all[i], all[j]), false);
  }
});
