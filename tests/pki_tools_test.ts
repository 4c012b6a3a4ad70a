/**
 * The PKI checked by the tools that use it: openssl for chains, names, expiry and a TLS handshake; ceph-authtool
 * for keyrings; a real Mosquitto for the password file; a three-member etcd cluster on loopback for the etcd
 * certificates.
 */
import assert from "node:assert/strict";
import { clusterboot, tempDir } from "./support/cli.ts";
import { freePort, runCommand, startDaemon, waitForPort } from "./support/process.ts";
import { loadConfig } from "../src/config/load.ts";
import { catalogue } from "../src/pki/catalogue.ts";

const TRIO = new URL("./fixtures/clusters/trio", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "clusterboot-pki-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const secrets = `${work}/secrets`;
const init = await clusterboot(["pki", "init", "--config", TRIO, "--out", secrets]);
if (init.code !== 0) throw new Error(`pki init failed: ${init.stderr}`);
const { config } = await loadConfig(TRIO, { full: true });
const items = catalogue(config);
const s = (item: string, file: string) => `${secrets}/${item}/${file}`;

async function openssl(...args: string[]) {
  return await runCommand(["openssl", ...args]);
}

Deno.test("openssl verifies every certificate against its CA, for its purpose, names and addresses", async () => {
  let checked = 0;
  for (const item of items) {
    if (item.kind !== "cert" && item.kind !== "kubeconfig") continue;
    const purposes = item.spec.usage === "peer" ? ["sslserver", "sslclient"] : [`ssl${item.spec.usage}`];
    for (const purpose of purposes) {
      const args = ["verify", "-CAfile", s(item.issuer, "ca.crt"), "-purpose", purpose];
      const result = await openssl(...args, s(item.name, "tls.crt"));
      assert.equal(result.code, 0, `${item.name} ${purpose}: ${result.stdout}${result.stderr}`);
      checked++;
    }
    for (const ip of item.spec.ips ?? []) {
      const result = await openssl(
        "verify",
        "-CAfile",
        s(item.issuer, "ca.crt"),
        "-verify_ip",
        ip,
        s(item.name, "tls.crt"),
      );
      assert.equal(result.code, 0, `${item.name} for ${ip}: ${result.stderr}`);
    }
    for (const host of item.spec.dns ?? []) {
      const result = await openssl(
        "verify",
        "-CAfile",
        s(item.issuer, "ca.crt"),
        "-verify_hostname",
        host,
        s(item.name, "tls.crt"),
      );
      assert.equal(result.code, 0, `${item.name} for ${host}: ${result.stderr}`);
    }
    // The key belongs to the certificate: the same public key from both.
    const fromCert = await openssl("x509", "-in", s(item.name, "tls.crt"), "-noout", "-pubkey");
    const fromKey = await openssl("pkey", "-in", s(item.name, "tls.key"), "-pubout");
    assert.equal(fromKey.stdout, fromCert.stdout, item.name);
  }
  assert.ok(checked > 20, `only ${checked} checks ran`);
  // And a name the certificate does not carry is refused (the checks above can fail).
  const wrong = await openssl(
    "verify",
    "-CAfile",
    s("kubernetes-ca", "ca.crt"),
    "-verify_ip",
    "10.30.0.99",
    s("apiserver", "tls.crt"),
  );
  assert.notEqual(wrong.code, 0);
  const wrongCa = await openssl("verify", "-CAfile", s("etcd-ca", "ca.crt"), s("apiserver", "tls.crt"));
  assert.notEqual(wrongCa.code, 0);
});

Deno.test("openssl -checkend: leaves last a year, CAs ten years", async () => {
  const day = 86_400;
  const ends = async (file: string, days: number) =>
    (await openssl("x509", "-in", file, "-noout", "-checkend", String(days * day))).code;
  assert.equal(await ends(s("apiserver", "tls.crt"), 363), 0);
  assert.equal(await ends(s("apiserver", "tls.crt"), 366), 1);
  assert.equal(await ends(s("kubernetes-ca", "ca.crt"), 3648), 0);
  assert.equal(await ends(s("kubernetes-ca", "ca.crt"), 3651), 1);
});

Deno.test("a TLS handshake between openssl s_server and s_client with issued certificates, client certs required", async () => {
  const port = freePort();
  await using server = startDaemon([
    "openssl",
    "s_server",
    "-accept",
    `127.0.0.1:${port}`,
    "-cert",
    s("apiserver", "tls.crt"),
    "-key",
    s("apiserver", "tls.key"),
    "-CAfile",
    s("kubernetes-ca", "ca.crt"),
    "-Verify",
    "1",
    "-verify_return_error",
    "-www",
  ]);
  await waitForPort(port, 10_000, server);
  const client = (...extra: string[]) =>
    runCommand([
      "openssl",
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-CAfile",
      s("kubernetes-ca", "ca.crt"),
      "-verify_return_error",
      "-verify_ip",
      "127.0.0.1",
      // Wait for the server's answer after our request; without it s_client hangs up first.
      "-ign_eof",
      ...extra,
    ], { stdin: "GET / HTTP/1.0\r\n\r\n" });
  const good = await client("-cert", s("admin", "tls.crt"), "-key", s("admin", "tls.key"));
  assert.match(good.stdout, /HTTP\/1\.0 200 ok/, good.stdout + good.stderr);
  assert.match(good.stdout, /Verification: OK/);
  const noCert = await client();
  assert.doesNotMatch(noCert.stdout, /HTTP\/1\.0 200 ok/);
  // A client certificate from another CA (etcd's) is refused by the API server's CA.
  const foreign = await client(
    "-cert",
    s("apiserver-etcd-client", "tls.crt"),
    "-key",
    s("apiserver-etcd-client", "tls.key"),
  );
  assert.doesNotMatch(foreign.stdout, /HTTP\/1\.0 200 ok/);
});

Deno.test("ceph-authtool reads our keyrings, entities, keys and caps", async () => {
  const list = await runCommand(["ceph-authtool", "-l", s("ceph-admin", "keyring")]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /\[client\.admin\]/);
  assert.match(list.stdout, /caps osd = "allow \*"/);
  for (
    const [item, entity] of [["ceph-admin", "client.admin"], ["ceph-mon", "mon."], [
      "ceph-bootstrap-osd",
      "client.bootstrap-osd",
    ]]
  ) {
    const key = await runCommand(["ceph-authtool", "--print-key", "-n", entity, s(item, "keyring")]);
    assert.equal(key.code, 0, key.stderr);
    assert.equal(key.stdout.trim(), (await Deno.readTextFile(s(item, "key"))).trim());
  }
  // The monitor's mkfs keyring, as boot installs it: both entities in one file.
  const mon = `${work}/ceph.mon.keyring`;
  await Deno.writeTextFile(
    mon,
    (await Deno.readTextFile(s("ceph-mon", "keyring"))) + (await Deno.readTextFile(s("ceph-admin", "keyring"))),
  );
  const both = await runCommand(["ceph-authtool", "-l", mon]);
  assert.match(both.stdout, /\[mon\.\][\s\S]*\[client\.admin\]/);
  // A key that is only random bytes is refused by the same tool (so acceptance above means something).
  const bogus = `${work}/bogus.keyring`;
  await Deno.writeTextFile(bogus, `[client.x]\n\tkey = ${btoa("0123456789abcdef")}\n`);
  assert.notEqual((await runCommand(["ceph-authtool", "--print-key", "-n", "client.x", bogus])).code, 0);
});

Deno.test("a real mosquitto accepts our password file: the right password in, a wrong one out", async () => {
  await using dir = await tempDir();
  await Deno.chmod(dir.path, 0o755);
  const passwd = `${dir.path}/passwd`;
  await Deno.copyFile(s("mqtt-passwd", "passwd"), passwd);
  // mosquitto drops to its own user before reading the file (FACTS.md): it must own it.
  const { code: idCode, stdout } = await runCommand(["id", "-u", "mosquitto"]);
  assert.equal(idCode, 0, "the mosquitto user exists (Debian's mosquitto package)");
  await Deno.chown(passwd, Number(stdout.trim()), null);
  await Deno.chmod(passwd, 0o600);
  const port = freePort();
  await Deno.writeTextFile(
    `${dir.path}/mosquitto.conf`,
    `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${passwd}\nlog_dest stderr\n`,
  );
  await using broker = startDaemon(["mosquitto", "-c", `${dir.path}/mosquitto.conf`]);
  await waitForPort(port, 10_000, broker);
  const password = (await Deno.readTextFile(s("mqtt-user-sensors", "password"))).trim();
  const publish = (user: string, pass: string) =>
    runCommand([
      "mosquitto_pub",
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-u",
      user,
      "-P",
      pass,
      "-t",
      "sensors/t",
      "-m",
      "21.5",
    ]);
  const right = await publish("sensors", password);
  assert.equal(right.code, 0, right.stderr + broker.output());
  const wrong = await publish("sensors", password + "x");
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /not authori[sz]ed/i);
  const other = await publish("dashboard", password);
  assert.notEqual(other.code, 0, "one user's password does not open another's account");
});

