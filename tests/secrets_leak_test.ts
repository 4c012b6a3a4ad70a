/**
 * Secrets never leak: the main commands run against the example cluster and a variant that makes every kind of
 * secret (Kafka TLS and SCRAM users, MQTT TLS and bridges), with and without --json, and everything they print
 * (stdout and stderr), every file they write that the plan does not mark secret (the env files among them) and every
 * plan is searched for key material: PEM private key blocks, the base64 of every secret file of the secrets
 * directory, and the values inside them (key bodies, cephx keys, tokens, passwords, password hashes, embedded
 * client keys). Secret files must also be installed with the mode and owner the plan gives them (0600, the daemon's
 * user), and the secrets directory must be 0700 directories of 0600 files.
 *
 * @module
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { clusterboot, copyTree, EXAMPLE_CONFIG, listTree, type RunResult } from "./support/cli.ts";
import { DAEMON_NAMES } from "../src/services/roles.ts";

/** The daemons' users, as a Debian image with their packages has them; the ids are this test's own. */
const USERS: Record<string, number> = { root: 0, etcd: 901, ceph: 902, mosquitto: 903, kafka: 904, coredns: 905 };

/** Files of the secrets directory that are public: certificates, public keys, and cluster ids rendered into configs. */
const PUBLIC = /(\.crt|\/pub\.pem|^ceph-fsid\/value|^kafka-cluster-id\/value)$/;

/** A PEM private key block, of any kind. */
const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Needles shorter than this would match by chance. */
const MIN_NEEDLE = 12;

const work = await Deno.makeTempDir({ prefix: "clusterboot-leak-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

/** Everything scanned, by a label saying where it came from. */
const scanned = new Map<string, string>();
let runs = 0;

async function run(args: string[]): Promise<RunResult> {
  const result = await clusterboot(args);
  runs++;
  scanned.set(`${args.join(" ")} #${runs} stdout`, result.stdout);
  scanned.set(`${args.join(" ")} #${runs} stderr`, result.stderr);
  return result;
}

async function ok(args: string[]): Promise<RunResult> {
  const result = await run(args);
  assert.equal(result.code, 0, `${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The example cluster with every secret-bearing option on. */
async function everythingConfig(dir: string): Promise<string> {
  await copyTree(EXAMPLE_CONFIG, dir);
  const change = async (file: string, from: string, to: string) => {
    const text = await Deno.readTextFile(`${dir}/${file}`);
    assert.ok(text.includes(from), `${file} has no ${from}`);
    await Deno.writeTextFile(`${dir}/${file}`, text.replace(from, to));
  };
  await change(
    "services/kafka.yaml",
    "logRetentionHours: 168\n",
    "logRetentionHours: 168\ntls: true\nscramUsers: [app, metrics]\n",
  );
  await change("services/mqtt.yaml", "port: 1883\n", "port: 1883\ntlsPort: 8883\nbridges: true\n");
  await change(
    "cluster.yaml",
    "roles: [worker, ceph-mon, ceph-osd]",
    "roles: [worker, ceph-mon, ceph-osd, mqtt-broker]",
  );
  return dir;
}

async function scratchRoot(root: string): Promise<string> {
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  const users = Object.entries(USERS);
  await Deno.writeTextFile(
    `${root}/etc/passwd`,
    users.map(([u, id]) => `${u}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`).join("\n") + "\n",
  );
  await Deno.writeTextFile(`${root}/etc/group`, users.map(([u, id]) => `${u}:x:${id}:`).join("\n") + "\n");
  return root;
}

/** Every file of the secrets directory, by `<item>/<file>`. */
async function secretFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const path of await listTree(dir)) files.set(path.slice(1), await Deno.readFile(`${dir}${path}`));
  return files;
}

/** Standard base64 of `bytes`. */
function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** What to look for of one secret file: its bytes in base64, and the secret values inside it. */
function needlesOf(name: string, bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes);
  const needles = [encodeBase64(bytes)];
  if (PEM_PRIVATE.test(text) || text.includes("-----BEGIN")) {
    // A key's body, line by line and as one piece: a printed key would show either.
    const body = text.split("\n").filter((line) => line && !line.startsWith("-----"));
    needles.push(...body, body.join(""));
  }
  for (const match of text.matchAll(/client-key-data: (\S+)|token: (\S+)|key = (\S+)/g)) {
    needles.push(match[1] ?? match[2] ?? match[3]);
  }
  if (name.endsWith("/passwd")) {
    for (const line of text.split("\n")) if (line.includes(":")) needles.push(line.slice(line.indexOf(":") + 1));
  }
  const value = text.trim();
  if (!value.includes("\n") && value.length < 200) {
    needles.push(value);
    // A bootstrap token is id.secret: the secret half alone must not show either.
    if (/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(value)) needles.push(value.split(".")[1]);
  }
  return [...new Set(needles.filter((n) => n.length >= MIN_NEEDLE))];
}

interface PlanEntry {
  path: string;
  kind: string;
  mode?: string;
  owner?: string;
  group?: string;
  secret?: boolean;
  restarts?: string[];
}

const parseJson = <T>(result: RunResult): T => JSON.parse(result.stdout) as T;

/** Facts of a machine with the node's MAC, for detect to decide by evidence rather than by --node. */
async function factsFor(dir: string, config: string, node: string): Promise<string> {
  const cluster = parse(await Deno.readTextFile(`${config}/cluster.yaml`)) as {
    nodes: { name: string; mac: string; hostname: string }[];
  };
  const entry = cluster.nodes.find((n) => n.name === node)!;
  const path = `${dir}/facts-${node}.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ cmdline: "quiet", interfaces: [{ name: "eth0", mac: entry.mac, addresses: [] }] }),
  );
  return path;
}

