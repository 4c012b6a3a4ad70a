/**
 * Properties of validation and planning over random configurations (fast-check), run in-process on real files:
 *
 * - every valid configuration the generator makes is accepted, loads as the data written, and plans the same every
 *   time for every node;
 * - every mutation of one (a required key dropped, an unknown key added, a MAC, IP, name or hostname repeated, an
 *   address outside the network, a CIDR broken, a bad byte, ...) is refused as a configuration error (exit 2) with
 *   the expected diagnostic, located in a real file at a position that holds what the mutation changed.
 *
 * Each prints how many configurations it tried. FC_SEED and FC_RUNS reproduce or widen a run.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadConfig } from "../src/config/load.ts";
import { planNode } from "../src/plan/plan.ts";
import { ConfigError, exitCodeOf } from "../src/errors.ts";
import type { Diagnostic } from "../src/config/diagnostic.ts";
import { arbitraryConfig, type ConfigFiles, configTexts, writeConfig } from "./support/arbitrary_config.ts";
import { tempDir } from "./support/cli.ts";
import { isMap, isNode, isScalar, parseDocument, type Scalar } from "yaml";

const RUNS = Number(Deno.env.get("FC_RUNS") ?? 150);
const SEED = Deno.env.get("FC_SEED") ? Number(Deno.env.get("FC_SEED")) : undefined;
const settings = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

Deno.test("property: every generated valid configuration is accepted, loads as written and plans the same twice", async () => {
  await using tmp = await tempDir("clusterboot-prop-");
  const dir = `${tmp.path}/config`;
  let tried = 0;
  let nodesPlanned = 0;
  await fc.assert(
    fc.asyncProperty(arbitraryConfig(), async (files) => {
      tried++;
      await writeConfig(dir, configTexts(files));
      let loaded;
      try {
        loaded = await loadConfig(dir, { full: true });
      } catch (error) {
        const found = error instanceof ConfigError ? error.diagnostics.map(describe).join("\n") : String(error);
        throw new Error(`a valid configuration was refused:\n${found}`);
      }
      assert.ok(loaded.warnings.every((w) => w.severity === "warning"));
      // What was written is what is loaded: nothing dropped, nothing added, nothing converted.
      assert.deepEqual(loaded.config.cluster, files.cluster);
      assert.deepEqual(loaded.config.nodes, files.nodes);
      assert.deepEqual(loaded.config.services, files.services);
      const again = await loadConfig(dir, { full: true });
      for (const node of files.cluster.nodes) {
        const plan = planNode(loaded, node.name);
        assert.deepEqual(planNode(again, node.name), plan, `the plan of ${node.name} differs from one run to the next`);
        assert.ok(plan.entries.length > 0 && plan.start.length > 0, `${node.name} plans nothing`);
        nodesPlanned++;
      }
    }),
    settings,
  );
  console.log(`valid configurations: ${tried} tried, ${tried} accepted, ${nodesPlanned} node plans deterministic`);
});

/** What a mutation changed, and where validation must say so. */
interface Expectation {
  file: string;
  code: string;
  /** Where in the file's data: the value there, or its key with `key`; the whole file (1:1) when neither. */
  path?: (string | number)[];
  key?: boolean;
  /** Or the place as an offset in the text, for problems of the text itself. */
  offset?: number;
}

interface Mutated {
  texts: Map<string, string | Uint8Array>;
  expect: Expectation;
}

type Mutation = ((files: ConfigFiles, pick: (n: number) => number) => Mutated) & {
  /** What the configuration must have for the mutation to apply. */
  needs?: (files: ConfigFiles) => boolean;
};

/** Applies `change` to a copy of the data and writes it. */
function edit(files: ConfigFiles, change: (copy: ConfigFiles) => Expectation): Mutated {
  const copy = structuredClone(files);
  const expect = change(copy);
  return { texts: configTexts(copy), expect };
}

/** The texts of `files` with one file changed by `change`, a file picked at random. */
function editText(
  files: ConfigFiles,
  pick: (n: number) => number,
  change: (text: string, file: string) => { content: string | Uint8Array; expect: Omit<Expectation, "file"> },
): Mutated {
  const texts: Map<string, string | Uint8Array> = configTexts(files);
  const file = [...texts.keys()][pick(texts.size)];
  const { content, expect } = change(texts.get(file) as string, file);
  texts.set(file, content);
  return { texts, expect: { file, ...expect } };
}

