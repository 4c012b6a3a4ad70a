/**
 * Generations and rollback with the built executable: boot the example cluster's MQTT broker into a scratch root
 * (by its MAC, with its secrets and a stand-in systemctl on PATH), change the configuration, boot again, roll back,
 * and compare whole trees — paths, bytes, modes, owners.
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, clusterboot, copyTree, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";
import { loadConfig } from "../src/config/load.ts";
import { GENERATIONS_DIR } from "../src/plan/paths.ts";

const SUPPORT = new URL("./support/", import.meta.url).pathname;
const example = await loadConfig(EXAMPLE_CONFIG, { full: true });
/** The node whose MQTT settings the tests change: the example's broker. */
const broker = example.config.cluster.nodes.find((n) => n.roles.includes("mqtt-broker"))!;

const work = await Deno.makeTempDir({ prefix: "clusterboot-rollback-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const secrets = `${work}/secrets`;
const init = await clusterboot(["pki", "init", "--config", EXAMPLE_CONFIG, "--out", secrets]);
if (init.code !== 0) throw new Error(init.stderr);

/** The daemons' users, as a Debian image with their packages has them; uids are this test's own. */
const USERS = { etcd: 901, ceph: 902, mosquitto: 903, kafka: 904, coredns: 905 };

interface Machine {
  root: string;
  config: string;
  env: Record<string, string>;
  /** systemctl calls so far, one string each. */
  calls(): Promise<string[]>;
  /** Marks units as running, as systemd would report them. */
  running(...units: string[]): Promise<void>;
}

/** A scratch machine: a copy of the example config, a root with the daemons' users, the stand-in systemctl. */
async function machine(dir: string): Promise<Machine> {
  const root = `${dir}/root`;
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  const users = Object.entries(USERS);
  await Deno.writeTextFile(
    `${root}/etc/passwd`,
    ["root:x:0:0:root:/root:/bin/sh", ...users.map(([u, id]) => `${u}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`)]
      .join("\n") + "\n",
  );
  await Deno.writeTextFile(`${root}/etc/group`, ["root:x:0:", ...users.map(([u, id]) => `${u}:x:${id}:`)].join("\n"));
  const config = `${dir}/config`;
  await copyTree(EXAMPLE_CONFIG, config);
  await Deno.writeTextFile(
    `${dir}/facts.json`,
    JSON.stringify({
      cmdline: "quiet",
      hostname: "debian",
      interfaces: [{ name: "ens3", mac: broker.mac.toUpperCase(), addresses: [] }],
    }),
  );
  const log = `${dir}/systemctl.log`;
  const state = `${dir}/systemctl.state`;
  const env = { PATH: `${SUPPORT}:${Deno.env.get("PATH")}`, SYSTEMCTL_LOG: log, SYSTEMCTL_STATE: state };
  const calls = async () => {
    try {
      return (await Deno.readTextFile(log)).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const running = (...units: string[]) =>
    Deno.writeTextFile(state, units.map((u) => `${u}\n`).join(""), { append: true });
  return { root, config, env, calls, running };
}

const bootArgs = (m: Machine) => [
  "boot",
  "--config",
  m.config,
  "--secrets",
  secrets,
  "--root",
  m.root,
  "--facts",
  `${m.root}/../facts.json`,
  "--activate",
];

async function boot(m: Machine) {
  const result = await clusterboot(bootArgs(m), { env: m.env });
  assert.equal(result.code, 0, result.stderr);
  return result;
}

async function cli(m: Machine, ...args: string[]) {
  return await clusterboot([...args, "--root", m.root], { env: m.env });
}

/** Every file and link under the root except the generations: path → kind, mode, owner and a digest of the bytes. */
async function tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await listTree(root)) {
    // Generations and the boot record are logs of what happened, not the node's files.
    if (path.startsWith(`${GENERATIONS_DIR}/`) || path === BOOT_RECORD) continue;
    const info = await Deno.lstat(`${root}${path}`);
    if (info.isSymlink) {
      out.set(path, `link -> ${await Deno.readLink(`${root}${path}`)}`);
      continue;
    }
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(`${root}${path}`)));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    out.set(path, `${(info.mode! & 0o7777).toString(8)} ${info.uid}:${info.gid} ${hex}`);
  }
  return out;
}

