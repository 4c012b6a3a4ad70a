/**
 * Kafka from our rendered configuration: three KRaft nodes (brokers and controllers) of the three-of-each cluster,
 * with TLS on every listener from our PKI, each started as kafka.service would start it (its pre-start formats
 * the storage once, with the cluster id of `pki init`). A topic with three replicas is created, a message produced
 * on one node and consumed from another; a node killed and restarted is not reformatted and keeps its data.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { prepareCluster } from "../support/cluster.ts";
import { virtualNetwork } from "../support/netns.ts";
import { nodeSandbox } from "../support/node_sandbox.ts";
import { type Daemon, runCommand } from "../support/process.ts";
import { startUnit } from "../support/unit_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TRIO = `${ROOT}tests/fixtures/clusters/trio`;
const BROKERS = ["node-1", "node-2", "node-3"];

async function kafkaLibs(): Promise<string> {
  const out = await runCommand(["bash", `${ROOT}tools/fetch-kafka.sh`]);
  if (out.code !== 0) throw new Error(`fetching Kafka failed:\n${out.stderr}`);
  return out.stdout.trim().split("\n").at(-1)!;
}

Deno.test("kafka: three KRaft nodes from our config replicate a topic over TLS and survive a restart", async () => {
  const libs = await kafkaLibs();
  const { config } = await loadConfig(TRIO, { full: true });
  const work = await Deno.makeTempDir({ prefix: "clusterboot-kafka-" });
  const running = new Map<string, Daemon>();
  try {
    const cluster = await prepareCluster(TRIO, work, BROKERS);
    for (const b of BROKERS) {
      // The image's /opt/kafka/libs: here the jars fetched from Maven Central, hard-linked (the broker's user cannot
      // follow a link into this machine's cache under /root).
      await Deno.mkdir(`${cluster.roots[b]}/opt/kafka`, { recursive: true });
      const copy = await runCommand(["cp", "-al", libs, `${cluster.roots[b]}/opt/kafka/libs`]);
      assert.equal(copy.code, 0, copy.stderr);
    }
    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => BROKERS.includes(n.name)));
    await using sandboxes = new AsyncDisposableStack();
    const nodes = Object.fromEntries(
      await Promise.all(
        BROKERS.map(async (
          b,
        ) => [b, sandboxes.use(await nodeSandbox(network, b, cluster.roots[b], `${work}/state/${b}`))]),
      ),
    );
    sandboxes.defer(() => Promise.all([...running.values()].map((d) => d.stop())).then(() => {}));
    const start = async (b: string) => running.set(b, await startUnit(nodes[b], "kafka.service"));
    await Promise.all(BROKERS.map(start));

    const ip = (b: string) => config.cluster.nodes.find((n) => n.name === b)!.ip;
    const ca = `${cluster.roots["node-1"]}/etc/kafka/tls/ca.crt`;
    const kcat = (b: string, ...args: string[]) =>
      runCommand(nodes[b].client([
        "kcat",
        "-b",
        `${ip(b)}:9092`,
        "-X",
        "security.protocol=ssl",
        "-X",
        `ssl.ca.location=${ca}`,
        "-X",
        "ssl.endpoint.identification.algorithm=https",
        ...args,
      ]));
    // All three brokers registered, seen over TLS with hostname (IP) verification.
    const deadline = Date.now() + 120_000;
    let metadata = await kcat("node-1", "-L", "-m", "5");
    while (!/3 brokers:/.test(metadata.stdout) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      metadata = await kcat("node-1", "-L", "-m", "5");
    }
    assert.match(
      metadata.stdout,
      /3 brokers:/,
      metadata.stdout + metadata.stderr + running.get("node-1")!.output().slice(-3000),
    );

    // A topic with three replicas, through Kafka's own tool and our TLS settings.
    const clientConfig = `${work}/client.properties`;
    await Deno.writeTextFile(
      clientConfig,
      `security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=${ca}\n`,
    );
    const topic = await runCommand(nodes["node-1"].client([
      "java",
      "-cp",
      `${libs}/*`,
      "org.apache.kafka.tools.TopicCommand",
      "--bootstrap-server",
      `${ip("node-1")}:9092`,
      "--command-config",
      clientConfig,
      "--create",
      "--topic",
      "readings",
      "--partitions",
      "3",
      "--replication-factor",
      "3",
    ]));
    assert.equal(topic.code, 0, topic.stdout + topic.stderr);
    const produced = await runCommand(
      nodes["node-1"].client([
        "kcat",
        "-b",
        `${ip("node-1")}:9092`,
        "-X",
        "security.protocol=ssl",
        "-X",
        `ssl.ca.location=${ca}`,
        "-P",
        "-t",
        "readings",
        "-p",
        "0",
        "-X",
        "acks=all",
      ]),
      { stdin: "21.5\n22.0\n" },
    );
    assert.equal(produced.code, 0, produced.stderr);
    const consume = (b: string) => kcat(b, "-C", "-t", "readings", "-p", "0", "-o", "beginning", "-e", "-q");
    assert.equal((await consume("node-3")).stdout.trim(), "21.5\n22.0");

    // node-2 killed and restarted: its pre-start sees formatted storage and leaves it; its replica has the data.
    const meta = async () =>
      (await runCommand(nodes["node-2"].command(["cat", "/var/lib/kafka/data/meta.properties"]))).stdout;
    const before = await meta();
    assert.match(
      before,
      new RegExp(`cluster.id=${(await Deno.readTextFile(`${work}/secrets/kafka-cluster-id/value`)).trim()}`),
    );
    await running.get("node-2")!.stop();
    await start("node-2");
    assert.equal(await meta(), before, "the storage was not formatted again");
    let again = await consume("node-2");
    const until = Date.now() + 60_000;
    while (again.stdout.trim() !== "21.5\n22.0" && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 2000));
      again = await consume("node-2");
    }
    assert.equal(again.stdout.trim(), "21.5\n22.0");
    const isr = await runCommand(nodes["node-1"].client([
      "java",
      "-cp",
      `${libs}/*`,
      "org.apache.kafka.tools.TopicCommand",
      "--bootstrap-server",
      `${ip("node-1")}:9092`,
      "--command-config",
      clientConfig,
      "--describe",
      "--topic",
      "readings",
    ]));
    assert.match(isr.stdout, /ReplicationFactor: 3/);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