const REQUIRED_NODE_KEYS = ["name", "hostname", "mac", "ip", "roles"];
const REQUIRED_SERVICE_KEYS: Record<string, string[]> = {
  kubernetes: ["apiVersion", "version", "clusterDomain", "cni", "sandboxImage", "cgroupDriver", "apiServer", "etcd"],
  ceph: ["apiVersion", "poolSize", "poolMinSize"],
  kafka: ["apiVersion", "version", "port", "controllerPort", "numPartitions", "replicationFactor", "logRetentionHours"],
  mqtt: ["apiVersion", "port", "persistence", "allowAnonymous", "users"],
  dns: ["apiVersion", "port", "upstreams", "cacheSeconds", "kubernetesZone"],
};

type Data = Record<string, unknown>;

/** The mutations, by name: each breaks one rule and says what validation must report, and where. */
const MUTATIONS: Record<string, Mutation> = {
  "drop a node entry's required key": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      delete (c.cluster.nodes[i] as Data)[REQUIRED_NODE_KEYS[pick(REQUIRED_NODE_KEYS.length)]];
      // Reported at the entry that lacks it.
      return { file: "cluster.yaml", code: "missing-key", path: ["nodes", i] };
    }),
  "drop a service file's required key": (files, pick) =>
    edit(files, (c) => {
      const name = Object.keys(c.services)[pick(Object.keys(c.services).length)];
      const keys = REQUIRED_SERVICE_KEYS[name];
      delete c.services[name][keys[pick(keys.length)]];
      return { file: `services/${name}.yaml`, code: "missing-key", path: [] };
    }),
  "drop the network's cidr": (files) =>
    edit(files, (c) => {
      delete c.cluster.network.cidr;
      return { file: "cluster.yaml", code: "missing-key", path: ["network"] };
    }),
  "add an unknown key": (files, pick) =>
    edit(files, (c) => {
      const key = `bogusKey${pick(1000)}`;
      const i = pick(c.cluster.nodes.length);
      const places: [string, (string | number)[], Data][] = [
        ["cluster.yaml", [], c.cluster],
        ["cluster.yaml", ["network"], c.cluster.network],
        ["cluster.yaml", ["nodes", i], c.cluster.nodes[i]],
        ...Object.entries(c.nodes).map(([name, data]) => [`nodes/${name}.yaml`, [], data] as [string, [], Data]),
        ...Object.entries(c.services).map(([name, data]) => [`services/${name}.yaml`, [], data] as [string, [], Data]),
      ];
      const [file, path, target] = places[pick(places.length)];
      target[key] = pick(2) ? "x" : { nested: true };
      return { file, code: "unknown-key", path: [...path, key], key: true };
    }),
  ...Object.fromEntries((["mac", "ip", "name", "hostname"] as const).map((field) => [
    `repeat a node's ${field}`,
    ((files, pick) =>
      edit(files, (c) => {
        const nodes = c.cluster.nodes as unknown as Record<string, string>[];
        const first = pick(nodes.length - 1);
        const second = first + 1 + pick(nodes.length - first - 1);
        // A MAC repeated in other letter case is the same MAC.
        nodes[second][field] = field === "mac" && pick(2) ? nodes[first][field].toUpperCase() : nodes[first][field];
        return { file: "cluster.yaml", code: `duplicate-${field}`, path: ["nodes", second, field] };
      })) satisfies Mutation,
  ])),
  "put an address outside the node network": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      c.cluster.nodes[i].ip = `203.0.113.${1 + pick(254)}`;
      return { file: "cluster.yaml", code: "ip-outside-network", path: ["nodes", i, "ip"] };
    }),
  "give a node the gateway's address": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      c.cluster.nodes[i].ip = c.cluster.network.gateway;
      return { file: "cluster.yaml", code: "ip-is-gateway", path: ["nodes", i, "ip"] };
    }),
  "give a node the network's own address": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      c.cluster.nodes[i].ip = (c.cluster.network.cidr as string).split("/")[0];
      return { file: "cluster.yaml", code: "ip-reserved", path: ["nodes", i, "ip"] };
    }),
  "break a CIDR": (files, pick) =>
    edit(files, (c) => {
      const key = ["cidr", "podCidr", "serviceCidr"][pick(3)];
      c.cluster.network[key] =
        ["10.0.0.0/33", "10.0.0.0", "10.0.0.256/24", "banana", "fd00::/64", "10.0.0.0/-1"][pick(6)];
      return { file: "cluster.yaml", code: "invalid-format", path: ["network", key] };
    }),
  "set host bits in the node network": (files) =>
    edit(files, (c) => {
      const [address, prefix] = (c.cluster.network.cidr as string).split("/");
      const parts = address.split(".").map(Number);
      parts[3] += 1;
      c.cluster.network.cidr = `${parts.join(".")}/${prefix}`;
      return { file: "cluster.yaml", code: "cidr-host-bits", path: ["network", "cidr"] };
    }),
  "overlap the service network with the pod network": (files) =>
    edit(files, (c) => {
      c.cluster.network.serviceCidr = c.cluster.network.podCidr;
      return { file: "cluster.yaml", code: "cidr-overlap", path: ["network", "serviceCidr"] };
    }),
  "write an invalid MAC": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      c.cluster.nodes[i].mac = ["52:54:00:zz:00:01", "52-54-00-00-00-01", "52:54:00:00:01", "5254.0000.0001"][pick(4)];
      return { file: "cluster.yaml", code: "invalid-format", path: ["nodes", i, "mac"] };
    }),
  "write an invalid IP": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      c.cluster.nodes[i].ip = ["10.0.0", "1.2.3.4.5", "999.1.1.1", "10.0.0.1/24", "host.example"][pick(5)];
      return { file: "cluster.yaml", code: "invalid-format", path: ["nodes", i, "ip"] };
    }),
  "give a port as text": (files, pick) =>
    edit(files, (c) => {
      const withPort = Object.keys(c.services).filter((name) => name !== "ceph");
      const name = withPort[pick(withPort.length)];
      const path = name === "kubernetes" ? ["apiServer", "port"] : ["port"];
      const parent = path.length === 2 ? c.services[name].apiServer as Data : c.services[name];
      parent.port = "http";
      return { file: `services/${name}.yaml`, code: "wrong-type", path };
    }),
  "give a node an unknown role": (files, pick) =>
    edit(files, (c) => {
      const i = pick(c.cluster.nodes.length);
      const r = pick(c.cluster.nodes[i].roles.length);
      c.cluster.nodes[i].roles[r] = "wizard";
      return { file: "cluster.yaml", code: "invalid-value", path: ["nodes", i, "roles", r] };
    }),
  "lead a device path out of /dev": (files, pick) =>
    edit(files, (c) => {
      const name = Object.keys(c.nodes)[pick(Object.keys(c.nodes).length)];
      c.nodes[name].dataDisk = { device: ["/dev/../etc/passwd", "/etc/shadow", "/dev/./sda", "dev/sda"][pick(4)] };
      return { file: `nodes/${name}.yaml`, code: "invalid-format", path: ["dataDisk", "device"] };
    }),
  "forbid a label to the kubelet": (files, pick) =>
    edit(files, (c) => {
      const name = Object.keys(c.nodes)[pick(Object.keys(c.nodes).length)];
      const key = "node-role.kubernetes.io/worker";
      c.nodes[name].labels = { ...(c.nodes[name].labels as object), [key]: "" };
      return { file: `nodes/${name}.yaml`, code: "label-kubelet-forbidden", path: ["labels", key], key: true };
    }),
  "remove a node file": (files, pick) => {
    const i = pick(files.cluster.nodes.length);
    const texts: Map<string, string | Uint8Array> = configTexts(files);
    texts.delete(`nodes/${files.cluster.nodes[i].name}.yaml`);
    return { texts, expect: { file: "cluster.yaml", code: "node-file-missing", path: ["nodes", i, "name"] } };
  },
  "add a node file no entry lists": (files) => {
    const texts: Map<string, string | Uint8Array> = configTexts(files);
    texts.set("nodes/zz-stray-node.yaml", "apiVersion: clusterboot/v1\n");
    return { texts, expect: { file: "nodes/zz-stray-node.yaml", code: "node-not-listed" } };
  },
  "repeat a Kafka node id": Object.assign((files: ConfigFiles) => {
    const brokers = kafkaBrokers(files);
    return edit(files, (c) => {
      const [first, second] = brokers.map((b) => c.nodes[b].kafka as Data);
      second.nodeId = first.nodeId;
      return { file: `nodes/${brokers[1]}.yaml`, code: "duplicate-kafka-node-id", path: ["kafka", "nodeId"] };
    });
  }, { needs: (files: ConfigFiles) => kafkaBrokers(files).length >= 2 }),
  "repeat a key in a YAML map": (files, pick) =>
    editText(files, pick, (text) => ({
      content: `${text}apiVersion: clusterboot/v1\n`,
      expect: { code: "yaml-duplicate-key", offset: text.length },
    })),
  "leave a bracket open": (files, pick) =>
    editText(files, pick, (text) => ({
      content: `${text}extra: [1, 2\n`,
      expect: { code: "yaml-missing-char", offset: text.length + "extra: ".length },
    })),
  "empty a file": (files, pick) => editText(files, pick, () => ({ content: "", expect: { code: "empty-file" } })),
  "put a byte that is not UTF-8 into a file": (files, pick) =>
    editText(files, pick, (text) => {
      // The generated text is ASCII: byte offsets and character offsets agree.
      const cut = pick(text.length + 1);
      const bytes = new TextEncoder().encode(text);
      return {
        content: new Uint8Array([...bytes.subarray(0, cut), 0xff, ...bytes.subarray(cut)]),
        expect: { code: "not-utf8", offset: cut },
      };
    }),
};

