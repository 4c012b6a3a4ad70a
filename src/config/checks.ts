/**
 * Checks that span files: uniqueness, addresses inside the right networks, node files matching cluster.yaml,
 * services enabled for the roles that need them, and quorum sizes. Pure: data in, findings out.
 *
 * Every check is linear in the number of nodes (maps keyed by the value, never pairwise loops), so validation stays
 * fast for clusters of thousands of nodes.
 *
 * @example
 * ```ts
 * const findings = checkCluster({ cluster, services, nodes, present: new Set(["cluster.yaml"]) });
 * ```
 * @module
 */
import { type ClusterFile, type NodeFile, type Role, SERVICE_NAMES, type ServiceFiles } from "./model.ts";
import { broadcastAddress, contains, networkAddress, overlaps, subnetCount } from "../net/ipv4.ts";
import { isMaster, ROLES } from "../services/roles.ts";

type Path = (string | number)[];

/** A problem found by a cross-file check, located by file and data path (positions are resolved later). */
export interface Finding {
  severity: "error" | "warning";
  code: string;
  /** Relative to the config directory: `cluster.yaml`, `nodes/worker-02.yaml`. */
  file: string;
  path: Path;
  /** Point at the key rather than its value. */
  key?: boolean;
  message: string;
  hint?: string;
}

export interface CheckInput {
  cluster: ClusterFile;
  /** Service files that passed the schema. */
  services: ServiceFiles;
  /** Node files that passed the schema, by node name. */
  nodes: Record<string, NodeFile>;
  /** Every config file that exists, valid or not, so a broken file is not also reported as missing. */
  present: ReadonlySet<string>;
}

/** Runs every cross-file check. */
export function checkCluster(input: CheckInput): Finding[] {
  return [
    ...checkUnique(input.cluster),
    ...checkNetwork(input.cluster),
    ...checkNodeFiles(input),
    ...checkHardware(input),
    ...checkLabels(input),
    ...checkDataDisk(input),
    ...checkServices(input),
    ...checkRoles(input.cluster),
    ...checkEtcd(input.cluster),
    ...checkPodNetwork(input),
    ...checkCeph(input),
    ...checkKafka(input),
    ...checkMqtt(input),
  ];
}

const error = (file: string, path: Path, code: string, message: string, hint?: string): Finding => ({
  severity: "error",
  code,
  file,
  path,
  message,
  hint,
});

const warning = (file: string, path: Path, code: string, message: string, hint?: string): Finding => ({
  severity: "warning",
  code,
  file,
  path,
  message,
  hint,
});

/** Reports each value seen before, pointing at the repeat and naming the first. */
function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  report: (item: T, index: number, firstIndex: number) => Finding,
): Finding[] {
  const seen = new Map<string, number>();
  const findings: Finding[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else findings.push(report(item, index, first));
  });
  return findings;
}

function checkUnique(cluster: ClusterFile): Finding[] {
  const nodes = cluster.nodes;
  const field = (
    name: "name" | "hostname" | "mac" | "ip",
    what: string,
    hint: string,
    normalise = (v: string) => v,
  ) =>
    duplicates(nodes, (n) => normalise(n[name]), (n, i, first) =>
      error(
        "cluster.yaml",
        ["nodes", i, name],
        `duplicate-${name}`,
        `${what} "${n[name]}" is already used by node ${nodes[first].name} (nodes[${first}])`,
        hint,
      ));
  return [
    ...field("name", "node name", "every node needs a name of its own"),
    ...field("hostname", "hostname", "every node needs a hostname of its own"),
    ...field(
      "mac",
      "MAC address",
      "every node needs its own MAC: it is how a machine finds out which node it is",
      (v) => v.toLowerCase(),
    ),
    ...field("ip", "IP address", "every node needs an address of its own"),
  ];
}

