import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/model.ts";
import { controllerVoters } from "../services/kafka.ts";
import { topologyOf } from "./topology.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;
const TRIO = new URL("../../tests/fixtures/clusters/trio", import.meta.url).pathname;
const example = (await loadConfig(EXAMPLE, { full: true })).config;
const trio = (await loadConfig(TRIO, { full: true })).config;

const membersOf = (config: Config) =>
  Object.fromEntries(topologyOf(config).quorums.map((q) => [q.id, { members: q.members, odd: q.odd }]));

Deno.test("the example cluster: one etcd member, one Kafka controller, one Ceph monitor, each an odd quorum", () => {
  assert.deepEqual(membersOf(example), {
    "etcd": { members: ["master-01"], odd: true },
    "kraft": { members: ["kafka-01"], odd: true },
    "ceph-mon": { members: ["storage-01"], odd: true },
  });
  const topology = topologyOf(example);
  assert.ok(topology.quorums.every((q) => q.tolerates === 0));
  assert.deepEqual(topology.services, ["kubernetes", "ceph", "kafka", "mqtt", "dns"]);
  assert.deepEqual(topology.networks, {
    cidr: "10.20.0.0/24",
    gateway: "10.20.0.1",
    nameservers: ["10.20.0.11"],
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    attached: ["kafka-01", "master-01", "storage-01", "worker-01", "worker-02"],
  });
});

Deno.test("the example's nodes carry their addresses, roles, tier and quorums, in tier then name order", () => {
  const nodes = topologyOf(example).nodes;
  assert.deepEqual(nodes.map((n) => `${n.tier}:${n.name}`), [
    "control-plane:master-01",
    "kafka:kafka-01",
    "ceph:storage-01",
    "ceph:worker-02",
    "workers:worker-01",
  ]);
  const storage = nodes.find((n) => n.name === "storage-01")!;
  assert.deepEqual(storage, {
    name: "storage-01",
    hostname: "storage-01",
    ip: "10.20.0.41",
    mac: "52:54:00:20:00:41",
    roles: ["worker", "ceph-mon", "ceph-osd"],
    tier: "ceph",
    quorums: ["ceph-mon"],
  });
  assert.deepEqual(nodes.find((n) => n.name === "worker-01")!.quorums, []);
});

Deno.test("the trio cluster: three of each quorum, each surviving one member down", () => {
  assert.deepEqual(membersOf(trio), {
    "etcd": { members: ["master-1", "master-2", "master-3"], odd: true },
    "kraft": { members: ["node-1", "node-2", "node-3"], odd: true },
    "ceph-mon": { members: ["master-1", "master-2", "master-3"], odd: true },
  });
  assert.ok(topologyOf(trio).quorums.every((q) => q.tolerates === 1));
  assert.deepEqual(topologyOf(trio).nodes.find((n) => n.name === "master-2")!.quorums, ["etcd", "ceph-mon"]);
});

Deno.test("Kafka controllers are the voters Kafka is configured with: a broker with controller: false is not one", () => {
  const config = structuredClone(trio);
  config.nodes["node-2"].kafka = { nodeId: config.nodes["node-2"].kafka!.nodeId, controller: false };
  const kraft = topologyOf(config).quorums.find((q) => q.id === "kraft")!;
  assert.deepEqual(kraft.members, ["node-1", "node-3"]);
  assert.equal(kraft.odd, false);
  assert.equal(kraft.tolerates, 0);
  const voterIps = controllerVoters(config).map((v) => v.split("@")[1].split(":")[0]).sort();
  const memberIps = config.cluster.nodes.filter((n) => kraft.members.includes(n.name)).map((n) => n.ip).sort();
  assert.deepEqual(memberIps, voterIps);
});

Deno.test("control-plane counts as an etcd member; a quorum of a disabled service is not drawn", () => {
  const config = structuredClone(example);
  config.cluster.nodes[0].roles = ["control-plane", "dns-server"];
  config.cluster.services = config.cluster.services.filter((s) => s !== "ceph");
  const topology = topologyOf(config);
  assert.deepEqual(topology.quorums.map((q) => q.id), ["etcd", "kraft"]);
  assert.deepEqual(topology.quorums[0].members, ["master-01"]);
  assert.equal(topology.nodes[0].tier, "control-plane");
  assert.deepEqual(topology.nodes[0].roles, ["control-plane", "dns-server"]);
  assert.ok(!topology.services.includes("ceph"));
});

Deno.test("a node outside the node network is not attached to it; upper-case MACs are shown lower-case", () => {
  const config = structuredClone(example);
  config.cluster.nodes[1].ip = "192.168.7.9";
  config.cluster.nodes[2].mac = "52:54:00:AB:CD:EF";
  const topology = topologyOf(config);
  assert.ok(!topology.networks.attached.includes(config.cluster.nodes[1].name));
  assert.equal(topology.networks.attached.length, 4);
  assert.equal(topology.nodes.find((n) => n.name === config.cluster.nodes[2].name)!.mac, "52:54:00:ab:cd:ef");
});
