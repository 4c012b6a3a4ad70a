/**
 * A node as its daemons see it, without a virtual machine: its own network namespace (from the test's virtual
 * network), hostname, /run, and a mount namespace where /etc and /var/lib are overlays — the node's scratch root
 * (as boot wrote it) on top, a writable layer of the node's own for what its daemons write. So a daemon reads
 * exactly the files clusterboot generated at the paths its unit names, and nothing on this machine changes.
 *
 * One holder process keeps the namespaces; every command of the node enters them, so all its daemons share one
 * file system, as on a real machine (two overlay mounts must never share a writable layer).
 *
 * @module
 */
import type { VirtualNetwork } from "./netns.ts";
import { type Daemon, startDaemon } from "./process.ts";

export interface NodeSandbox extends AsyncDisposable {
  name: string;
  /** The scratch root boot wrote. */
  root: string;
  /** Where the node's own writes land (per overlaid directory). */
  state: string;
  /** `cmd` as run on the node: in its namespaces, with its /etc, /var/lib and /run. */
  command(cmd: string[]): string[];
  /** `cmd` in the node's network namespace only, reading files from `root` directly (no node mounts). */
  client(cmd: string[]): string[];
}

/**
 * The node's /etc is its root's over this machine's (daemons need the machine's libraries' configuration, its
 * ld.so.cache, its java alternatives); its /var/lib is its own alone, as on a fresh node (and two nodes never copy
 * up the same directory of this machine).
 */
const OVERLAID = [
  { dir: "/etc", machine: true },
  { dir: "/var/lib", machine: false },
  // Where the image puts software it does not take from Debian (/opt/kafka): tests link it to their caches.
  { dir: "/opt", machine: true },
];

export async function nodeSandbox(
  network: VirtualNetwork,
  name: string,
  root: string,
  state: string,
): Promise<NodeSandbox> {
  const mounts: string[] = [];
  for (const { dir, machine } of OVERLAID) {
    const lower = `${root}${dir}`;
    const upper = `${state}${dir}/upper`;
    const work = `${state}${dir}/work`;
    await Deno.mkdir(lower, { recursive: true });
    await Deno.mkdir(upper, { recursive: true });
    await Deno.mkdir(work, { recursive: true });
    const lowers = machine ? `${lower}:${dir}` : lower;
    mounts.push(`mount -t overlay overlay -o lowerdir=${lowers},upperdir=${upper},workdir=${work} ${dir}`);
  }
  // A /run of the node's own: sockets and pid files of its daemons stay out of this machine's /run.
  mounts.push("mount -t tmpfs -o mode=0755 tmpfs /run");
  // Its own hostname too (a UTS namespace): daemons put it in lease holders and node names.
  mounts.push(`hostname ${name}`);
  const script = `set -e\n${mounts.join("\n")}\necho ready\nexec sleep infinity`;
  const holder: Daemon = startDaemon(
    network.exec(name, ["unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", script]),
  );
  const deadline = Date.now() + 10_000;
  while (!holder.output().includes("ready")) {
    if (Date.now() > deadline) {
      await holder.stop();
      throw new Error(`node ${name}: its namespaces did not come up:\n${holder.output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = String(holder.process.pid);
  return {
    name,
    root,
    state,
    client: (cmd) => network.exec(name, cmd),
    command: (cmd) => ["nsenter", "-t", pid, "-m", "-u", "-n", ...cmd],
    [Symbol.asyncDispose]: () => holder.stop(),
  };
}
