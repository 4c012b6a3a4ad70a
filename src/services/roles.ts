/**
 * Role → target → daemons, as data. Everything that asks "what does a node with these roles run?" reads this table.
 *
 * @example
 * ```ts
 * ROLES["kafka-broker"].target; // "kafka.target"
 * daemonsOf(["master", "worker"]); // containerd, etcd, kube-apiserver, ... kubelet (each once)
 * ```
 * @module
 */
import type { Role, ServiceName } from "../config/model.ts";

/** The daemons clusterboot configures; each has units/<unit>, an env file and a renderer in src/services/. */
export const DAEMON_NAMES = [
  "containerd",
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubelet",
  "kafka",
  "ceph-mon",
  "ceph-osd",
  "mosquitto",
  "coredns",
] as const;

export type DaemonName = typeof DAEMON_NAMES[number];

export interface RoleSpec {
  /** The systemd target that pulls in the role's daemons. */
  target: string;
  /** The cluster service that cluster.yaml must enable for this role. */
  service: ServiceName;
  /** The daemons the role runs, in start order. */
  daemons: readonly DaemonName[];
}

const MASTER: RoleSpec = {
  target: "kubernetes-master.target",
  service: "kubernetes",
  daemons: ["containerd", "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"],
};

export const ROLES: Readonly<Record<Role, RoleSpec>> = {
  "master": MASTER,
  "control-plane": MASTER,
  "worker": { target: "kubernetes-worker.target", service: "kubernetes", daemons: ["containerd", "kubelet"] },
  "kafka-broker": { target: "kafka.target", service: "kafka", daemons: ["kafka"] },
  "ceph-mon": { target: "ceph-mon.target", service: "ceph", daemons: ["ceph-mon"] },
  "ceph-osd": { target: "ceph-osd.target", service: "ceph", daemons: ["ceph-osd"] },
  "mqtt-broker": { target: "mqtt.target", service: "mqtt", daemons: ["mosquitto"] },
  "dns-server": { target: "dns.target", service: "dns", daemons: ["coredns"] },
};

/** Every target in the table, each once, for the unit set and for checks. */
export const ALL_TARGETS: readonly string[] = [...new Set(Object.values(ROLES).map((r) => r.target))];

/** Whether a node with these roles is an etcd member (a Kubernetes control-plane node). */
export function isMaster(roles: readonly Role[]): boolean {
  return roles.includes("master") || roles.includes("control-plane");
}

/** The daemons of a set of roles, each once, in the order of {@link DAEMON_NAMES}. */
export function daemonsOf(roles: readonly Role[]): DaemonName[] {
  const wanted = new Set(roles.flatMap((role) => ROLES[role].daemons));
  return DAEMON_NAMES.filter((name) => wanted.has(name));
}

/** The targets of a set of roles, each once, in the order the roles are listed. */
export function targetsOf(roles: readonly Role[]): string[] {
  return [...new Set(roles.map((role) => ROLES[role].target))];
}