function checkNetwork(cluster: ClusterFile): Finding[] {
  const findings: Finding[] = [];
  const net = cluster.network;
  const networks = [
    ["cidr", "node network"],
    ["podCidr", "pod network"],
    ["serviceCidr", "service network"],
  ] as const;
  for (const [key, what] of networks) {
    const base = networkAddress(net[key]);
    if (!net[key].startsWith(`${base}/`)) {
      findings.push(error(
        "cluster.yaml",
        ["network", key],
        "cidr-host-bits",
        `${what} ${net[key]} has host bits set`,
        `did you mean ${base}/${net[key].split("/")[1]}?`,
      ));
    }
  }
  for (let i = 0; i < networks.length; i++) {
    for (let j = i + 1; j < networks.length; j++) {
      const [a, aWhat] = networks[i];
      const [b, bWhat] = networks[j];
      if (overlaps(net[a], net[b])) {
        findings.push(error(
          "cluster.yaml",
          ["network", b],
          "cidr-overlap",
          `${bWhat} ${net[b]} overlaps the ${aWhat} ${net[a]}`,
          "node, pod and service networks must not share addresses: pick disjoint ranges",
        ));
      }
    }
  }
  if (!contains(net.cidr, net.gateway)) {
    findings.push(error(
      "cluster.yaml",
      ["network", "gateway"],
      "gateway-outside-network",
      `gateway ${net.gateway} is outside the node network ${net.cidr}`,
      "the gateway must be reachable on the node network",
    ));
  }
  const reserved = new Set([networkAddress(net.cidr), broadcastAddress(net.cidr)]);
  cluster.nodes.forEach((node, i) => {
    const where: Path = ["nodes", i, "ip"];
    if (!contains(net.cidr, node.ip)) {
      findings.push(error(
        "cluster.yaml",
        where,
        "ip-outside-network",
        `node ${node.name}: ${node.ip} is outside the node network ${net.cidr}`,
        "give the node an address inside network.cidr, or widen network.cidr",
      ));
    } else if (reserved.has(node.ip)) {
      findings.push(error(
        "cluster.yaml",
        where,
        "ip-reserved",
        `node ${node.name}: ${node.ip} is the network or broadcast address of ${net.cidr}`,
        "use a host address",
      ));
    } else if (node.ip === net.gateway) {
      findings.push(error(
        "cluster.yaml",
        where,
        "ip-is-gateway",
        `node ${node.name}: ${node.ip} is the gateway's address`,
        "use an address no other machine has",
      ));
    }
    for (const key of ["podCidr", "serviceCidr"] as const) {
      if (contains(net[key], node.ip)) {
        findings.push(error(
          "cluster.yaml",
          where,
          "ip-in-cluster-network",
          `node ${node.name}: ${node.ip} lies inside the ${key === "podCidr" ? "pod" : "service"} network ${net[key]}`,
          "node addresses must be outside network.podCidr and network.serviceCidr",
        ));
      }
    }
  });
  return findings;
}

function checkNodeFiles({ cluster, present }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const listed = new Set(cluster.nodes.map((n) => n.name));
  cluster.nodes.forEach((node, i) => {
    if (!present.has(`nodes/${node.name}.yaml`)) {
      findings.push(error(
        "cluster.yaml",
        ["nodes", i, "name"],
        "node-file-missing",
        `node ${node.name} has no node file nodes/${node.name}.yaml`,
        `create nodes/${node.name}.yaml (at least "apiVersion: clusterboot/v1")`,
      ));
    }
  });
  for (const file of present) {
    // `s`: a file name may hold a line break, and such a file is no less a stray one.
    const match = /^nodes\/(.+)\.yaml$/s.exec(file);
    if (match && !listed.has(match[1])) {
      findings.push(error(
        file,
        [],
        "node-not-listed",
        `${file} describes node ${match[1]}, which cluster.yaml does not list`,
        "add the node to cluster.yaml's nodes, or remove the file",
      ));
    }
  }
  return findings;
}

/**
 * The kubelet registers a node with its labels, and the API server's NodeRestriction forbids a kubelet to set labels
 * in the kubernetes.io and k8s.io namespaces except a known few: any other would stop the kubelet at start.
 */
function checkLabels({ cluster, nodes }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const node of cluster.nodes) {
    for (const key of Object.keys(nodes[node.name]?.labels ?? {})) {
      if (kubeletMaySet(key)) continue;
      findings.push({
        ...error(
          `nodes/${node.name}.yaml`,
          ["labels", key],
          "label-kubelet-forbidden",
          `label ${key} is in a namespace the kubelet may not set on its own node`,
          key.startsWith("node-role.kubernetes.io/")
            ? "drop the label: role labels are set with kubectl once the node has joined (a taint keeps workloads off)"
            : "use a prefix of your own, such as example.com/, or node.kubernetes.io/ or kubelet.kubernetes.io/",
        ),
        key: true,
      });
    }
  }
  return findings;
}

/** Labels of the kubernetes.io and k8s.io namespaces a kubelet may set (k8s.io/kubelet's IsKubeletLabel). */
const KUBELET_LABELS = new Set([
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "kubernetes.io/arch",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
]);
const KUBELET_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"];
const RESTRICTED_NAMESPACES = ["kubernetes.io", "k8s.io"];

