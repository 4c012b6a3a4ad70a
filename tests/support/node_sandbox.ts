/**
 * A node as a daemon sees it, without a virtual machine: a process in the node's network namespace and in a private
 * mount namespace where /etc and /var/lib are overlays — the node's scratch root (as boot wrote it) on top of the
 * machine's own, and a writable layer of the node's own for what the daemon writes. So a daemon reads exactly the
 * files clusterboot generated at the paths its unit names, and nothing on this machine changes.
 *
 * @module
 */
import type { VirtualNetwork } from "./netns.ts";

export interface NodeSandbox {
  name: string;
  /** The scratch root boot wrote. */
  root: string;
  /** Where the node's own writes land (per overlaid directory). */
  state: string;
  /**
   * `cmd` as run on the node: in its namespace, with its /etc and /var/lib. One daemon at a time: two mounts must
   * not share the node's writable layer, so clients use {@link NodeSandbox.client}.
   */
  command(cmd: string[]): string[];
  /** `cmd` in the node's network namespace only, for clients; files are read from `root` directly. */
  client(cmd: string[]): string[];
  /** `cmd` inside a running daemon's namespaces (network and mounts), to reach what only it sees: /run sockets. */
  enter(pid: number, cmd: string[]): string[];
}

/**
 * The node's /etc is its root's over this machine's (daemons need the machine's libraries' configuration, its
 * ld.so.cache, its java alternatives); its /var/lib is its own alone, as on a fresh node (and two nodes never copy
 * up the same directory of this machine).
 */
const OVERLAID = [{ dir: "/etc", machine: true }, { dir: "/var/lib", machine: false }];

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
  const script = `set -e\n${mounts.join("\n")}\nexec "$@"`;
  return {
    name,
    root,
    state,
    client: (cmd) => network.exec(name, cmd),
    enter: (pid, cmd) => ["nsenter", "-t", String(pid), "-m", "-n", "-u", ...cmd],
    command: (cmd) =>
      network.exec(name, ["unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", script, "sh", ...cmd]),
  };
}

/** A shell command line for `sh -c`, each word quoted. */
export function shellWords(words: string[]): string {
  return words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
}
