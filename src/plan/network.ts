/**
 * The node's network identity: a systemd-networkd file matched by MAC with the static address, gateway and DNS,
 * the hostname, and /etc/hosts naming every node.
 *
 * @module
 */
import type { Config, Node } from "../config/model.ts";
import { prefixLength } from "../net/ipv4.ts";
import { header } from "../services/render.ts";
import { podSubnets } from "../services/pod_network.ts";
import { NETWORK_DIR } from "./paths.ts";
import type { PlannedFile } from "./types.ts";

/** The networkd file boot writes; a low number so it wins over the image's catch-all DHCP file. */
export const NETWORK_FILE = `${NETWORK_DIR}/10-clusterboot.network`;

/** Name servers for the nodes: as configured, else the dns-server nodes, else the gateway. */
export function nameservers(config: Config): string[] {
  const configured = config.cluster.network.nameservers;
  if (configured?.length) return configured;
  const dnsNodes = config.cluster.nodes.filter((n) => n.roles.includes("dns-server")).map((n) => n.ip);
  return dnsNodes.length ? dnsNodes : [config.cluster.network.gateway];
}

export function networkFiles(config: Config, node: Node): PlannedFile[] {
  const { cluster } = config;
  const sources = ["cluster.yaml"];
  // Pods of other nodes are reached through their node (the bridge CNI's static routes).
  const subnets = config.services.kubernetes ? podSubnets(config) : new Map<string, string>();
  const routes = cluster.nodes
    .filter((n) => n.name !== node.name && subnets.has(n.name))
    .flatMap((n) => ["", "[Route]", `Destination=${subnets.get(n.name)}`, `Gateway=${n.ip}`]);
  const network = [
    "[Match]",
    `MACAddress=${node.mac.toLowerCase()}`,
    "",
    "[Network]",
    `Address=${node.ip}/${prefixLength(cluster.network.cidr)}`,
    `Gateway=${cluster.network.gateway}`,
    ...nameservers(config).map((ip) => `DNS=${ip}`),
    `Domains=${cluster.domain}`,
    ...routes,
    "",
  ].join("\n");
  const width = Math.max(...cluster.nodes.map((n) => n.ip.length));
  const hosts = [
    "127.0.0.1 localhost",
    "::1 localhost ip6-localhost ip6-loopback",
    ...cluster.nodes.map((n) => `${n.ip.padEnd(width)} ${n.hostname}.${cluster.domain} ${n.hostname}`),
    "",
  ].join("\n");
  return [
    {
      kind: "file",
      path: NETWORK_FILE,
      content: header(sources) + network,
      mode: 0o644,
      restarts: ["systemd-networkd.service"],
    },
    { kind: "file", path: "/etc/hostname", content: `${node.hostname}\n`, mode: 0o644 },
    { kind: "file", path: "/etc/hosts", content: header(sources) + hosts, mode: 0o644 },
  ];
}