const inNamespace = (namespace: string, parent: string) => namespace === parent || namespace.endsWith(`.${parent}`);

function kubeletMaySet(key: string): boolean {
  const namespace = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
  if (!RESTRICTED_NAMESPACES.some((parent) => inNamespace(namespace, parent))) return true;
  return KUBELET_LABELS.has(key) || KUBELET_NAMESPACES.some((parent) => inNamespace(namespace, parent));
}

/** A data disk is formatted when blank: it must not be a disk Ceph was given too. */
function checkDataDisk({ cluster, nodes }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const node of cluster.nodes) {
    const file = nodes[node.name];
    const device = file?.dataDisk?.device;
    if (!device) continue;
    const osd = (file.ceph?.osds ?? []).find((o) => o.device === device);
    if (osd) {
      findings.push(error(
        `nodes/${node.name}.yaml`,
        ["dataDisk", "device"],
        "data-disk-is-osd",
        `data disk ${device} is also the device of OSD ${osd.id}`,
        "give the data disk and each OSD a disk of its own",
      ));
    }
  }
  return findings;
}

/** Two nodes with the same DMI identity would both match it at boot. */
function checkHardware({ cluster, nodes }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  for (const field of ["uuid", "serial"] as const) {
    const withField = cluster.nodes.filter((n) => nodes[n.name]?.hardware?.[field] !== undefined);
    findings.push(
      ...duplicates(withField, (n) => nodes[n.name].hardware![field]!.toLowerCase(), (n, _i, first) =>
        error(
          `nodes/${n.name}.yaml`,
          ["hardware", field],
          `duplicate-hardware-${field}`,
          `DMI ${field} ${nodes[n.name].hardware![field]} is also given for node ${withField[first].name}`,
          "a machine's DMI identity must point at one node only",
        )),
    );
  }
  return findings;
}

function checkServices({ cluster, present }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const enabled = new Set(cluster.services);
  findings.push(
    ...duplicates(
      cluster.services,
      (s) => s,
      (s, i) => warning("cluster.yaml", ["services", i], "duplicate-service", `service ${s} is listed twice`),
    ),
  );
  cluster.services.forEach((service, i) => {
    if (!present.has(`services/${service}.yaml`)) {
      findings.push(error(
        "cluster.yaml",
        ["services", i],
        "service-file-missing",
        `service ${service} is enabled but services/${service}.yaml does not exist`,
        `create services/${service}.yaml, or remove ${service} from services`,
      ));
    }
  });
  for (const file of present) {
    const match = /^services\/(.+)\.yaml$/s.exec(file);
    if (!match) continue;
    const name = match[1];
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      findings.push(error(
        file,
        [],
        "unknown-service-file",
        `${file} is not a service clusterboot knows`,
        `service files are named after a service: ${SERVICE_NAMES.join(", ")}`,
      ));
    } else if (!enabled.has(name as typeof SERVICE_NAMES[number])) {
      findings.push(warning(
        file,
        [],
        "service-not-enabled",
        `${file} exists but ${name} is not enabled in cluster.yaml's services`,
        `add ${name} to services to use it; until then the file is ignored`,
      ));
    }
  }
  cluster.nodes.forEach((node, i) => {
    node.roles.forEach((role, r) => {
      const needed = ROLES[role].service;
      if (!enabled.has(needed)) {
        findings.push(error(
          "cluster.yaml",
          ["nodes", i, "roles", r],
          "service-not-enabled",
          `node ${node.name} has role ${role}, which needs service ${needed}, and ${needed} is not enabled`,
          `add ${needed} to cluster.yaml's services, or drop the role`,
        ));
      }
    });
  });
  // A service enabled with no node to run it is a cluster that cannot work.
  const runner: Record<string, readonly Role[]> = {
    kubernetes: ["master", "control-plane"],
    ceph: ["ceph-mon"],
    kafka: ["kafka-broker"],
    mqtt: ["mqtt-broker"],
    dns: ["dns-server"],
  };
  cluster.services.forEach((service, i) => {
    const roles = runner[service];
    if (!cluster.nodes.some((n) => n.roles.some((r) => roles.includes(r)))) {
      findings.push(error(
        "cluster.yaml",
        ["services", i],
        "service-without-node",
        `service ${service} is enabled but no node has role ${roles.join(" or ")}`,
        `give a node the role ${roles[0]}, or remove ${service} from services`,
      ));
    }
  });
  return findings;
}

