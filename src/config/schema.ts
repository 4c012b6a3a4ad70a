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

/** Text for editors: a field's description in the JSON Schema export (a no-op when parsing). */
const about = (text: string) => z.describe(text);

const apiVersion = z.literal(API_VERSION, { error: `expected apiVersion "${API_VERSION}"` }).check(
  about(`The version of the file's format: ${API_VERSION}.`),
);

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
  name: dnsLabel.check(about("The node's name; its own settings are in nodes/<name>.yaml.")),
  hostname: dnsLabel.check(about("The machine's hostname, set at boot.")),
  mac: mac.check(
    about("The MAC address of the node's network interface: how a booting machine knows which node it is."),
  ),
  ip: ipv4.check(about("The node's address in the node network.")),
  roles: z.array(z.enum(ROLE_NAMES)).check(
    z.minLength(1, { error: "expected at least one role" }),
    about("What the node runs; each role starts its systemd target (master and control-plane are the same role)."),
  ),
}).check(about("A machine of the cluster."));

export const CLUSTER_FILE = z.strictObject({
  apiVersion,
  name: dnsLabel.check(about("The cluster's name.")),
  version: z.string().check(z.minLength(1), about("The version of this configuration, for its operators.")),
  domain: domainName.check(about("The DNS domain of the nodes, such as lab.internal.")),
  network: z.strictObject({
    cidr: cidr.check(about("The node network, such as 10.20.0.0/24.")),
    gateway: ipv4.check(about("The default gateway of the node network.")),
    podCidr: cidr.check(about("The Kubernetes pod network; each node routes its own share of it.")),
    serviceCidr: cidr.check(about("The Kubernetes service network.")),
    nameservers: z.optional(
      z.array(ipv4).check(about("The nodes' name servers (default: the dns-server nodes, else the gateway).")),
    ),
  }).check(about("The node network and the Kubernetes networks.")),
  services: z.array(z.enum(SERVICE_NAMES)).check(
    about("The cluster-wide services to run; each is configured by services/<service>.yaml."),
  ),
  nodes: z.array(NODE_ENTRY).check(
    z.minLength(1, { error: "expected at least one node" }),
    about("Every machine of the cluster."),
  ),
  pki: z.optional(
    z.strictObject({
      keyType: z.optional(
        z.enum(["ecdsa-p256", "ed25519"]).check(about("The type of every key (default ecdsa-p256).")),
      ),
      caDays: z.optional(positive.check(about("How long the certificate authorities are valid, in days."))),
      leafDays: z.optional(positive.check(about("How long the other certificates are valid, in days."))),
    }).check(about("Key type and certificate lifetimes for clusterboot pki; the defaults suit most clusters.")),
  ),
}).check(z.meta({
  title: "clusterboot cluster.yaml",
  description: "The cluster: its name, networks and services, and every node with its MAC, address and roles.",
}));

export const NODE_FILE = z.strictObject({
  apiVersion,
  hardware: z.optional(
    z.strictObject({
      uuid: z.optional(
        z.string().check(
          z.regex(/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/, { error: "expected a DMI product UUID" }),
          about("The DMI product UUID (/sys/class/dmi/id/product_uuid)."),
        ),
      ),
      serial: z.optional(
        z.string().check(z.minLength(1), about("The DMI product serial (/sys/class/dmi/id/product_serial).")),
      ),
    }).check(about("Hardware identity: stronger evidence than the MAC address when detecting the node.")),
  ),
  labels: z.optional(z.record(labelKey, labelValue).check(about("Kubernetes labels of the node."))),
  taints: z.optional(
    z.array(z.strictObject({
      key: labelKey,
      value: z.optional(labelValue),
      effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
    })).check(about("Kubernetes taints of the node.")),
  ),
  kafka: z.optional(
    z.strictObject({
      nodeId: nonNegative.check(about("The broker's KRaft node id, unique in the cluster.")),
      controller: z.optional(z.boolean().check(about("Whether the broker is also a KRaft controller (default true)."))),
      heap: z.optional(
        z.string().check(
          z.regex(/^[1-9][0-9]{0,5}[mg]$/, { error: "expected a heap size such as 512m or 2g" }),
          about("The JVM heap of the broker (-Xms and -Xmx), such as 2g; default 1g. Size it to the machine."),
        ),
      ),
      jvmOptions: z.optional(
        z.array(
          z.string().check(
            z.regex(/^-[A-Za-z0-9:+=.,_/-]{1,200}$/, {
              error: "expected one JVM option such as -XX:+UseSerialGC (no spaces or shell characters)",
            }),
          ),
        ).check(
          about(
            "JVM options in place of the default garbage collector tuning (G1), such as -XX:+UseSerialGC and " +
              "-XX:TieredStopAtLevel=1 for a small or emulated machine.",
          ),
        ),
      ),
    }).check(about("Settings of the node's Kafka broker (role kafka-broker).")),
  ),
  ceph: z.optional(
    z.strictObject({
      osds: z.array(z.strictObject({
        id: nonNegative.check(about("The OSD's id, unique in the cluster.")),
        device: devicePath.check(about("The block device the OSD owns.")),
      })).check(about("One OSD per device (role ceph-osd).")),
    }).check(about("Settings of the node's Ceph daemons.")),
  ),
  dataDisk: z.optional(
    z.strictObject({ device: devicePath.check(about("The block device, such as /dev/vda.")) }).check(
      about(
        "A disk for the state of the node's daemons (etcd, Kafka, Ceph, Mosquitto, containerd, kubelet), so it " +
          "outlives a reboot of the live image. Formatted by boot only when blank.",
      ),
    ),
  ),
}).check(z.meta({
  title: "clusterboot nodes/<name>.yaml",
  description: "One node: what it has beyond its entry in cluster.yaml.",
}));

