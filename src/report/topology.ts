/**
 * The cluster's topology as a small model for pictures: every node with its addresses and roles, the quorums
 * (etcd members, Kafka controllers, Ceph monitors) with their members, the networks and the enabled services. Pure:
 * a validated configuration in, plain data out; the renderers (DOT, SVG) draw only what is here.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig("configs");
 * const topology = topologyOf(config);
 * topology.quorums.find((q) => q.id === "etcd")?.members; // ["master-01"]
 * ```
 * @module
 */
import { type Config, type NodeEntry, type NodeFile, type Role, ROLE_NAMES, SERVICE_NAMES } from "../config/model.ts";
import type { ServiceName } from "../config/model.ts";
import { contains } from "../net/ipv4.ts";
import { nameservers } from "../plan/network.ts";
import { isMaster } from "../services/roles.ts";

/** The columns of the picture; a node sits in the first tier one of its roles belongs to. */
export type TierId = "control-plane" | "kafka" | "ceph" | "workers" | "edge";

/** A tier: its label and the roles that put a node in it. */
export interface TierSpec {
  id: TierId;
  label: string;
  roles: readonly Role[];
}

/** The tiers in drawing order, as data: quorum roles first, so a quorum's members tend to share a column. */
export const TIERS: readonly TierSpec[] = [
  { id: "control-plane", label: "control plane", roles: ["master", "control-plane"] },
  { id: "kafka", label: "Kafka", roles: ["kafka-broker"] },
  { id: "ceph", label: "Ceph", roles: ["ceph-mon", "ceph-osd"] },
  { id: "workers", label: "workers", roles: ["worker"] },
  { id: "edge", label: "MQTT and DNS", roles: ["mqtt-broker", "dns-server"] },
];

/** The quorums a cluster can have. */
export type QuorumId = "etcd" | "kraft" | "ceph-mon";

/** How a quorum is named and who belongs to it. */
interface QuorumSpec {
  id: QuorumId;
  /** The quorum's name in legends. */
  label: string;
  /** A short name for badges on node boxes. */
  badge: string;
  /** The service that must be enabled for the quorum to exist. */
  service: ServiceName;
  member(entry: NodeEntry, file: NodeFile | undefined): boolean;
}

/** The quorums, as data; membership follows what the daemons are configured with (see src/services/). */
const QUORUMS: readonly QuorumSpec[] = [
  { id: "etcd", label: "etcd members", badge: "etcd", service: "kubernetes", member: (e) => isMaster(e.roles) },
  {
    id: "kraft",
    label: "Kafka controllers",
    badge: "KRaft",
    service: "kafka",
    // Every broker is a controller unless its node file says `kafka.controller: false` (as in src/services/kafka.ts).
    member: (e, f) => e.roles.includes("kafka-broker") && (f?.kafka?.controller ?? true),
  },
  {
    id: "ceph-mon",
    label: "Ceph monitors",
    badge: "ceph-mon",
    service: "ceph",
    member: (e) => e.roles.includes("ceph-mon"),
  },
];

/** One node of the picture. */
export interface TopologyNode {
  name: string;
  hostname: string;
  ip: string;
  /** Lower-case, as networkd matches it. */
  mac: string;
  /** The roles as cluster.yaml names them, in the order of {@link ROLE_NAMES}. */
  roles: Role[];
  tier: TierId;
  /** The quorums the node is a member of, in the order of the topology's quorums. */
  quorums: QuorumId[];
}

/** A quorum and its members. */
export interface Quorum {
  id: QuorumId;
  label: string;
  badge: string;
  /** Member node names, sorted. */
  members: string[];
  /** An odd size keeps a majority through as many failures as an even size one larger. */
  odd: boolean;
  /** How many members may fail with the quorum still holding a majority. */
  tolerates: number;
}

/** The networks of the cluster. */
export interface Networks {
  cidr: string;
  gateway: string;
  /** The name servers the nodes are given (configured, else the dns-server nodes, else the gateway). */
  nameservers: string[];
  podCidr: string;
  serviceCidr: string;
  /** Names of the nodes whose address lies in the node network, sorted. */
  attached: string[];
}

/** What the picture shows. */
export interface Topology {
  cluster: string;
  domain: string;
  version: string;
  /** Enabled services, in the order of {@link SERVICE_NAMES}. */
  services: ServiceName[];
  networks: Networks;
  /** Nodes sorted by tier (in {@link TIERS} order), then by name. */
  nodes: TopologyNode[];
  /** Quorums with at least one member, in a fixed order: etcd, Kafka controllers, Ceph monitors. */
  quorums: Quorum[];
}

/** The tier of a node with these roles: the first tier naming one of them. */
export function tierOf(roles: readonly Role[]): TierId {
  return TIERS.find((tier) => tier.roles.some((role) => roles.includes(role)))?.id ?? "workers";
}

/** Sorts by name with a plain code-unit comparison, so the order never depends on the locale. */
export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The topology of a validated configuration. */
export function topologyOf(config: Config): Topology {
  const { cluster } = config;
  const enabled = SERVICE_NAMES.filter((s) => cluster.services.includes(s));
  const quorums: Quorum[] = QUORUMS
    .filter((spec) => enabled.includes(spec.service))
    .map((spec) => {
      const members = cluster.nodes.filter((n) => spec.member(n, config.nodes[n.name])).map((n) => n.name).sort();
      return quorum(spec, members);
    })
    .filter((q) => q.members.length > 0);
  const tierIndex = (id: TierId) => TIERS.findIndex((t) => t.id === id);
  const nodes = cluster.nodes
    .map((entry): TopologyNode => {
      const roles = ROLE_NAMES.filter((r) => entry.roles.includes(r));
      return {
        name: entry.name,
        hostname: entry.hostname,
        ip: entry.ip,
        mac: entry.mac.toLowerCase(),
        roles,
        tier: tierOf(roles),
        quorums: quorums.filter((q) => q.members.includes(entry.name)).map((q) => q.id),
      };
    })
    .sort((a, b) => tierIndex(a.tier) - tierIndex(b.tier) || byName(a, b));
  return {
    cluster: cluster.name,
    domain: cluster.domain,
    version: cluster.version,
    services: enabled,
    networks: {
      cidr: cluster.network.cidr,
      gateway: cluster.network.gateway,
      nameservers: nameservers(config),
      podCidr: cluster.network.podCidr,
      serviceCidr: cluster.network.serviceCidr,
      attached: cluster.nodes.filter((n) => contains(cluster.network.cidr, n.ip)).map((n) => n.name).sort(),
    },
    nodes,
    quorums,
  };
}

/** A quorum of these members, with its size judged. */
function quorum(spec: QuorumSpec, members: string[]): Quorum {
  return {
    id: spec.id,
    label: spec.label,
    badge: spec.badge,
    members,
    odd: members.length % 2 === 1,
    tolerates: Math.floor((members.length - 1) / 2),
  };
}