/** The paths whose entries differ between two trees, sorted. */
function differing(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

interface ListedGeneration {
  number: number;
  cause: string;
  node: string;
  config?: string;
  restored?: number;
  entries: { path: string; action: string; before: { kind: string; mode?: string; uid?: number }; units: string[] }[];
  counts: Record<string, number>;
  units: string[];
}

async function generations(m: Machine): Promise<ListedGeneration[]> {
  const result = await cli(m, "generations", "--json");
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).generations;
}

async function editMqttPort(m: Machine) {
  const file = `${m.config}/services/mqtt.yaml`;
  const text = await Deno.readTextFile(file);
  assert.match(text, /^port: 1883$/m);
  await Deno.writeTextFile(file, text.replace(/^port: 1883$/m, "port: 1884"));
}

Deno.test("a changed MQTT port is rolled back byte for byte, restarting only mosquitto; the rollback can be undone", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path);
  await boot(m);
  const first = await tree(m.root);
  await m.running("mosquitto.service", "kubelet.service", "containerd.service");

  await editMqttPort(m);
  const second = await boot(m);
  assert.match(second.stderr, /generation 2 keeps the files as they were/);
  const changed = await tree(m.root);
  const paths = differing(first, changed);
  assert.ok(paths.includes("/etc/mosquitto/mosquitto.conf"), paths.join());

  // Booting the changed configuration again changes nothing, so it records no generation.
  const third = await boot(m);
  assert.doesNotMatch(third.stderr, /generation \d+ keeps/);
  assert.match(third.stderr, /0 created, 0 updated, 0 removed/);
  assert.deepEqual(await tree(m.root), changed);

  // generations --json: the first boot created everything; the second updated exactly the files that differ.
  const listed = await generations(m);
  assert.deepEqual(listed.map((g) => [g.number, g.cause, g.node]), [[1, "boot", broker.name], [
    2,
    "boot",
    broker.name,
  ]]);
  assert.equal(listed[0].counts.created, first.size - 2, "every file but /etc/passwd and /etc/group");
  assert.deepEqual(listed[1].entries.map((e) => [e.path, e.action]), paths.map((p) => [p, "updated"]));
  assert.deepEqual(listed[1].units, ["mosquitto.service"]);
  assert.notEqual(listed[0].config, listed[1].config, "each boot names the configuration it applied");
  const human = await cli(m, "generations");
  assert.match(human.stdout, /^generation 2 .* boot, config [0-9a-f]{12}, node worker-01$/m);
  assert.match(human.stdout, /^ {2}0 created, \d+ updated, 0 removed; units: mosquitto\.service$/m);
  assert.match(human.stdout, /^ {2}updated {2}\/etc\/mosquitto\/mosquitto\.conf$/m);

  // A dry run says what it would do and does nothing.
  const calls = (await m.calls()).length;
  const dry = await cli(m, "rollback", "--dry-run");
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    new RegExp(`restore generation 2 .*\\(undoing change 2\\): 0 to create, ${paths.length} to update`),
  );
  assert.match(dry.stdout, /^restart if running: mosquitto\.service$/m);
  assert.deepEqual(await tree(m.root), changed);
  assert.equal((await m.calls()).length, calls);

  const rollback = await cli(m, "rollback", "--activate", "--json");
  assert.equal(rollback.code, 0, rollback.stderr);
  assert.deepEqual(await tree(m.root), first);
  const result = JSON.parse(rollback.stdout);
  assert.deepEqual([result.target, result.undone, result.generation], [2, [2], 3]);
  assert.deepEqual(result.steps.map((s: { path: string }) => s.path).sort(), paths);
  assert.deepEqual(result.restarted, ["mosquitto.service"]);
  // Only the unit whose files changed, though kubelet and containerd run too; no daemon-reload, no start.
  assert.deepEqual((await m.calls()).slice(calls), [
    "is-active mosquitto.service",
    "try-restart --no-block mosquitto.service",
  ]);

  // The restarted unit's ExecStartPre renders from the restored configuration: it keeps what the rollback wrote.
  const render = await clusterboot(["render", "--service", "mosquitto", "--root", m.root]);
  assert.equal(render.code, 0, render.stderr);
  assert.match(render.stderr, /render mosquitto: 0 created, 0 updated, 0 removed/);
  assert.deepEqual(await tree(m.root), first);

  // The rollback is generation 3; rolling back again brings the change back.
  const afterRollback = await generations(m);
  assert.deepEqual(afterRollback.map((g) => g.number), [1, 2, 3]);
  assert.deepEqual([afterRollback[2].cause, afterRollback[2].restored], ["rollback", 2]);
  const redo = await cli(m, "rollback", "--activate");
  assert.equal(redo.code, 0, redo.stderr);
  assert.match(redo.stdout, /restored generation 3 .*; recorded as generation 4/);
  assert.deepEqual(await tree(m.root), changed);
});