export const KUBERNETES_FILE = z.strictObject({
  apiVersion,
  version: version.check(about("The Kubernetes version of the binaries the image carries, such as v1.36.3.")),
  clusterDomain: domainName.check(about("The DNS domain of services and pods, such as cluster.local.")),
  cni: z.enum(["bridge"]).check(
    about(
      "bridge: each node's pods on a Linux bridge with a static subnet of the pod network, and routes to every " +
        "other node's subnet in the network config: no CNI daemon, no images to pull.",
    ),
  ),
  podSubnetSize: z.optional(
    z.int().check(
      z.minimum(16, { error: "expected a prefix length from 16 to 28" }),
      z.maximum(28, { error: "expected a prefix length from 16 to 28" }),
      about("Prefix length of each node's share of the pod network (default 24: 254 pods per node)."),
    ),
  ),
  sandboxImage: imageRef.check(about("The pause image of every pod, such as registry.k8s.io/pause:3.10.")),
  cgroupDriver: z.enum(["systemd", "cgroupfs"]).check(
    about("The cgroup driver of the kubelet (and of containerd's runc)."),
  ),
  apiServer: z.strictObject({
    port: port.check(about("The API server's secure port.")),
    admissionPlugins: z.optional(
      z.array(z.string().check(z.regex(/^[A-Za-z]+$/))).check(
        about("Admission plugins to enable (default NodeRestriction)."),
      ),
    ),
  }).check(about("The API server on the masters.")),
  etcd: z.strictObject({
    clientPort: port.check(about("etcd's client port.")),
    peerPort: port.check(about("etcd's peer port.")),
  }).check(about("etcd on the masters.")),
  kubelet: z.optional(
    z.strictObject({ maxPods: z.optional(positive.check(about("Pods per node at most (default 110)."))) }).check(
      about("The kubelet on every node."),
    ),
  ),
}).check(z.meta({
  title: "clusterboot services/kubernetes.yaml",
  description: "Kubernetes: the control plane on the master nodes, the kubelet on every node.",
}));

export const CEPH_FILE = z.strictObject({
  apiVersion,
  poolSize: positive.check(about("Copies of each object (osd_pool_default_size).")),
  poolMinSize: positive.check(about("Copies that must be up to accept writes (osd_pool_default_min_size).")),
}).check(z.meta({
  title: "clusterboot services/ceph.yaml",
  description: "Ceph: monitors on the ceph-mon nodes, OSDs on the ceph-osd nodes.",
}));

export const KAFKA_FILE = z.strictObject({
  apiVersion,
  version: version.check(about("The Kafka version of the jars the image carries, such as 4.1.1.")),
  port: port.check(about("The broker listener's port.")),
  controllerPort: port.check(about("The KRaft controller listener's port.")),
  numPartitions: positive.check(about("Partitions of a new topic (num.partitions).")),
  replicationFactor: positive.check(about("Copies of each partition (default.replication.factor).")),
  logRetentionHours: positive.check(about("How long messages are kept, in hours (log.retention.hours).")),
  tls: z.optional(z.boolean().check(about("TLS on the broker listeners, with certificates from clusterboot pki."))),
  scramUsers: z.optional(
    z.array(
      z.string().check(
        z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "expected a user name of letters, digits, '_', '.' or '-'" }),
      ),
    ).check(about("SASL/SCRAM users; clusterboot pki makes their passwords.")),
  ),
}).check(z.meta({
  title: "clusterboot services/kafka.yaml",
  description: "Kafka in KRaft mode on the kafka-broker nodes.",
}));

export const MQTT_FILE = z.strictObject({
  apiVersion,
  port: port.check(about("The plain listener's port.")),
  tlsPort: z.optional(port.check(about("A TLS listener on this port, with certificates from clusterboot pki."))),
  bridges: z.optional(
    z.boolean().check(
      about(
        "Bridge the mqtt-broker nodes (every other one to the first), so a message reaches subscribers of any broker.",
      ),
    ),
  ),
  persistence: z.boolean().check(about("Keep retained messages and subscriptions across restarts.")),
  allowAnonymous: z.boolean().check(about("Accept clients without a user name.")),
  users: z.array(z.strictObject({
    name: z.string().check(
      z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "expected a user name of letters, digits, '_', '.' or '-'" }),
      about("The user name; clusterboot pki makes the password."),
    ),
    acl: z.array(z.strictObject({
      topic: z.string().check(
        z.regex(/^[^\s\0]+$/, { error: "expected an MQTT topic filter without spaces" }),
        about("A topic filter; + and # are wildcards."),
      ),
      access: z.enum(["read", "write", "readwrite"]),
    })).check(about("The topics the user may use.")),
  })).check(about("The broker's users.")),
}).check(z.meta({
  title: "clusterboot services/mqtt.yaml",
  description: "Mosquitto on the mqtt-broker nodes.",
}));

export const DNS_FILE = z.strictObject({
  apiVersion,
  port: port.check(about("The port CoreDNS answers on.")),
  upstreams: z.array(ipv4).check(
    z.minLength(1, { error: "expected at least one upstream resolver" }),
    about("The resolvers every other name is forwarded to."),
  ),
  cacheSeconds: nonNegative.check(about("How long answers are cached, in seconds (0: no cache).")),
  kubernetesZone: z.boolean().check(about("Answer for the Kubernetes services and pods too.")),
}).check(z.meta({
  title: "clusterboot services/dns.yaml",
  description: "CoreDNS on the dns-server nodes.",
}));

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