function checkRoles(cluster: ClusterFile): Finding[] {
  const findings: Finding[] = [];
  cluster.nodes.forEach((node, i) => {
    findings.push(...duplicates(node.roles, (r) => ROLES[r].target, (role, r) =>
      warning(
        "cluster.yaml",
        ["nodes", i, "roles", r],
        "duplicate-role",
        `node ${node.name} lists role ${role} more than once (control-plane and master are the same role)`,
      )));
  });
  return findings;
}

/** Where the last node with one of `roles` lists it: the place to add or drop a quorum member. */
function lastRole(cluster: ClusterFile, roles: readonly Role[]): Path {
  for (let i = cluster.nodes.length - 1; i >= 0; i--) {
    const r = cluster.nodes[i].roles.findIndex((role) => roles.includes(role));
    if (r >= 0) return ["nodes", i, "roles", r];
  }
  return ["nodes"];
}

/** With the bridge CNI every Kubernetes node needs its own share of the pod network. */
function checkPodNetwork({ cluster, services }: CheckInput): Finding[] {
  const kubernetes = services.kubernetes;
  if (!kubernetes) return [];
  const size = kubernetes.podSubnetSize ?? 24;
  const nodes = cluster.nodes.filter((n) => isMaster(n.roles) || n.roles.includes("worker")).length;
  const room = subnetCount(cluster.network.podCidr, size);
  if (nodes <= room) return [];
  return [error(
    "cluster.yaml",
    ["network", "podCidr"],
    "pod-network-too-small",
    `pod network ${cluster.network.podCidr} holds ${room} node subnet(s) of /${size}; the cluster has ${nodes} Kubernetes nodes`,
    "widen network.podCidr, or set a longer podSubnetSize in services/kubernetes.yaml",
  )];
}

function checkEtcd(cluster: ClusterFile): Finding[] {
  if (!cluster.services.includes("kubernetes")) return [];
  const masters = cluster.nodes.filter((n) => isMaster(n.roles));
  if (masters.length === 0 || masters.length % 2 === 1) return [];
  return [error(
    "cluster.yaml",
    lastRole(cluster, ["master", "control-plane"]),
    "etcd-even-members",
    `${masters.length} master nodes make an etcd cluster of ${masters.length} members: ${
      masters.map((m) => m.name).join(", ")
    }`,
    "etcd needs an odd number of members to keep quorum through a failure: use 1, 3 or 5 masters",
  )];
}

function checkCeph({ cluster, services, nodes }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const enabled = cluster.services.includes("ceph");
  const mons = cluster.nodes.filter((n) => n.roles.includes("ceph-mon"));
  if (enabled && mons.length > 0 && mons.length % 2 === 0) {
    findings.push(error(
      "cluster.yaml",
      lastRole(cluster, ["ceph-mon"]),
      "ceph-even-mons",
      `${mons.length} ceph-mon nodes cannot keep a monitor quorum through a failure: ${
        mons.map((m) => m.name).join(", ")
      }`,
      "use an odd number of monitors: 1, 3 or 5",
    ));
  }
  const osds: { node: string; id: number; index: number }[] = [];
  for (const node of cluster.nodes) {
    const file = nodes[node.name];
    if (!file) continue;
    const path = `nodes/${node.name}.yaml`;
    const listed = file.ceph?.osds ?? [];
    if (node.roles.includes("ceph-osd") && listed.length === 0) {
      findings.push(error(
        path,
        file.ceph ? ["ceph", "osds"] : [],
        "osd-devices-missing",
        `node ${node.name} has role ceph-osd but its node file names no OSD devices`,
        "add ceph.osds: [{ id: 0, device: /dev/vdb }] with one entry per disk",
      ));
    }
    if (!node.roles.includes("ceph-osd") && listed.length > 0) {
      findings.push(error(
        path,
        ["ceph", "osds"],
        "osd-without-role",
        `node ${node.name} names OSD devices but does not have role ceph-osd`,
        "add ceph-osd to the node's roles in cluster.yaml, or remove ceph.osds",
      ));
    }
    findings.push(...duplicates(listed, (o) => o.device, (o, i) =>
      error(
        path,
        ["ceph", "osds", i, "device"],
        "duplicate-osd-device",
        `device ${o.device} is listed twice`,
        "each OSD needs a disk of its own",
      )));
    listed.forEach((o, index) => osds.push({ node: node.name, id: o.id, index }));
  }
  findings.push(...duplicates(osds, (o) => String(o.id), (o, _i, first) =>
    error(
      `nodes/${o.node}.yaml`,
      ["ceph", "osds", o.index, "id"],
      "duplicate-osd-id",
      `OSD id ${o.id} is already used on node ${osds[first].node}`,
      "OSD ids are cluster-wide: give each OSD its own number",
    )));
  const ceph = services.ceph;
  if (enabled && ceph) {
    if (ceph.poolMinSize > ceph.poolSize) {
      findings.push(error(
        "services/ceph.yaml",
        ["poolMinSize"],
        "ceph-min-size",
        `poolMinSize ${ceph.poolMinSize} is larger than poolSize ${ceph.poolSize}`,
        "poolMinSize is how many of the poolSize copies must be up to accept writes",
      ));
    }
    if (osds.length > 0 && ceph.poolSize > osds.length) {
      findings.push(warning(
        "services/ceph.yaml",
        ["poolSize"],
        "ceph-pool-too-large",
        `poolSize ${ceph.poolSize} asks for more copies than the ${osds.length} OSD(s) the cluster has`,
        "pools stay degraded until there are as many OSDs as copies",
      ));
    }
  }
  return findings;
}

