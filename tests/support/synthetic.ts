/**
 * Large synthetic clusters for tests and benchmarks: valid, deterministic for a seed, any size up to 60,000 nodes.
 * Three masters, three Ceph monitors and three Kafka brokers; every other node a worker, one in four with an OSD.
 *
 * @example
 * ```ts
 * await writeSyntheticCluster("/tmp/big", { nodes: 1000, seed: 7 });
 * ```
 * @module
 */

export interface SyntheticOptions {
  nodes: number;
  seed?: number;
}

/** A small seeded PRNG (mulberry32): the same seed, the same cluster. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeSyntheticCluster(dir: string, options: SyntheticOptions): Promise<void> {
  const { nodes: count } = options;
  if (count < 6 || count > 60_000) throw new RangeError("a synthetic cluster has 6 to 60,000 nodes");
  const random = prng(options.seed ?? 1);
  await Deno.mkdir(`${dir}/services`, { recursive: true });
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  const lines = [
    "apiVersion: clusterboot/v1",
    `name: synthetic-${count}`,
    'version: "1"',
    "domain: synthetic.internal",
    "network:",
    "  cidr: 10.128.0.0/16",
    "  gateway: 10.128.0.1",
    "  podCidr: 172.16.0.0/12",
    "  serviceCidr: 10.96.0.0/12",
    "services: [kubernetes, ceph, kafka, mqtt, dns]",
    "nodes:",
  ];
  let osd = 0;
  for (let i = 0; i < count; i++) {
    const name = `node-${String(i).padStart(5, "0")}`;
    const roles = i < 3 ? ["master"] : ["worker"];
    if (i >= 3 && i < 6) roles.push("ceph-mon", "kafka-broker");
    if (i === 6 % count) roles.push("dns-server", "mqtt-broker");
    const hasOsd = i >= 3 && random() < 0.25;
    if (hasOsd) roles.push("ceph-osd");
    const ip = `10.128.${Math.floor((i + 10) / 256)}.${(i + 10) % 256}`;
    const mac = `52:54:00:${
      [(i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, "0")).join(":")
    }`;
    lines.push(`  - { name: ${name}, hostname: ${name}, mac: "${mac}", ip: ${ip}, roles: [${roles.join(", ")}] }`);
    const file = [
      "apiVersion: clusterboot/v1",
      `labels: { topology.kubernetes.io/zone: zone-${Math.floor(random() * 4)} }`,
    ];
    if (roles.includes("kafka-broker")) file.push(`kafka: { nodeId: ${i} }`);
    if (hasOsd) file.push(`ceph: { osds: [{ id: ${osd++}, device: /dev/vdb }] }`);
    await Deno.writeTextFile(`${dir}/nodes/${name}.yaml`, file.join("\n") + "\n");
  }
  await Deno.writeTextFile(`${dir}/cluster.yaml`, lines.join("\n") + "\n");
  const example = new URL("../../configs/services/", import.meta.url).pathname;
  for (const service of ["kafka", "mqtt", "dns"]) {
    await Deno.copyFile(`${example}${service}.yaml`, `${dir}/services/${service}.yaml`);
  }
  // /26 per node: the /12 pod network has room for 16,384 nodes.
  const kubernetes = await Deno.readTextFile(`${example}kubernetes.yaml`);
  await Deno.writeTextFile(
    `${dir}/services/kubernetes.yaml`,
    kubernetes.replace("cni: bridge", "cni: bridge\npodSubnetSize: 26"),
  );
  await Deno.writeTextFile(`${dir}/services/ceph.yaml`, "apiVersion: clusterboot/v1\npoolSize: 3\npoolMinSize: 2\n");
}
