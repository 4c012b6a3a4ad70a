/**
 * The pod network with the `bridge` CNI: every Kubernetes node gets a fixed share of the pod CIDR, in cluster.yaml
 * order, and every node routes each share to its node. Static and pure: no daemon decides or distributes it.
 *
 * @example
 * ```ts
 * podSubnets(config).get("worker-01"); // "10.244.1.0/24"
 * ```
 * @module
 */
import type { Config } from "../config/model.ts";
import { subnets } from "../net/ipv4.ts";
import { isMaster } from "./roles.ts";

/** Nodes that run pods: masters and workers. */
export function kubernetesNodes(config: Config) {
  return config.cluster.nodes.filter((n) => isMaster(n.roles) || n.roles.includes("worker"));
}

/** The prefix length of each node's share (kubernetes.yaml podSubnetSize, default 24). */
export function podSubnetSize(config: Config): number {
  return config.services.kubernetes?.podSubnetSize ?? 24;
}

/** Each Kubernetes node's pod subnet, by node name. */
export function podSubnets(config: Config): Map<string, string> {
  const nodes = kubernetesNodes(config);
  const shares = subnets(config.cluster.network.podCidr, podSubnetSize(config), nodes.length);
  return new Map(nodes.map((n, i) => [n.name, shares[i]]));
}