/** A fresh PKCS#8 EC private key in PEM, to put in place of a key file. */
async function newKeyPem(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const body = encodeBase64(der).match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}

interface Installed {
  root: string;
  entries: PlanEntry[];
}

interface Exercised {
  secrets: string;
  /** The secret files as pki init made them, before the edits. */
  initial: Map<string, Uint8Array>;
  installed: Installed[];
}

/** Runs every command for one configuration; returns the roots booted and their plans. */
async function exercise(name: string, config: string): Promise<Exercised> {
  const base = `${work}/${name}`;
  await Deno.mkdir(base, { recursive: true });
  const secrets = `${base}/secrets`;
  await ok(["pki", "init", "--config", config, "--out", secrets]);
  const initial = await secretFiles(secrets);
  await ok(["pki", "init", "--config", config, "--out", secrets, "--json"]);
  await ok(["pki", "check", "--config", config, "--secrets", secrets]);
  await ok(["pki", "check", "--config", config, "--secrets", secrets, "--json"]);
  await ok(["validate", "--config", config]);
  await ok(["validate", "--config", config, "--json"]);

  const nodes = (parse(await Deno.readTextFile(`${config}/cluster.yaml`)) as { nodes: { name: string }[] }).nodes;
  const installed: Installed[] = [];
  for (const { name: node } of nodes) {
    const root = await scratchRoot(`${base}/root-${node}`);
    const at = ["--config", config, "--secrets", secrets, "--root", root, "--node", node];
    const facts = await factsFor(base, config, node);
    await ok(["detect", "--explain", "--config", config, "--facts", facts]);
    await ok(["detect", "--explain", "--json", "--config", config, "--facts", facts]);
    await ok(["plan", ...at]);
    await ok(["plan", ...at, "--diff"]);
    await ok(["boot", ...at, "--no-activate", "--dry-run"]);
    await ok(["boot", ...at, "--no-activate"]);
    const plan = parseJson<{ entries: PlanEntry[] }>(await ok(["plan", ...at, "--json", "--all"]));
    await ok(["plan", ...at, "--diff", "--all"]);
    // status reads units and certificates; it exits 1 when a unit is not running, which is the case here.
    await run(["status", "--root", root, "--config", config, "--secrets", secrets, "--node", node]);
    await run(["status", "--root", root, "--config", config, "--secrets", secrets, "--node", node, "--json"]);
    await ok(["analyze", "--root", root]);
    await ok(["analyze", "--root", root, "--json"]);
    // Every daemon clusterboot renders for (ceph-osd@0 is the ceph-osd daemon's instance 0).
    const units = new Set(plan.entries.flatMap((e) => e.restarts ?? []).map((u) => u.replace(/\.service$/, "")));
    const daemons = [...units].filter((u) => (DAEMON_NAMES as readonly string[]).includes(u.split("@")[0]));
    assert.ok(daemons.length > 0, `${node} has no daemon to render`);
    for (const daemon of daemons) await ok(["render", "--service", daemon, "--root", root]);
    installed.push({ root, entries: plan.entries });
  }

  // Edit secret files the master installs, then look at the change as an operator would, and apply it.
  const master = installed[0];
  await Deno.writeTextFile(`${secrets}/apiserver/tls.key`, await newKeyPem());
  await Deno.writeTextFile(`${secrets}/bootstrap-token/token`, "abcdef.0123456789abcdef\n");
  const at = ["--config", config, "--secrets", secrets, "--root", master.root, "--node", nodes[0].name];
  const diff = await ok(["plan", ...at, "--diff"]);
  assert.match(diff.stdout, /apiserver\.key\n.*secret: content differ; content not shown/);
  await ok(["plan", ...at, "--diff", "--json"]);
  await ok(["boot", ...at, "--no-activate"]);
  // The edited key no longer matches its certificate: check says so (exit 1), without showing either.
  await run(["pki", "check", "--config", config, "--secrets", secrets, "--json"]);
  return { secrets, initial, installed };
}

const configs = {
  example: EXAMPLE_CONFIG,
  everything: await everythingConfig(`${work}/everything-config`),
};

