/**
 * The versioned schema of every config file. Unknown keys are errors (Ignition's rule): a misspelt key must not be
 * silently ignored on a machine that boots unattended.
 *
 * Loaded only when YAML has to be checked (the compiled snapshot skips it), so zod stays off the usual boot path.
 *
 * @example
 * ```ts
 * const result = CLUSTER_FILE.safeParse({ apiVersion: "clusterboot/v1" });
 * ```
 * @module
 */
import * as z from "zod/mini";
import { API_VERSION, ROLE_NAMES, SERVICE_NAMES } from "./model.ts";

const apiVersion = z.literal(API_VERSION, { error: `expected apiVersion "${API_VERSION}"` });

/** A DNS label: node names and hostnames end up in file names, unit instances and certificates. */
const dnsLabel = z.string().check(
  z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    error: "expected a DNS label: lower-case letters, digits and '-', at most 63 characters",
  }),
);
const domainName = z.string().check(
  z.regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, {
    error: "expected a domain name such as lab.internal",
  }),
);
const mac = z.string().check(
  z.regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, { error: "expected a MAC address such as 52:54:00:12:34:56" }),
);
const ipv4 = z.ipv4({ error: "expected an IPv4 address such as 10.20.0.11" });
const cidr = z.cidrv4({ error: "expected an IPv4 network in CIDR form such as 10.20.0.0/24" });
const port = z.int().check(
  z.minimum(1, { error: "expected a port from 1 to 65535" }),
  z.maximum(65535, { error: "expected a port from 1 to 65535" }),
);
const positive = z.int().check(z.minimum(1, { error: "expected a whole number of at least 1" }));
const nonNegative = z.int().check(z.minimum(0, { error: "expected a whole number of at least 0" }));
/** A block device path under /dev, no part `.`, `..` or empty: it is handed to ceph-osd and must not leave /dev. */
const devicePath = z.string().check(
  z.regex(/^\/dev(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+$/, { error: "expected a device path such as /dev/vdb" }),
);
const labelKey = z.string().check(
  z.regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: "expected a Kubernetes label key such as topology.kubernetes.io/zone",
  }),
);
const labelValue = z.string().check(
  z.regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
    error: "expected a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.'",
  }),
);
const imageRef = z.string().check(
  z.regex(/^[a-z0-9][a-z0-9.\-_/:@]*$/, { error: "expected a container image such as registry.k8s.io/pause:3.10" }),
);
const version = z.string().check(z.regex(/^v?\d+\.\d+\.\d+$/, { error: "expected a version such as 1.2.3" }));

export const NODE_ENTRY = z.strictObject({
  name: dnsLabel,
  hostname: dnsLabel,
  mac,
  ip: ipv4,
  roles: z.array(z.enum(ROLE_NAMES)).check(z.minLength(1, { error: "expected at least one role" })),
});

export const CLUSTER_FILE = z.strictObject({
  apiVersion,
  name: dnsLabel,
  version: z.string().check(z.minLength(1)),
  domain: domainName,
  network: z.strictObject({
    cidr,
    gateway: ipv4,
    podCidr: cidr,
    serviceCidr: cidr,
    nameservers: z.optional(z.array(ipv4)),
  }),
  services: z.array(z.enum(SERVICE_NAMES)),
  nodes: z.array(NODE_ENTRY).check(z.minLength(1, { error: "expected at least one node" })),
  /** Key type and certificate lifetimes for `clusterboot pki`; the defaults suit most clusters. */
  pki: z.optional(z.strictObject({
    keyType: z.optional(z.enum(["ecdsa-p256", "ed25519"])),
    caDays: z.optional(positive),
    leafDays: z.optional(positive),
  })),
});

