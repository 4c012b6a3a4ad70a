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
import { subnetAt } from "../net/ipv4.ts";
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
  const size = podSubnetSize(config);
  return new Map(
    kubernetesNodes(config).map((n, i) => [n.name, subnetAt(config.cluster.network.podCidr, size, i)]),
  );
}