function checkKafka({ cluster, services, nodes }: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const brokers: { node: string; nodeId: number; controller: boolean }[] = [];
  for (const node of cluster.nodes) {
    const file = nodes[node.name];
    if (!file) continue;
    const path = `nodes/${node.name}.yaml`;
    const isBroker = node.roles.includes("kafka-broker");
    if (isBroker && !file.kafka) {
      findings.push(error(
        path,
        [],
        "kafka-node-id-missing",
        `node ${node.name} has role kafka-broker but its node file has no kafka.nodeId`,
        "add kafka: { nodeId: N } with a number no other broker uses; it must never change",
      ));
    }
    if (!isBroker && file.kafka) {
      findings.push(error(
        path,
        ["kafka"],
        "kafka-without-role",
        `node ${node.name} has kafka settings but not the role kafka-broker`,
        "add kafka-broker to the node's roles in cluster.yaml, or remove kafka",
      ));
    }
    if (isBroker && file.kafka) {
      brokers.push({ node: node.name, nodeId: file.kafka.nodeId, controller: file.kafka.controller ?? true });
    }
  }
  findings.push(...duplicates(brokers, (b) => String(b.nodeId), (b, _i, first) =>
    error(
      `nodes/${b.node}.yaml`,
      ["kafka", "nodeId"],
      "duplicate-kafka-node-id",
      `Kafka node id ${b.nodeId} is already used by ${brokers[first].node}`,
      "every Kafka node needs its own node id",
    )));
  if (!cluster.services.includes("kafka") || brokers.length === 0) return findings;
  const controllers = brokers.filter((b) => b.controller);
  if (controllers.length === 0 || controllers.length % 2 === 0) {
    // Point at the last explicit `controller: false`, the likeliest thing to change; else at the last broker.
    const optedOut = brokers.filter((b) => nodes[b.node].kafka?.controller === false).at(-1);
    const [file, path]: [string, Path] = optedOut
      ? [`nodes/${optedOut.node}.yaml`, ["kafka", "controller"]]
      : ["cluster.yaml", lastRole(cluster, ["kafka-broker"])];
    findings.push(error(
      file,
      path,
      "kafka-controller-quorum",
      controllers.length === 0
        ? "no Kafka broker is a controller: KRaft needs a controller quorum"
        : `${controllers.length} Kafka controllers (${
          controllers.map((c) => c.node).join(", ")
        }) cannot keep a KRaft quorum through a failure`,
      "use an odd number of controllers (1, 3 or 5): kafka.controller in the brokers' node files, default true",
    ));
  }
  const kafka = services.kafka;
  if (kafka && kafka.replicationFactor > brokers.length) {
    findings.push(error(
      "services/kafka.yaml",
      ["replicationFactor"],
      "kafka-replication-too-large",
      `replicationFactor ${kafka.replicationFactor} needs that many brokers; the cluster has ${brokers.length}`,
      "lower replicationFactor or add kafka-broker nodes",
    ));
  }
  if (kafka && kafka.port === kafka.controllerPort) {
    findings.push(error(
      "services/kafka.yaml",
      ["controllerPort"],
      "kafka-port-clash",
      `controllerPort ${kafka.controllerPort} is the same as port`,
      "the broker and controller listeners need different ports",
    ));
  }
  return findings;
}

function checkMqtt({ services }: CheckInput): Finding[] {
  const users = services.mqtt?.users ?? [];
  return duplicates(users, (u) => u.name, (u, i) =>
    error(
      "services/mqtt.yaml",
      ["users", i, "name"],
      "duplicate-mqtt-user",
      `MQTT user ${u.name} is defined twice`,
      "merge the two users' acl lists",
    ));
}
