/**
 * A changed setting reaches exactly the files that depend on it, and restarts exactly the daemons that read them:
 * every node of the example cluster is booted, its daemons marked running, then booted again after one edit of
 * services/*.yaml. (A rerun with the same inputs changing nothing is tests/cli_test.ts's, for every node.)
 *
 * Run: `deno test --allow-all tests/idempotence_test.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { clusterboot, copyTree, EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";
import { type Machine, machine, snapshot, touched } from "./support/machine.ts";
import { loadConfig } from "../src/config/load.ts";
import { planNode } from "../src/plan/plan.ts";

const example = await loadConfig(EXAMPLE_CONFIG, { full: true });
const NODES = example.config.cluster.nodes;

/** The configuration copied into /etc/cluster-config on every node; each edit changes its file there. */
const CONFIG_COPY = "/etc/cluster-config";

interface Edit {
  name: string;
  file: string;
  from: string;
  to: string;
  /** Files besides the configuration's own copy (and its compiled snapshot) that change, by node. */
  files: Record<string, string[]>;
  /** Units restarted, by node (where they run). */
  restarts: Record<string, string[]>;
  /** What a changed file must now say. */
  check: { node: string; path: string; says: RegExp };
}

const EDITS: Edit[] = [
  {
    name: "MQTT port 1883 -> 1884",
    file: "services/mqtt.yaml",
    from: "port: 1883",
    to: "port: 1884",
    files: { "worker-01": ["/etc/mosquitto/mosquitto.conf"] },
    restarts: { "worker-01": ["mosquitto.service"] },
    check: { node: "worker-01", path: "/etc/mosquitto/mosquitto.conf", says: /^listener 1884\b/m },
  },
  {
    name: "Kafka log retention 168 h -> 72 h",
    file: "services/kafka.yaml",
    from: "logRetentionHours: 168",
    to: "logRetentionHours: 72",
    files: { "kafka-01": ["/etc/kafka/server.properties"] },
    restarts: { "kafka-01": ["kafka.service"] },
    check: { node: "kafka-01", path: "/etc/kafka/server.properties", says: /^log\.retention\.hours=72$/m },
  },
];

const bootArgs = (m: Machine, config: string) => [
  "boot",
  "--config",
  config,
  "--root",
  m.root,
  "--facts",
  m.facts,
  "--activate",
];

for (const edit of EDITS) {
  Deno.test(`a changed setting (${edit.name}) changes exactly its files and restarts exactly its daemons`, async () => {
    await using dir = await tempDir();
    const config = `${dir.path}/config`;
    await copyTree(EXAMPLE_CONFIG, config);
    const machines = new Map<string, Machine>();
    for (const node of NODES) {
      await Deno.mkdir(`${dir.path}/${node.name}`);
      const m = await machine(`${dir.path}/${node.name}`, node.mac);
      const first = await clusterboot(bootArgs(m, config), { env: m.env });
      assert.equal(first.code, 0, first.stderr);
      // systemd started the targets' daemons: every unit a file of this node restarts is running now.
      const running = new Set(planNode(example, node.name).entries.flatMap((e) => e.restarts ?? []));
      await Deno.writeTextFile(m.env.SYSTEMCTL_STATE, [...running].map((u) => `${u}\n`).join(""), { append: true });
      machines.set(node.name, m);
    }

    const text = await Deno.readTextFile(`${config}/${edit.file}`);
    assert.ok(text.includes(edit.from), `${edit.file} has "${edit.from}"`);
    await Deno.writeTextFile(`${config}/${edit.file}`, text.replace(edit.from, edit.to));

    let files = 0;
    let expectedFiles = 0;
    const restarted: string[] = [];
    for (const node of NODES) {
      const m = machines.get(node.name)!;
      const before = await snapshot(m.root);
      const callsBefore = (await m.calls()).length;
      const again = await clusterboot(bootArgs(m, config), { env: m.env });
      assert.equal(again.code, 0, again.stderr);
      const changed = touched(before, await snapshot(m.root));
      const expected = [
        `${CONFIG_COPY}/${edit.file}`,
        `${CONFIG_COPY}/compiled.json`,
        ...(edit.files[node.name] ?? []),
      ];
      assert.deepEqual(changed, expected.sort(), `${node.name}: files changed`);
      files += changed.length;
      expectedFiles += expected.length;

      // systemctl: the states asked, then a try-restart of exactly the affected daemons; nothing started.
      const calls = (await m.calls()).slice(callsBefore);
      const restarts = edit.restarts[node.name] ?? [];
      assert.match(calls[0], /^is-active /, `${node.name}: ${calls.join("; ")}`);
      assert.deepEqual(calls.slice(1), restarts.length ? [`try-restart --no-block ${restarts.join(" ")}`] : []);
      restarted.push(...restarts.map((u) => `${u} on ${node.name}`));
    }
    const { node, path, says } = edit.check;
    assert.match(await Deno.readTextFile(`${machines.get(node)!.root}${path}`), says);
    console.log(
      `idempotence: ${edit.name} on ${NODES.length} nodes: ${files} files changed (${expectedFiles} expected), try-restart ${
        restarted.join(", ")
      }, 0 starts`,
    );
  });
}
