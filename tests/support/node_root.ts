/**
 * A scratch root like a freshly installed node before its first boot: only the users its daemons' packages create,
 * so boot can give each file its owner. And the cluster's secrets, made once by the real `pki init`.
 *
 * @module
 */
import { clusterboot, copyTree, EXAMPLE_CONFIG } from "./cli.ts";

/** The daemons' users and their ids in these roots (the ids are the tests' own). */
export const DAEMON_USERS = { etcd: 901, ceph: 902, mosquitto: 903, kafka: 904, coredns: 905 };

/** Makes `root` with /etc/passwd and /etc/group naming root and the daemons' users. */
export async function rootWithUsers(root: string): Promise<void> {
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  const users = Object.entries(DAEMON_USERS);
  const passwd = users.map(([user, id]) => `${user}:x:${id}:${id}::/nonexistent:/usr/sbin/nologin`);
  await Deno.writeTextFile(`${root}/etc/passwd`, ["root:x:0:0:root:/root:/bin/sh", ...passwd].join("\n") + "\n");
  const group = users.map(([user, id]) => `${user}:x:${id}:`);
  await Deno.writeTextFile(`${root}/etc/group`, ["root:x:0:", ...group].join("\n") + "\n");
}

/** Runs `clusterboot pki init` for `config` into `out`; returns `out`. */
export async function makeSecrets(out: string, config = EXAMPLE_CONFIG): Promise<string> {
  const init = await clusterboot(["pki", "init", "--config", config, "--out", out]);
  if (init.code !== 0) throw new Error(`pki init failed:\n${init.stderr}`);
  return out;
}

/** The arguments of a boot of `node` from `config` with `secrets` under `root`, calling no systemctl. */
export function bootArgs(options: { config: string; secrets: string; root: string; node: string }): string[] {
  const { config, secrets, root, node } = options;
  return ["boot", "--config", config, "--secrets", secrets, "--root", root, "--node", node, "--no-activate"];
}

/**
 * A copy of the example configuration (in `dir`) as it was before a change: master-01 was also the MQTT broker, on
 * port 1884. Booting master-01 from it and then from the example gives files to update and files to remove.
 */
export async function olderConfig(dir: string): Promise<string> {
  await copyTree(EXAMPLE_CONFIG, dir);
  const edit = async (file: string, from: string, to: string) => {
    const text = await Deno.readTextFile(`${dir}/${file}`);
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    await Deno.writeTextFile(`${dir}/${file}`, text.replace(from, to));
  };
  await edit("cluster.yaml", "roles: [master, dns-server]", "roles: [master, dns-server, mqtt-broker]");
  await edit("cluster.yaml", "roles: [worker, mqtt-broker]", "roles: [worker]");
  await edit("services/mqtt.yaml", "port: 1883", "port: 1884");
  return dir;
}
