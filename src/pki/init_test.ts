import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/model.ts";
import { initPki, rotateItem } from "./init.ts";
import { SecretStore } from "./store.ts";
import { assess } from "./assess.ts";
import { catalogue } from "./catalogue.ts";
import { UsageError } from "../errors.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

async function withStore(test: (store: SecretStore, config: Config) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const { config } = await loadConfig(EXAMPLE, { full: true });
    await test(new SecretStore(`${dir}/secrets`), config);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function snapshot(store: SecretStore): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of store.items()) {
    for (const e of Deno.readDirSync(`${store.dir}/${item}`)) {
      out.set(`${item}/${e.name}`, new TextDecoder().decode(store.read(item, e.name)));
    }
  }
  return out;
}

Deno.test("init makes every item once; a second init keeps every byte", () =>
  withStore(async (store, config) => {
    const first = await initPki(config, store);
    assert.ok(first.every((e) => e.action === "created"), JSON.stringify(first.filter((e) => e.action !== "created")));
    assert.equal(first.length, catalogue(config).length);
    const before = snapshot(store);
    const second = await initPki(config, store);
    assert.ok(second.every((e) => e.action === "kept"));
    assert.deepEqual(snapshot(store), before);
  }));

Deno.test("secrets are 0600 in 0700 directories", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    assert.equal(Deno.statSync(store.dir).mode! & 0o777, 0o700);
    for (const item of store.items()) {
      assert.equal(Deno.statSync(`${store.dir}/${item}`).mode! & 0o777, 0o700, item);
      for (const e of Deno.readDirSync(`${store.dir}/${item}`)) {
        assert.equal(Deno.statSync(`${store.dir}/${item}/${e.name}`).mode! & 0o777, 0o600, `${item}/${e.name}`);
      }
    }
  }));

Deno.test("a missing item is added; the others are kept", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    const ca = store.read("kubernetes-ca", "ca.crt");
    await Deno.remove(`${store.dir}/kubelet-worker-02`, { recursive: true });
    const report = await initPki(config, store);
    assert.deepEqual(report.filter((e) => e.action !== "kept").map((e) => `${e.action} ${e.item}`), [
      "created kubelet-worker-02",
    ]);
    assert.deepEqual(store.read("kubernetes-ca", "ca.crt"), ca);
  }));

Deno.test("a certificate no longer right for the config is reported, not replaced", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    const cert = store.read("apiserver", "tls.crt");
    // A second master joins: the API server's certificate lacks its name and address.
    const grown = structuredClone(config);
    grown.cluster.nodes.push({
      ...grown.cluster.nodes[1],
      name: "master-02",
      hostname: "master-02",
      ip: "10.20.0.12",
      mac: "52:54:00:20:00:12",
      roles: ["master"],
    });
    grown.cluster.nodes.push({
      ...grown.cluster.nodes[1],
      name: "master-03",
      hostname: "master-03",
      ip: "10.20.0.13",
      mac: "52:54:00:20:00:13",
      roles: ["master"],
    });
    grown.nodes["master-02"] = grown.nodes["master-03"] = { apiVersion: "clusterboot/v1" };
    const report = await initPki(grown, store);
    const apiserver = report.find((e) => e.item === "apiserver")!;
    assert.equal(apiserver.action, "needs-rotation");
    assert.match(apiserver.reasons.join(), /10\.20\.0\.12/);
    assert.deepEqual(store.read("apiserver", "tls.crt"), cert, "not silently replaced");
    assert.ok(report.some((e) => e.item === "etcd-server-master-02" && e.action === "created"));

    // rotate renews it for the new config, signed by the same CA.
    const ca = store.read("kubernetes-ca", "ca.crt");
    assert.deepEqual(await rotateItem(grown, store, "apiserver"), ["apiserver"]);
    assert.deepEqual(store.read("kubernetes-ca", "ca.crt"), ca);
    const item = catalogue(grown).find((i) => i.name === "apiserver")!;
    assert.equal((await assess(item, store)).status, "ok");
  }));

Deno.test("rotating a kubeconfig renews its certificate and the kubeconfig that embeds it", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    const before = [store.readText("admin", "tls.crt"), store.readText("admin", "kubeconfig")];
    await rotateItem(config, store, "admin");
    const after = [store.readText("admin", "tls.crt"), store.readText("admin", "kubeconfig")];
    assert.notEqual(after[0], before[0]);
    assert.notEqual(after[1], before[1]);
    const certB64 = after[1]!.match(/client-certificate-data: "([^"]+)"/)![1];
    assert.equal(atob(certB64), after[0]);
  }));

Deno.test("rotating a user's password rewrites the Mosquitto password file", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    const before = store.readText("mqtt-passwd", "passwd")!.split("\n");
    assert.deepEqual(await rotateItem(config, store, "mqtt-user-sensors"), ["mqtt-user-sensors", "mqtt-passwd"]);
    const after = store.readText("mqtt-passwd", "passwd")!.split("\n");
    assert.notEqual(after[0], before[0], "sensors has a new line");
    assert.equal(after[1], before[1], "dashboard keeps its line");
  }));

Deno.test("CAs and keys that data depends on are not rotated", () =>
  withStore(async (store, config) => {
    await initPki(config, store);
    for (const name of ["kubernetes-ca", "ceph-fsid", "ceph-admin", "service-account", "kafka-cluster-id"]) {
      await assert.rejects(() => rotateItem(config, store, name), UsageError, name);
    }
    await assert.rejects(
      () => rotateItem(config, store, "apiservr"),
      (e: unknown) => e instanceof UsageError && e.hint === 'did you mean "apiserver"?',
    );
  }));
