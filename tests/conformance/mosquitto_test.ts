/**
 * Mosquitto from our rendered configuration: the three brokers of the three-of-each cluster, bridged (two to the
 * first), with our password file, ACL and TLS listener, each started as mosquitto.service would start it.
 * An authorised client publishes on one broker and another receives on a different one; a wrong password, a
 * topic outside the user's ACL and an unverified TLS peer are refused.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { prepareCluster } from "../support/cluster.ts";
import { virtualNetwork } from "../support/netns.ts";
import { nodeSandbox } from "../support/node_sandbox.ts";
import { type Daemon, runCommand, startDaemon } from "../support/process.ts";
import { startUnit } from "../support/unit_runner.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TRIO = `${ROOT}tests/fixtures/clusters/trio`;
const BROKERS = ["node-1", "node-2", "node-3"];

Deno.test("mosquitto: bridged brokers from our config deliver across nodes; bad passwords and ACLs are refused", async () => {
  const { config } = await loadConfig(TRIO, { full: true });
  const work = await Deno.makeTempDir({ prefix: "clusterboot-mqtt-" });
  const running: Daemon[] = [];
  try {
    const cluster = await prepareCluster(TRIO, work, BROKERS);
    await using network = await virtualNetwork(config.cluster.nodes.filter((n) => BROKERS.includes(n.name)));
    await using sandboxes = new AsyncDisposableStack();
    const nodes = Object.fromEntries(
      await Promise.all(
        BROKERS.map(async (
          b,
        ) => [b, sandboxes.use(await nodeSandbox(network, b, cluster.roots[b], `${work}/state/${b}`))]),
      ),
    );
    sandboxes.defer(() => Promise.all(running.map((d) => d.stop())).then(() => {}));
    running.push(...await Promise.all(BROKERS.map((b) => startUnit(nodes[b], "mosquitto.service"))));

    const ip = (b: string) => config.cluster.nodes.find((n) => n.name === b)!.ip;
    const password = async (user: string) =>
      (await Deno.readTextFile(`${cluster.secrets}/mqtt-user-${user}/password`)).trim();
    const sensors = await password("sensors");
    const dashboard = await password("dashboard");
    const ca = `${cluster.roots["node-1"]}/etc/mosquitto/tls/ca.crt`;

    // Wait for the brokers and the two bridges to the hub.
    const ready = async (b: string) => {
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        const probe = await runCommand(nodes[b].client([
          "mosquitto_pub",
          "-h",
          ip(b),
          "-u",
          "sensors",
          "-P",
          sensors,
          "-t",
          "sensors/probe",
          "-m",
          "x",
        ]));
        if (probe.code === 0) return;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(`${b} does not accept clients`);
    };
    await Promise.all(BROKERS.map(ready));
    await new Promise((r) => setTimeout(r, 2000));

    /** Subscribes on `b` as `user`, collecting messages until stopped. */
    const subscribe = (b: string, user: string, pass: string, topic: string, extra: string[] = []) =>
      startDaemon(nodes[b].client([
        "mosquitto_sub",
        "-h",
        ip(b),
        "-u",
        user,
        "-P",
        pass,
        "-t",
        topic,
        "-v",
        ...extra,
      ]));
    const publish = (b: string, user: string, pass: string, topic: string, message: string, extra: string[] = []) =>
      runCommand(nodes[b].client([
        "mosquitto_pub",
        "-h",
        ip(b),
        "-u",
        user,
        "-P",
        pass,
        "-t",
        topic,
        "-m",
        message,
        "-q",
        "1",
        ...extra,
      ]));

    // sensors publishes on node-2 (a spoke); dashboard, subscribed on node-3 (the other spoke), receives it through
    // the hub; sensors itself, subscribed on the hub over TLS, sees it too.
    const onNode3 = subscribe("node-3", "dashboard", dashboard, "sensors/#");
    const onHubTls = subscribe("node-1", "sensors", sensors, "sensors/#", ["-p", "8883", "--cafile", ca]);
    const until = async (what: string, test: () => boolean, timeoutMs = 30_000, tick?: () => Promise<unknown>) => {
      const deadline = Date.now() + timeoutMs;
      while (!test()) {
        if (Date.now() > deadline) {
          throw new Error(`${what} did not happen:\n${onNode3.output()}\n${onHubTls.output()}`);
        }
        await tick?.();
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    // Both bridges are up once a probe from one spoke reaches the other.
    let probe = 0;
    await until(
      "a probe crossing the bridges",
      () => /sensors\/probe/.test(onNode3.output()),
      30_000,
      () => publish("node-2", "sensors", sensors, "sensors/probe", `${probe++}`),
    );
    const sent = await publish("node-2", "sensors", sensors, "sensors/temperature", "21.5");
    assert.equal(sent.code, 0, sent.stderr);
    // dashboard may only read sensors/#: its publish there is dropped by the broker.
    assert.equal((await publish("node-3", "dashboard", dashboard, "sensors/forged", "99")).code, 0);
    await until("delivery on node-3", () => /^sensors\/temperature 21\.5$/m.test(onNode3.output()));
    await until("delivery on the hub over TLS", () => /^sensors\/temperature 21\.5$/m.test(onHubTls.output()));
    // The forged message was published before a second one that is allowed; once that one arrived, the forged one
    // would have too.
    assert.equal((await publish("node-3", "sensors", sensors, "sensors/after", "1")).code, 0);
    await until("a later message", () => /sensors\/after/.test(onHubTls.output()));
    await onNode3.stop();
    await onHubTls.stop();
    assert.doesNotMatch(onHubTls.output() + onNode3.output(), /sensors\/forged/);

    const wrong = await publish("node-1", "sensors", sensors + "x", "sensors/t", "1");
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /not authori[sz]ed/i);
    // TLS: a client that does not know our CA refuses the broker.
    const untrusted = await runCommand(nodes["node-1"].client([
      "mosquitto_pub",
      "-h",
      ip("node-1"),
      "-p",
      "8883",
      "--cafile",
      "/etc/ssl/certs/ca-certificates.crt",
      "-u",
      "sensors",
      "-P",
      sensors,
      "-t",
      "sensors/t",
      "-m",
      "1",
    ]));
    assert.notEqual(untrusted.code, 0);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});