/** The names of the Kafka brokers, in the order cluster.yaml lists them. */
function kafkaBrokers(files: ConfigFiles): string[] {
  return files.cluster.nodes.filter((n) => n.roles.includes("kafka-broker")).map((n) => n.name);
}

/**
 * Where the expectation says the problem is, as an offset in `text`: found with the YAML library's own document
 * model, independently of how clusterboot locates paths.
 */
function expectedOffset(text: string, expect: Expectation): number {
  if (expect.offset !== undefined) return expect.offset;
  if (expect.path === undefined) return 0;
  const doc = parseDocument(text);
  if (expect.key) {
    const parent = doc.getIn(expect.path.slice(0, -1), true);
    assert.ok(isMap(parent), `no map at ${expect.path.slice(0, -1).join(".")}`);
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === expect.path!.at(-1));
    return (pair!.key as Scalar).range![0];
  }
  const node = expect.path.length ? doc.getIn(expect.path, true) : doc.contents;
  assert.ok(isNode(node), `nothing at ${expect.path.join(".")}`);
  return node.range![0];
}

/** The offset of 1-based `line` and `col` in `text`, or undefined when the file has no such position. */
function offsetOf(text: string, line: number, col: number): number | undefined {
  let start = 0;
  for (let l = 1; l < line; l++) {
    start = text.indexOf("\n", start) + 1;
    if (start === 0) return undefined;
  }
  const end = text.indexOf("\n", start) === -1 ? text.length : text.indexOf("\n", start);
  return col - 1 <= end - start ? start + col - 1 : undefined;
}