Deno.test("a role taken away is rolled back with its secrets; generations keep secrets 0600 in 0700 directories", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path);
  await boot(m);
  const first = await tree(m.root);
  const passwd = "/etc/mosquitto/passwd";
  assert.match(first.get(passwd)!, new RegExp(`^600 ${USERS.mosquitto}:${USERS.mosquitto} `));

  // Another node takes the broker's role: its Mosquitto files, the password file among them, are removed.
  const cluster = `${m.config}/cluster.yaml`;
  const text = await Deno.readTextFile(cluster);
  const moved = text.replace("roles: [worker, mqtt-broker]", "roles: [worker]")
    .replace("roles: [worker, ceph-osd]", "roles: [worker, ceph-osd, mqtt-broker]");
  assert.notEqual(moved, text);
  await Deno.writeTextFile(cluster, moved);
  await boot(m);
  await assert.rejects(() => Deno.stat(`${m.root}${passwd}`), Deno.errors.NotFound);

  const dirOf = `${m.root}${GENERATIONS_DIR}`;
  const mode = async (path: string) => (await Deno.lstat(path)).mode! & 0o7777;
  assert.equal(await mode(dirOf), 0o700);
  for (const path of await listTree(dirOf)) {
    assert.equal(await mode(`${dirOf}${path}`), 0o600, path);
  }
  for await (const entry of Deno.readDir(dirOf)) assert.equal(await mode(`${dirOf}/${entry.name}`), 0o700);
  const kept = `${dirOf}/2/files${passwd}`;
  const secretBytes = await Deno.readFile(kept);
  assert.ok(secretBytes.length > 0);
  const [, second] = await generations(m);
  const entry = second.entries.find((e) => e.path === passwd)!;
  assert.deepEqual(entry.before, { kind: "file", mode: "0600", uid: USERS.mosquitto, gid: USERS.mosquitto });
  assert.equal(entry.action, "removed");

  const rollback = await cli(m, "rollback", "--no-activate");
  assert.equal(rollback.code, 0, rollback.stderr);
  assert.deepEqual(await tree(m.root), first);
  assert.deepEqual(await Deno.readFile(`${m.root}${passwd}`), secretBytes);
  assert.match(rollback.stderr, /activation skipped \(--no-activate\): would restart .*mosquitto\.service/);
});

Deno.test("rollback --to 1 undoes every boot: the files the first boot wrote are gone, the root as it was", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path);
  const empty = await tree(m.root);
  await boot(m);
  await editMqttPort(m);
  await boot(m);
  const changed = await tree(m.root);
  const result = await cli(m, "rollback", "--to", "1", "--no-activate");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /restored generation 1 .*\(undoing changes 1, 2\)/);
  assert.deepEqual(await tree(m.root), empty);
  // Generation 3 holds what the rollback removed: undoing it restores the changed configuration's files.
  const redo = await cli(m, "rollback", "--no-activate");
  assert.equal(redo.code, 0, redo.stderr);
  assert.deepEqual(await tree(m.root), changed);
});

Deno.test("rollback with no generation exits 1; --to a generation not kept, or not a number, exits 2", async () => {
  await using dir = await tempDir();
  const m = await machine(dir.path);
  const none = await cli(m, "rollback");
  assert.equal(none.code, 1);
  assert.match(none.stderr, /error: no generation recorded under .*root: nothing to roll back/);
  assert.match(none.stderr, /hint: boot keeps one in \/var\/lib\/clusterboot\/generations each time it changes files/);
  const list = await cli(m, "generations");
  assert.equal(list.code, 0);
  assert.match(list.stdout, /no generations under .*generations: boot records one each time it changes files/);

  await boot(m);
  const unknown = await cli(m, "rollback", "--to", "7");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /error: no generation 7 under .*\nhint: generations kept: 1/);
  const word = await cli(m, "rollback", "--to", "latest");
  assert.equal(word.code, 2);
  assert.match(word.stderr, /--to expects a generation number, got "latest"/);
  const help = await clusterboot(["rollback", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /examples:\n {2}clusterboot rollback --dry-run/);
});
