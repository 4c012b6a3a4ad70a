/**
 * Every secret the cluster needs, derived from its configuration: CAs, certificates, kubeconfigs, the
 * service-account key pair, tokens, Ceph keys, MQTT passwords, cluster ids. Pure: configuration in, list out.
 * Each item is stored in its own directory of the secrets directory, in the files {@link FILES} names.
 *
 * @example
 * ```ts
 * catalogue(config).map((item) => item.name); // ["kubernetes-ca", "etcd-ca", ..., "kubelet-worker-02", ...]
 * ```
 * @module
 */
import type { Config } from "../config/model.ts";
import { nthAddress } from "../net/ipv4.ts";
import { isMaster } from "../services/roles.ts";
import type { CertSpec } from "./certificates.ts";
import type { KeyType } from "./keys.ts";
import { BRIDGE_USER, bridging } from "../services/mqtt_bridges.ts";

export type Item =
  | { name: string; kind: "ca"; cn: string }
  | { name: string; kind: "cert"; issuer: string; spec: CertSpec }
  | { name: string; kind: "kubeconfig"; issuer: string; spec: CertSpec; server: string; user: string }
  | { name: string; kind: "keypair" }
  | { name: string; kind: "token" }
  | { name: string; kind: "uuid" }
  | { name: string; kind: "kafka-cluster-id" }
  | { name: string; kind: "cephx"; entity: string; caps: Record<string, string> }
  | { name: string; kind: "password" }
  | { name: string; kind: "mosquitto-passwd"; users: { name: string; item: string }[] };

export type ItemKind = Item["kind"];

/** The files of each kind of item, inside its directory. */
export const FILES: Readonly<Record<ItemKind, readonly string[]>> = {
  "ca": ["ca.crt", "ca.key"],
  "cert": ["tls.crt", "tls.key"],
  "kubeconfig": ["tls.crt", "tls.key", "kubeconfig"],
  "keypair": ["key.pem", "pub.pem"],
  "token": ["token"],
  "uuid": ["value"],
  "kafka-cluster-id": ["value"],
  "cephx": ["key", "keyring"],
  "password": ["password"],
  "mosquitto-passwd": ["passwd"],
};

/** Key type and lifetimes, from cluster.yaml's optional `pki` section. */
export interface PkiSettings {
  keyType: KeyType;
  caDays: number;
  leafDays: number;
}

export function settingsOf(config: Config): PkiSettings {
  const pki = config.cluster.pki;
  return {
    keyType: pki?.keyType ?? "ecdsa-p256",
    caDays: pki?.caDays ?? 3650,
    leafDays: pki?.leafDays ?? 365,
  };
}

/** Ceph capabilities of the keys clusterboot makes. */
export const CEPH_CAPS = {
  mon: { mon: "allow *" },
  admin: { mds: "allow *", mgr: "allow *", mon: "allow *", osd: "allow *" },
  bootstrapOsd: { mgr: "allow r", mon: "profile bootstrap-osd" },
} as const;

/** The API server address a node's kubeconfig points at: its own on a master, the first master's elsewhere. */
export function apiServerUrl(config: Config, nodeIsMaster: boolean): string {
  const port = config.services.kubernetes!.apiServer.port;
  const first = config.cluster.nodes.find((n) => isMaster(n.roles));
  return `https://${nodeIsMaster || !first ? "127.0.0.1" : first.ip}:${port}`;
}