function describe(d: Diagnostic): string {
  return `  ${d.file}:${d.line}:${d.col} ${d.severity} ${d.code}: ${d.message}`;
}

Deno.test("property: every mutation of a valid configuration is refused with exit 2, at the place it changed", async () => {
  await using tmp = await tempDir("clusterboot-prop-");
  const dir = `${tmp.path}/config`;
  // Each kind of mutation gets its share of the runs, so every kind is tried whatever the seed.
  const runs = Math.max(4, Math.round((RUNS * 2) / Object.keys(MUTATIONS).length));
  let tried = 0;
  for (const [name, mutation] of Object.entries(MUTATIONS)) {
    const configs = arbitraryConfig({ minNodes: 2 });
    await fc.assert(
      fc.asyncProperty(
        mutation.needs ? configs.filter(mutation.needs) : configs,
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        async (files, numbers) => {
          let next = 0;
          const pick = (n: number) => n <= 1 ? 0 : numbers[next++ % numbers.length] % n;
          const mutated = mutation(files, pick);
          tried++;
          await writeConfig(dir, mutated.texts);
          const error = await loadConfig(dir, { full: true }).then(() => undefined, (e) => e);
          assert.ok(error instanceof ConfigError, `${name}: accepted, or failed otherwise: ${error}`);
          assert.equal(exitCodeOf(error), 2);
          const { expect } = mutated;
          const shown = error.diagnostics.map(describe).join("\n");
          // Every diagnostic points into a real file of the directory, at a position that file has.
          for (const d of error.diagnostics) {
            assert.ok(d.file.startsWith(`${dir}/`), `${name}: ${d.file} is not in the config directory`);
            const text = new TextDecoder().decode(await Deno.readFile(d.file));
            assert.notEqual(offsetOf(text, d.line, d.col), undefined, `${name}: ${describe(d)} is past its file's end`);
          }
          const path = `${dir}/${expect.file}`;
          const raw = mutated.texts.get(expect.file)!;
          const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
          const wanted = expectedOffset(typeof raw === "string" ? raw : "", expect);
          const hit = error.diagnostics.some((d) =>
            d.file === path && d.code === expect.code && offsetOf(text, d.line, d.col) === wanted
          );
          const want = text.slice(0, wanted).split("\n");
          assert.ok(
            hit,
            `${name}: expected ${expect.file}:${want.length}:${want.at(-1)!.length + 1} ${expect.code}; got:\n${shown}`,
          );
        },
      ),
      { ...settings, numRuns: runs },
    );
  }
  const kinds = Object.keys(MUTATIONS).length;
  console.log(`mutations: ${tried} tried, ${tried} refused with exit 2 at the changed place, 0 lost (${kinds} kinds)`);
});