export const NODE_FILE = z.strictObject({
  apiVersion,
  hardware: z.optional(z.strictObject({
    uuid: z.optional(
      z.string().check(
        z.regex(/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/, { error: "expected a DMI product UUID" }),
      ),
    ),
    serial: z.optional(z.string().check(z.minLength(1))),
  })),
  labels: z.optional(z.record(labelKey, labelValue)),
  taints: z.optional(z.array(z.strictObject({
    key: labelKey,
    value: z.optional(labelValue),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  }))),
  kafka: z.optional(z.strictObject({ nodeId: nonNegative, controller: z.optional(z.boolean()) })),
  ceph: z.optional(z.strictObject({
    osds: z.array(z.strictObject({ id: nonNegative, device: devicePath })),
  })),
  /**
   * A disk for the state of the node's daemons (etcd, Kafka, Ceph, Mosquitto, containerd, kubelet), so it outlives
   * a reboot of the live image. Formatted by boot only when blank.
   */
  dataDisk: z.optional(z.strictObject({ device: devicePath })),
});

export const KUBERNETES_FILE = z.strictObject({
  apiVersion,
  version,
  clusterDomain: domainName,
  /**
   * `bridge`: each node's pods on a Linux bridge with a static subnet of the pod network, and routes to every
   * other node's subnet in the network config — no CNI daemon, no images to pull.
   */
  cni: z.enum(["bridge"]),
  /** Prefix length of each node's share of the pod network (default 24: 254 pods per node). */
  podSubnetSize: z.optional(
    z.int().check(
      z.minimum(16, { error: "expected a prefix length from 16 to 28" }),
      z.maximum(28, { error: "expected a prefix length from 16 to 28" }),
    ),
  ),
  sandboxImage: imageRef,
  cgroupDriver: z.enum(["systemd", "cgroupfs"]),
  apiServer: z.strictObject({ port, admissionPlugins: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z]+$/)))) }),
  etcd: z.strictObject({ clientPort: port, peerPort: port }),
  kubelet: z.optional(z.strictObject({ maxPods: z.optional(positive) })),
});

export const CEPH_FILE = z.strictObject({
  apiVersion,
  poolSize: positive,
  poolMinSize: positive,
});

export const KAFKA_FILE = z.strictObject({
  apiVersion,
  version,
  port,
  controllerPort: port,
  numPartitions: positive,
  replicationFactor: positive,
  logRetentionHours: positive,
  /** TLS on the broker listeners, with certificates from `clusterboot pki`. */
  tls: z.optional(z.boolean()),
  /** SASL/SCRAM users; `clusterboot pki` makes their passwords. */
  scramUsers: z.optional(z.array(
    z.string().check(
      z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "expected a user name of letters, digits, '_', '.' or '-'" }),
    ),
  )),
});

export const MQTT_FILE = z.strictObject({
  apiVersion,
  port,
  /** A TLS listener on this port, with certificates from `clusterboot pki`. */
  tlsPort: z.optional(port),
  /** Bridge the mqtt-broker nodes (every other one to the first), so a message reaches subscribers of any broker. */
  bridges: z.optional(z.boolean()),
  persistence: z.boolean(),
  allowAnonymous: z.boolean(),
  users: z.array(z.strictObject({
    name: z.string().check(
      z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "expected a user name of letters, digits, '_', '.' or '-'" }),
    ),
    acl: z.array(z.strictObject({
      topic: z.string().check(
        z.regex(/^[^\s\0]+$/, { error: "expected an MQTT topic filter without spaces" }),
      ),
      access: z.enum(["read", "write", "readwrite"]),
    })),
  })),
});

export const DNS_FILE = z.strictObject({
  apiVersion,
  port,
  upstreams: z.array(ipv4).check(z.minLength(1, { error: "expected at least one upstream resolver" })),
  cacheSeconds: nonNegative,
  kubernetesZone: z.boolean(),
});

/** The schema of each file, by its path relative to the config directory's layout. */
export const FILE_SCHEMAS = {
  cluster: CLUSTER_FILE,
  node: NODE_FILE,
  kubernetes: KUBERNETES_FILE,
  ceph: CEPH_FILE,
  kafka: KAFKA_FILE,
  mqtt: MQTT_FILE,
  dns: DNS_FILE,
} as const;
