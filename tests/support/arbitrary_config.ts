/**
 * Random valid configurations for property tests (fast-check): any number of nodes, roles that keep every quorum
 * odd, addresses inside the node network and outside the pod and service networks, unique names, MACs, addresses,
 * OSD and Kafka ids, and the service files of the services enabled. Written out as YAML with {@link writeConfig}.
 *
 * @example
 * ```ts
 * fc.assert(fc.asyncProperty(arbitraryConfig(), async (files) => { await writeConfig(dir, files); ... }));
 * ```
 * @module
 */
import fc from "fast-check";
import { stringify } from "yaml";

type Data = Record<string, unknown>;

/** A configuration as data: what each file holds. */
export interface ConfigFiles {
  cluster: Data & { network: Data; nodes: (Data & { name: string; roles: string[] })[]; services: string[] };
  /** By service name, for the services enabled. */
  services: Record<string, Data>;
  /** By node name, one for every node. */
  nodes: Record<string, Data>;
}

export interface ArbitraryOptions {
  /** Fewest nodes (default 1); the most is 9. */
  minNodes?: number;
}

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const version = fc.tuple(fc.nat(40), fc.nat(40), fc.nat(40)).map((parts) => parts.join("."));
const port = fc.integer({ min: 1, max: 65535 });

/** An IPv4 address from its 32-bit value. */
export function ipOf(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/**
 * Makes a valid odd-sized group of the nodes flagged in `flags`: at least one (the first node, when none is
 * flagged), and one fewer when the count is even.
 */
function oddGroup(flags: readonly boolean[]): number[] {
  const group = flags.flatMap((flag, i) => flag ? [i] : []);
  if (group.length === 0) return [0];
  return group.length % 2 === 0 ? group.slice(0, -1) : group;
}

/** Random valid configurations. */
export function arbitraryConfig(options: ArbitraryOptions = {}): fc.Arbitrary<ConfigFiles> {
  return fc.integer({ min: options.minNodes ?? 1, max: 9 }).chain((n) => {
    const flags = fc.array(fc.boolean(), { minLength: n, maxLength: n });
    return fc.record({
      names: fc.uniqueArray(dnsLabel, { minLength: n, maxLength: n }),
      hostnames: fc.uniqueArray(dnsLabel, { minLength: n, maxLength: n }),
      macs: fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 24 - 1 }), { minLength: n, maxLength: n }),
      upperMacs: flags,
      prefix: fc.integer({ min: 20, max: 28 }),
      networkIndex: fc.nat(),
      hostOffsets: fc.uniqueArray(fc.nat(), { minLength: n, maxLength: n }),
      podOctet: fc.integer({ min: 0, max: 95 }),
      serviceCidr: fc.constantFrom("10.96.0.0/12", "10.112.0.0/12", "172.16.0.0/12"),
      nameservers: fc.option(fc.array(fc.ipV4(), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      clusterName: dnsLabel,
      domain: fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((labels) => labels.join(".")),
      clusterVersion: fc.string({ minLength: 1, maxLength: 12 }),
      enabled: fc.record({ ceph: fc.boolean(), kafka: fc.boolean(), mqtt: fc.boolean(), dns: fc.boolean() }),
      masters: flags,
      controlPlaneName: flags,
      workers: flags,
      mons: flags,
      osds: flags,
      osdCounts: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
      brokers: flags,
      controllers: flags,
      kafkaIds: fc.uniqueArray(fc.nat(1000), { minLength: n, maxLength: n }),
      mqttBrokers: flags,
      dnsServers: flags,
      dataDisks: flags,
      labels: fc.array(fc.dictionary(dnsLabel.map((k) => `example.com/${k}`), dnsLabel, { maxKeys: 3 }), {
        minLength: n,
        maxLength: n,
      }),
      taints: fc.array(fc.option(fc.constantFrom("NoSchedule", "PreferNoSchedule", "NoExecute"), { nil: undefined }), {
        minLength: n,
        maxLength: n,
      }),
      uuids: fc.uniqueArray(fc.uuid(), { minLength: n, maxLength: n }),
      withUuid: flags,
      pki: fc.option(
        fc.record({ keyType: fc.constantFrom("ecdsa-p256", "ed25519"), caDays: fc.integer({ min: 1, max: 9999 }) }),
        { nil: undefined },
      ),
      kubernetes: fc.record({
        version: version.map((v) => `v${v}`),
        clusterDomain: fc.constantFrom("cluster.local", "k8s.internal"),
        podSubnetSize: fc.option(fc.integer({ min: 20, max: 28 }), { nil: undefined }),
        cgroupDriver: fc.constantFrom("systemd", "cgroupfs"),
        apiPort: port,
        etcdPorts: fc.uniqueArray(port, { minLength: 2, maxLength: 2 }),
        maxPods: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      }),
      ceph: fc.integer({ min: 1, max: 3 }).chain((size) =>
        fc.record({ poolSize: fc.constant(size), poolMinSize: fc.integer({ min: 1, max: size }) })
      ),
      kafka: fc.record({
        version,
        ports: fc.uniqueArray(port, { minLength: 2, maxLength: 2 }),
        numPartitions: fc.integer({ min: 1, max: 64 }),
        replication: fc.nat(),
        logRetentionHours: fc.integer({ min: 1, max: 10000 }),
        tls: fc.option(fc.boolean(), { nil: undefined }),
        scramUsers: fc.option(fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), { maxLength: 3 }), {
          nil: undefined,
        }),
      }),
      mqtt: fc.record({
        port,
        persistence: fc.boolean(),
        allowAnonymous: fc.boolean(),
        users: fc.uniqueArray(
          fc.record({
            name: fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
            acl: fc.array(
              fc.record({
                topic: fc.stringMatching(/^[a-z0-9/#+]{1,16}$/),
                access: fc.constantFrom("read", "write", "readwrite"),
              }),
              { maxLength: 3 },
            ),
          }),
          { selector: (u) => u.name, maxLength: 3 },
        ),
      }),
      dns: fc.record({
        port,
        upstreams: fc.array(fc.ipV4(), { minLength: 1, maxLength: 3 }),
        cacheSeconds: fc.nat(3600),
        kubernetesZone: fc.boolean(),
      }),
    }).map((r) => {
      const size = 2 ** (32 - r.prefix);
      // A node network inside 192.168.0.0/16; the pod network in 10.0.0.0/9 and the service network elsewhere.
      const base = (((192 << 24) | (168 << 16)) >>> 0) + (r.networkIndex % 2 ** (r.prefix - 16)) * size;
      const enabled = ["kubernetes", ...(["ceph", "kafka", "mqtt", "dns"] as const).filter((s) => r.enabled[s])];
      const roles: string[][] = Array.from({ length: n }, () => []);
      const add = (group: number[], role: string | ((i: number) => string)) =>
        group.forEach((i) => roles[i].push(typeof role === "string" ? role : role(i)));
      add(oddGroup(r.masters), (i) => r.controlPlaneName[i] ? "control-plane" : "master");
      add(r.workers.flatMap((w, i) => w ? [i] : []), "worker");
      const osdNodes = r.enabled.ceph ? r.osds.flatMap((o, i) => o ? [i] : []) : [];
      if (r.enabled.ceph) add(oddGroup(r.mons), "ceph-mon");
      add(osdNodes, "ceph-osd");
      const brokers = r.enabled.kafka ? oddGroup(r.brokers) : [];
      // Every broker a controller unless told otherwise; an odd number of them, at least one.
      const controllers = new Set(
        brokers.length ? oddGroup(brokers.map((b) => r.controllers[b])).map((k) => brokers[k]) : [],
      );
      add(brokers, "kafka-broker");
      if (r.enabled.mqtt) add(oddGroup(r.mqttBrokers), "mqtt-broker");
      if (r.enabled.dns) add(oddGroup(r.dnsServers), "dns-server");
      roles.forEach((list) => list.length === 0 && list.push("worker"));

      // Addresses from the offsets, unique: a repeat moves on to the next free host address.
      const hosts = size - 3;
      const used = new Set<number>();
      const ips = r.hostOffsets.map((offset) => {
        let host = offset % hosts;
        while (used.has(host)) host = (host + 1) % hosts;
        used.add(host);
        return ipOf(base + 2 + host);
      });

      let osdId = 0;
      const nodes: Record<string, Data> = {};
      const entries = r.names.map((name, i) => {
        const mac = `52:54:00:${
          [16, 8, 0].map((s) => ((r.macs[i] >> s) & 255).toString(16).padStart(2, "0")).join(":")
        }`;
        const file: Data = { apiVersion: "clusterboot/v1" };
        if (r.withUuid[i]) file.hardware = { uuid: r.uuids[i] };
        if (Object.keys(r.labels[i]).length) file.labels = r.labels[i];
        if (r.taints[i]) file.taints = [{ key: "example.com/dedicated", value: name, effect: r.taints[i] }];
        if (brokers.includes(i)) {
          file.kafka = controllers.has(i) ? { nodeId: r.kafkaIds[i] } : { nodeId: r.kafkaIds[i], controller: false };
        }
        if (osdNodes.includes(i)) {
          file.ceph = {
            osds: Array.from({ length: r.osdCounts[i] }, (_, d) => ({ id: osdId++, device: `/dev/vd${"bcd"[d]}` })),
          };
        }
        if (r.dataDisks[i]) file.dataDisk = { device: "/dev/vda" };
        nodes[name] = file;
        return {
          name,
          hostname: r.hostnames[i],
          mac: r.upperMacs[i] ? mac.toUpperCase() : mac,
          ip: ips[i],
          roles: roles[i],
        };
      });
      const services: Record<string, Data> = {
        kubernetes: {
          apiVersion: "clusterboot/v1",
          version: r.kubernetes.version,
          clusterDomain: r.kubernetes.clusterDomain,
          cni: "bridge",
          ...(r.kubernetes.podSubnetSize ? { podSubnetSize: r.kubernetes.podSubnetSize } : {}),
          sandboxImage: "registry.k8s.io/pause:3.10",
          cgroupDriver: r.kubernetes.cgroupDriver,
          apiServer: { port: r.kubernetes.apiPort, admissionPlugins: ["NodeRestriction"] },
          etcd: { clientPort: r.kubernetes.etcdPorts[0], peerPort: r.kubernetes.etcdPorts[1] },
          ...(r.kubernetes.maxPods ? { kubelet: { maxPods: r.kubernetes.maxPods } } : {}),
        },
      };
      if (r.enabled.ceph) services.ceph = { apiVersion: "clusterboot/v1", ...r.ceph };
      if (r.enabled.kafka) {
        services.kafka = {
          apiVersion: "clusterboot/v1",
          version: r.kafka.version,
          port: r.kafka.ports[0],
          controllerPort: r.kafka.ports[1],
          numPartitions: r.kafka.numPartitions,
          replicationFactor: 1 + (r.kafka.replication % brokers.length),
          logRetentionHours: r.kafka.logRetentionHours,
          ...(r.kafka.tls === undefined ? {} : { tls: r.kafka.tls }),
          ...(r.kafka.scramUsers ? { scramUsers: r.kafka.scramUsers } : {}),
        };
      }
      if (r.enabled.mqtt) services.mqtt = { apiVersion: "clusterboot/v1", ...r.mqtt };
      if (r.enabled.dns) services.dns = { apiVersion: "clusterboot/v1", ...r.dns };

      const network: Data = {
        cidr: `${ipOf(base)}/${r.prefix}`,
        gateway: ipOf(base + 1),
        podCidr: `10.${r.podOctet}.0.0/16`,
        serviceCidr: r.serviceCidr,
        ...(r.nameservers ? { nameservers: r.nameservers } : {}),
      };
      const cluster: ConfigFiles["cluster"] = {
        apiVersion: "clusterboot/v1",
        name: r.clusterName,
        version: r.clusterVersion,
        domain: r.domain,
        network,
        services: enabled,
        nodes: entries,
        ...(r.pki ? { pki: r.pki } : {}),
      };
      // Plain objects, as a YAML parser makes them (the generator's records have no prototype).
      return JSON.parse(JSON.stringify({ cluster, services, nodes })) as ConfigFiles;
    });
  });
}

/** The text of each file of `files`, by path relative to the config directory. */
export function configTexts(files: ConfigFiles): Map<string, string> {
  const yaml = (data: unknown) => stringify(data, { lineWidth: 0 });
  const texts = new Map([["cluster.yaml", yaml(files.cluster)]]);
  for (const [name, data] of Object.entries(files.services)) texts.set(`services/${name}.yaml`, yaml(data));
  for (const [name, data] of Object.entries(files.nodes)) texts.set(`nodes/${name}.yaml`, yaml(data));
  return texts;
}

/** Writes `texts` (from {@link configTexts}) into `dir`, replacing what was there. */
export async function writeConfig(dir: string, texts: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${dir}/services`, { recursive: true });
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  for (const [file, content] of texts) {
    if (typeof content === "string") await Deno.writeTextFile(`${dir}/${file}`, content);
    else await Deno.writeFile(`${dir}/${file}`, content);
  }
}