/** Both tests look at the same runs, made once. */
let exercised: Promise<Exercised[]> | undefined;
const exerciseAll = () =>
  exercised ??= (async () => {
    const all: Exercised[] = [];
    for (const [name, config] of Object.entries(configs)) all.push(await exercise(name, config));
    return all;
  })();

Deno.test("secrets never appear in what clusterboot prints or in the files it writes that are not secret", async () => {
  const results = await exerciseAll();
  const needles = new Map<string, string>();
  const secretCount = { files: 0 };
  for (const result of results) {
    // The secrets as pki init made them and as they are after the edits: both sets must stay hidden.
    const now = await secretFiles(result.secrets);
    for (const [file, bytes] of [...result.initial, ...now]) {
      if (PUBLIC.test(file)) continue;
      secretCount.files++;
      for (const needle of needlesOf(file, bytes)) needles.set(needle, `${result.secrets}/${file}`);
    }
  }
  // Files written under the roots that the plan does not mark secret: env files, configs, units, records.
  let envFiles = 0;
  for (const { installed } of results) {
    for (const { root, entries } of installed) {
      const secret = new Set(entries.filter((e) => e.secret).map((e) => e.path));
      for (const path of await listTree(root)) {
        if (secret.has(path) || path.startsWith("/etc/passwd") || path.startsWith("/etc/group")) continue;
        // A generation's copy of a file is as secret as the file (kept 0600 in 0700 directories).
        const original = /^\/var\/lib\/clusterboot\/generations\/\d+\/files(\/.+)$/.exec(path)?.[1];
        if (original && secret.has(original)) {
          assert.equal((await Deno.lstat(`${root}${path}`)).mode! & 0o777, 0o600, `${root}${path}`);
          continue;
        }
        const info = await Deno.lstat(`${root}${path}`);
        if (!info.isFile) continue;
        if (path.startsWith("/etc/cluster-config/environment/")) envFiles++;
        scanned.set(`${root}${path}`, await Deno.readTextFile(`${root}${path}`));
      }
    }
  }
  const hits: string[] = [];
  let bytes = 0;
  for (const [where, text] of scanned) {
    bytes += text.length;
    if (PEM_PRIVATE.test(text)) hits.push(`${where}: a PEM private key block`);
    for (const [needle, source] of needles) {
      if (text.includes(needle)) hits.push(`${where}: contains ${source} (${needle.slice(0, 12)}...)`);
    }
  }
  console.log(
    `secrets: ${scanned.size} outputs scanned (${runs} commands' stdout and stderr, ${envFiles} env files, ` +
      `${(bytes / 1e6).toFixed(1)} MB), ${secretCount.files} secret files searched (${needles.size} needles), ` +
      `hits = ${hits.length}`,
  );
  assert.ok(envFiles >= 20 && needles.size > 200 && runs > 100, "the scan has too little to look at");
  assert.deepEqual(hits, []);
});

Deno.test("secret files are installed with the plan's mode and owner, and the secrets directory is closed", async () => {
  let checked = 0;
  for (const { installed } of await exerciseAll()) {
    for (const { root, entries } of installed) {
      for (const e of entries.filter((e) => e.secret)) {
        const info = await Deno.lstat(`${root}${e.path}`);
        assert.ok(info.isFile, `${e.path} is not a file`);
        assert.equal(e.mode, "0600", `${root}: the plan gives secret ${e.path} mode ${e.mode}`);
        assert.equal((info.mode! & 0o7777).toString(8).padStart(4, "0"), e.mode, `${root}: ${e.path}`);
        if (Deno.uid() === 0) {
          const owner = USERS[e.owner ?? "root"];
          assert.notEqual(owner, undefined, `${e.path}: unknown owner ${e.owner}`);
          assert.equal(info.uid, owner, `${root}: ${e.path} is owned by ${info.uid}, not ${e.owner}`);
          assert.equal(info.gid, USERS[e.group ?? "root"], `${root}: ${e.path} has group ${info.gid}, not ${e.group}`);
        }
        checked++;
      }
    }
  }
  let secretDirs = 0;
  let secretFilesChecked = 0;
  for (const { secrets: dir } of await exerciseAll()) {
    const walk = async (path: string) => {
      const info = await Deno.lstat(path);
      if (info.isDirectory) {
        assert.equal(info.mode! & 0o777, 0o700, `${path} is ${(info.mode! & 0o777).toString(8)}`);
        secretDirs++;
        for await (const entry of Deno.readDir(path)) await walk(`${path}/${entry.name}`);
      } else {
        assert.ok(info.isFile, `${path} is not a regular file`);
        assert.equal(info.mode! & 0o777, 0o600, `${path} is ${(info.mode! & 0o777).toString(8)}`);
        assert.equal(info.uid, Deno.uid(), `${path} is not the owner's`);
        secretFilesChecked++;
      }
    };
    await walk(dir);
  }
  console.log(
    `secret modes: ${checked} installed secret files 0600 with their owners; ` +
      `secrets directories: ${secretDirs} directories 0700, ${secretFilesChecked} files 0600`,
  );
  assert.ok(checked > 50 && secretFilesChecked > 100);
});
