/**
 * Configurations and topologies for the tests of the topology pictures: clusters of any size with every role and
 * quorum, and names no valid configuration has (markup, quotes, backslashes, control characters) to prove escaping.
 *
 * @module
 */
import type { Config, Role } from "../../src/config/model.ts";
import { type Topology, topologyOf } from "../../src/report/topology.ts";

/** A name with everything XML and DOT must escape. */
export const ODD_NAME = `odd<b>&"quote'\\N\\l\u0001end`;

/**
 * A cluster of `count` nodes (at least 8) with every role: three masters that are also Ceph monitors and Kafka
 * brokers (so they carry all three quorums), more brokers, OSD nodes, workers, MQTT and DNS nodes, and one name of
 * the longest length a DNS label allows.
 */
export function bigConfig(count: number): Config {
  if (count < 8) throw new RangeError("a big cluster has at least 8 nodes");
  const nodes: Config["cluster"]["nodes"] = [];
  const files: Config["nodes"] = {};
  for (let i = 0; i < count; i++) {
    const name = i === 7 ? `n${"x".repeat(61)}7` : `node-${String(i).padStart(4, "0")}`;
    const roles: Role[] = i < 3 ? ["master", "ceph-mon", "kafka-broker"] : i < 5 ? ["worker", "kafka-broker"] : [];
    if (i >= 5 && i % 11 === 0) roles.push("mqtt-broker", "dns-server");
    else if (i >= 5) roles.push("worker");
    if (i >= 5 && i % 3 === 0) roles.push("ceph-osd");
    nodes.push({
      name,
      hostname: name,
      mac: `52:54:00:00:${((i >> 8) & 255).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
      ip: `10.128.${Math.floor((i + 10) / 256)}.${(i + 10) % 256}`,
      roles,
    });
    files[name] = {
      apiVersion: "clusterboot/v1",
      ...(roles.includes("kafka-broker") ? { kafka: { nodeId: i } } : {}),
      ...(roles.includes("ceph-osd") ? { ceph: { osds: [{ id: i, device: "/dev/vdb" }] } } : {}),
    };
  }
  return {
    cluster: {
      apiVersion: "clusterboot/v1",
      name: `big-${count}`,
      version: "1",
      domain: "big.internal",
      network: { cidr: "10.128.0.0/16", gateway: "10.128.0.1", podCidr: "172.16.0.0/12", serviceCidr: "10.96.0.0/12" },
      services: ["kubernetes", "ceph", "kafka", "mqtt", "dns"],
      nodes,
    },
    services: {},
    nodes: files,
  };
}

/** `topology` with node `from` (and the cluster) renamed to {@link ODD_NAME}, everywhere the name appears. */
export function withOddName(topology: Topology, from: string): Topology {
  const rename = (name: string) => name === from ? ODD_NAME : name;
  return {
    ...topology,
    cluster: ODD_NAME,
    nodes: topology.nodes.map((n) => n.name === from ? { ...n, name: ODD_NAME, hostname: ODD_NAME } : n),
    quorums: topology.quorums.map((q) => ({ ...q, members: q.members.map(rename) })),
    networks: { ...topology.networks, attached: topology.networks.attached.map(rename) },
  };
}

/** The topology of {@link bigConfig}. */
export function bigTopology(count: number): Topology {
  return topologyOf(bigConfig(count));
}
