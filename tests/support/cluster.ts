/**
 * A whole cluster prepared for conformance tests: its secrets made by `pki init`, and every node booted into a
 * scratch root by `clusterboot boot`, as each machine would be — ready to be run in node sandboxes.
 *
 * @module
 */
import { clusterboot } from "./cli.ts";

export interface PreparedCluster {
  secrets: string;
  /** Scratch root of each node, by name. */
  roots: Record<string, string>;
}

/** Users the image's packages create; the sandboxes reuse this machine's, adding those it lacks. */
const DAEMON_USERS = ["etcd", "ceph", "mosquitto", "kafka", "coredns"];

async function plantUsers(root: string): Promise<void> {
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  let passwd = await Deno.readTextFile("/etc/passwd");
  let group = await Deno.readTextFile("/etc/group");
  let next = 1990;
  for (const user of DAEMON_USERS) {
    if (passwd.split("\n").some((l) => l.startsWith(`${user}:`))) continue;
    passwd += `${user}:x:${next}:${next}::/nonexistent:/usr/sbin/nologin\n`;
    group += `${user}:x:${next}:\n`;
    next++;
  }
  await Deno.writeTextFile(`${root}/etc/passwd`, passwd);
  await Deno.writeTextFile(`${root}/etc/group`, group);
}

export async function prepareCluster(configDir: string, work: string, nodes: string[]): Promise<PreparedCluster> {
  const secrets = `${work}/secrets`;
  const init = await clusterboot(["pki", "init", "--config", configDir, "--out", secrets]);
  if (init.code !== 0) throw new Error(`pki init: ${init.stderr}`);
  const roots: Record<string, string> = {};
  for (const node of nodes) {
    const root = `${work}/roots/${node}`;
    await plantUsers(root);
    const boot = await clusterboot([
      "boot",
      "--config",
      configDir,
      "--secrets",
      secrets,
      "--root",
      root,
      "--node",
      node,
      "--no-activate",
    ]);
    if (boot.code !== 0) throw new Error(`boot ${node}: ${boot.stderr}`);
    roots[node] = root;
  }
  return { secrets, roots };
}
