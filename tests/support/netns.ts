/**
 * A network of the test's own: one network namespace per node, each with its own loopback and an eth0 carrying the
 * node's MAC and address from cluster.yaml, all on a bridge in a further namespace. Daemons bind exactly the
 * addresses their rendered configs name, and nothing they send can leave these namespaces. Removed when disposed;
 * processes started in it must be stopped first (they outlive `ip netns del`: FACTS.md).
 *
 * @module
 */
import { runCommand } from "./process.ts";

export interface NetworkNode {
  name: string;
  ip: string;
  mac?: string;
}

export interface VirtualNetwork extends AsyncDisposable {
  /** `cmd` run in the namespace of node `name`. */
  exec(name: string, cmd: string[]): string[];
}

async function must(cmd: string[]): Promise<void> {
  const result = await runCommand(cmd);
  if (result.code !== 0) throw new Error(`${cmd.join(" ")}: ${result.stderr}`);
}

export async function virtualNetwork(nodes: NetworkNode[], prefix = 24): Promise<VirtualNetwork> {
  const id = `${Deno.pid % 10000}${Math.floor(Math.random() * 1000)}`;
  const bridge = `cbsw${id}`;
  const namespaces = new Map(nodes.map((n, i) => [n.name, `cb${id}n${i}`]));
  const created: string[] = [];
  const inside = (ns: string, cmd: string[]) => ["ip", "netns", "exec", ns, ...cmd];
  try {
    await must(["ip", "netns", "add", bridge]);
    created.push(bridge);
    await must(inside(bridge, ["ip", "link", "add", "br0", "type", "bridge"]));
    await must(inside(bridge, ["ip", "link", "set", "br0", "up"]));
    for (const [i, node] of nodes.entries()) {
      const ns = namespaces.get(node.name)!;
      await must(["ip", "netns", "add", ns]);
      created.push(ns);
      await must(inside(bridge, ["ip", "link", "add", `v${i}`, "type", "veth", "peer", "name", "eth0", "netns", ns]));
      await must(inside(bridge, ["ip", "link", "set", `v${i}`, "master", "br0", "up"]));
      if (node.mac) await must(inside(ns, ["ip", "link", "set", "eth0", "address", node.mac]));
      await must(inside(ns, ["ip", "addr", "add", `${node.ip}/${prefix}`, "dev", "eth0"]));
      await must(inside(ns, ["ip", "link", "set", "eth0", "up"]));
      await must(inside(ns, ["ip", "link", "set", "lo", "up"]));
    }
  } catch (error) {
    for (const ns of created) await runCommand(["ip", "netns", "del", ns]);
    throw error;
  }
  return {
    exec(name, cmd) {
      const ns = namespaces.get(name);
      if (!ns) throw new RangeError(`no node ${name} in this network`);
      return inside(ns, cmd);
    },
    async [Symbol.asyncDispose]() {
      for (const ns of created.reverse()) await runCommand(["ip", "netns", "del", ns]);
    },
  };
}