Deno.test("three etcd members on loopback form a cluster with our server, peer and client certificates", async () => {
  const masters = ["master-1", "master-2", "master-3"];
  const ports = masters.map(() => ({ client: freePort(), peer: freePort() }));
  const cluster = masters.map((m, i) => `${m}=https://127.0.0.1:${ports[i].peer}`).join(",");
  const members = masters.map((m, i) =>
    startDaemon([
      "etcd",
      "--name",
      m,
      "--data-dir",
      `${work}/etcd-${m}`,
      "--listen-client-urls",
      `https://127.0.0.1:${ports[i].client}`,
      "--advertise-client-urls",
      `https://127.0.0.1:${ports[i].client}`,
      "--listen-peer-urls",
      `https://127.0.0.1:${ports[i].peer}`,
      "--initial-advertise-peer-urls",
      `https://127.0.0.1:${ports[i].peer}`,
      "--initial-cluster",
      cluster,
      "--initial-cluster-state",
      "new",
      "--initial-cluster-token",
      "trio",
      "--cert-file",
      s(`etcd-server-${m}`, "tls.crt"),
      "--key-file",
      s(`etcd-server-${m}`, "tls.key"),
      "--trusted-ca-file",
      s("etcd-ca", "ca.crt"),
      "--client-cert-auth",
      "--peer-cert-file",
      s(`etcd-peer-${m}`, "tls.crt"),
      "--peer-key-file",
      s(`etcd-peer-${m}`, "tls.key"),
      "--peer-trusted-ca-file",
      s("etcd-ca", "ca.crt"),
      "--peer-client-cert-auth",
      "--logger",
      "zap",
      "--log-outputs",
      "stderr",
    ])
  );
  try {
    const etcdctl = (i: number, ...args: string[]) =>
      runCommand(["etcdctl", ...args], {
        env: {
          ETCDCTL_API: "3",
          ETCDCTL_ENDPOINTS: `https://127.0.0.1:${ports[i].client}`,
          ETCDCTL_CACERT: s("etcd-ca", "ca.crt"),
          ETCDCTL_CERT: s("apiserver-etcd-client", "tls.crt"),
          ETCDCTL_KEY: s("apiserver-etcd-client", "tls.key"),
          ETCDCTL_DIAL_TIMEOUT: "3s",
        },
      });
    const deadline = Date.now() + 30_000;
    let health = await etcdctl(0, "endpoint", "health");
    while (health.code !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      health = await etcdctl(0, "endpoint", "health");
    }
    assert.equal(health.code, 0, health.stderr + members.map((m) => m.output()).join("\n"));
    const put = await etcdctl(0, "put", "/clusterboot/test", "written-on-master-1");
    assert.equal(put.code, 0, put.stderr);
    const get = await etcdctl(2, "get", "/clusterboot/test", "--print-value-only");
    assert.equal(get.stdout.trim(), "written-on-master-1");
    const list = await etcdctl(1, "member", "list");
    assert.equal(list.stdout.trim().split("\n").length, 3, list.stdout);
    // Without a client certificate, the members refuse the client.
    const anonymous = await runCommand(["etcdctl", "get", "/clusterboot/test"], {
      env: {
        ETCDCTL_API: "3",
        ETCDCTL_ENDPOINTS: `https://127.0.0.1:${ports[1].client}`,
        ETCDCTL_CACERT: s("etcd-ca", "ca.crt"),
        ETCDCTL_DIAL_TIMEOUT: "2s",
      },
    });
    assert.notEqual(anonymous.code, 0);
  } finally {
    await Promise.all(members.map((m) => m.stop()));
  }
});