/** Every item the configuration needs, CAs first (leaves are signed by them). */
export function catalogue(config: Config): Item[] {
  const { cluster, services } = config;
  const items: Item[] = [];
  const fqdn = (host: string) => `${host}.${cluster.domain}`;
  const masters = cluster.nodes.filter((n) => isMaster(n.roles));

  if (services.kubernetes) {
    const k8s = services.kubernetes;
    items.push(
      { name: "kubernetes-ca", kind: "ca", cn: "kubernetes" },
      { name: "etcd-ca", kind: "ca", cn: "etcd-ca" },
      { name: "front-proxy-ca", kind: "ca", cn: "front-proxy-ca" },
    );
    for (const m of masters) {
      const names = { dns: [m.hostname, fqdn(m.hostname), "localhost"], ips: [m.ip, "127.0.0.1"] };
      items.push(
        {
          name: `etcd-server-${m.name}`,
          kind: "cert",
          issuer: "etcd-ca",
          spec: { cn: m.hostname, usage: "peer", ...names },
        },
        {
          name: `etcd-peer-${m.name}`,
          kind: "cert",
          issuer: "etcd-ca",
          spec: { cn: m.hostname, usage: "peer", ...names },
        },
      );
    }
    items.push(
      {
        name: "apiserver",
        kind: "cert",
        issuer: "kubernetes-ca",
        spec: {
          cn: "kube-apiserver",
          usage: "server",
          dns: [
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            `kubernetes.default.svc.${k8s.clusterDomain}`,
            fqdn("api"),
            "localhost",
            ...masters.flatMap((m) => [m.hostname, fqdn(m.hostname)]),
          ],
          ips: [nthAddress(cluster.network.serviceCidr, 1), ...masters.map((m) => m.ip), "127.0.0.1"],
        },
      },
      {
        name: "apiserver-kubelet-client",
        kind: "cert",
        issuer: "kubernetes-ca",
        spec: { cn: "kube-apiserver-kubelet-client", organizations: ["system:masters"], usage: "client" },
      },
      {
        name: "apiserver-etcd-client",
        kind: "cert",
        issuer: "etcd-ca",
        spec: { cn: "kube-apiserver-etcd-client", usage: "client" },
      },
      {
        name: "front-proxy-client",
        kind: "cert",
        issuer: "front-proxy-ca",
        spec: { cn: "front-proxy-client", usage: "client" },
      },
      { name: "service-account", kind: "keypair" },
      {
        name: "admin",
        kind: "kubeconfig",
        issuer: "kubernetes-ca",
        spec: { cn: "kubernetes-admin", organizations: ["system:masters"], usage: "client" },
        server: apiServerUrl(config, masters.length === 0),
        user: "kubernetes-admin",
      },
      {
        name: "controller-manager",
        kind: "kubeconfig",
        issuer: "kubernetes-ca",
        spec: { cn: "system:kube-controller-manager", usage: "client" },
        server: apiServerUrl(config, true),
        user: "system:kube-controller-manager",
      },
      {
        name: "scheduler",
        kind: "kubeconfig",
        issuer: "kubernetes-ca",
        spec: { cn: "system:kube-scheduler", usage: "client" },
        server: apiServerUrl(config, true),
        user: "system:kube-scheduler",
      },
    );
    for (const n of cluster.nodes) {
      if (!n.roles.some((r) => r === "worker" || isMaster([r]))) continue;
      const user = `system:node:${n.hostname}`;
      items.push({
        name: `kubelet-${n.name}`,
        kind: "kubeconfig",
        issuer: "kubernetes-ca",
        spec: { cn: user, organizations: ["system:nodes"], usage: "client" },
        server: apiServerUrl(config, isMaster(n.roles)),
        user,
      });
    }
    items.push({ name: "bootstrap-token", kind: "token" });
  }

  if (services.dns?.kubernetesZone && services.kubernetes) {
    // CoreDNS reads services and endpoints for the Kubernetes zone (RBAC from clusterboot addons).
    items.push({
      name: "coredns",
      kind: "kubeconfig",
      issuer: "kubernetes-ca",
      spec: { cn: "system:coredns", usage: "client" },
      server: apiServerUrl(config, false),
      user: "system:coredns",
    });
  }

  if (services.ceph) {
    items.push(
      { name: "ceph-fsid", kind: "uuid" },
      { name: "ceph-mon", kind: "cephx", entity: "mon.", caps: CEPH_CAPS.mon },
      { name: "ceph-admin", kind: "cephx", entity: "client.admin", caps: CEPH_CAPS.admin },
      { name: "ceph-bootstrap-osd", kind: "cephx", entity: "client.bootstrap-osd", caps: CEPH_CAPS.bootstrapOsd },
    );
  }

  if (services.kafka) {
    const kafka = services.kafka;
    items.push({ name: "kafka-cluster-id", kind: "kafka-cluster-id" });
    const brokers = cluster.nodes.filter((n) => n.roles.includes("kafka-broker"));
    if (kafka.tls) {
      items.push({ name: "kafka-ca", kind: "ca", cn: "kafka-ca" });
      for (const b of brokers) {
        items.push({
          name: `kafka-${b.name}`,
          kind: "cert",
          issuer: "kafka-ca",
          spec: { cn: b.hostname, usage: "peer", dns: [b.hostname, fqdn(b.hostname)], ips: [b.ip] },
        });
      }
    }
    for (const user of kafka.scramUsers ?? []) items.push({ name: `kafka-user-${user}`, kind: "password" });
  }

  if (services.mqtt) {
    const mqtt = services.mqtt;
    const users = [...mqtt.users.map((u) => u.name), ...(bridging(config) ? [BRIDGE_USER] : [])];
    for (const user of users) items.push({ name: `mqtt-user-${user}`, kind: "password" });
    items.push({
      name: "mqtt-passwd",
      kind: "mosquitto-passwd",
      users: users.map((name) => ({ name, item: `mqtt-user-${name}` })),
    });
    if (mqtt.tlsPort !== undefined) {
      items.push({ name: "mqtt-ca", kind: "ca", cn: "mqtt-ca" });
      for (const b of cluster.nodes.filter((n) => n.roles.includes("mqtt-broker"))) {
        items.push({
          name: `mqtt-${b.name}`,
          kind: "cert",
          issuer: "mqtt-ca",
          spec: { cn: b.hostname, usage: "server", dns: [b.hostname, fqdn(b.hostname)], ips: [b.ip] },
        });
      }
    }
  }
  return items;
}
