/**
 * A scratch machine for CLI tests: an empty root, a facts file with one NIC's MAC (what identifies the node), and
 * the stand-in systemctl first on PATH, recording every call.
 *
 * @module
 */
import { isBootLog, listTree } from "./cli.ts";

const SUPPORT = new URL("./", import.meta.url).pathname;

export interface Machine {
  root: string;
  facts: string;
  log: string;
  env: Record<string, string>;
  /** systemctl calls so far, one string each. */
  calls(): Promise<string[]>;
}

/** A machine in `dir` whose NIC ens3 has `mac`. */
export async function machine(dir: string, mac: string): Promise<Machine> {
  const root = `${dir}/root`;
  await Deno.mkdir(root);
  const facts = `${dir}/facts.json`;
  await Deno.writeTextFile(
    facts,
    JSON.stringify({ cmdline: "quiet", hostname: "debian", interfaces: [{ name: "ens3", mac, addresses: [] }] }),
  );
  const log = `${dir}/systemctl.log`;
  const env = {
    PATH: `${SUPPORT}:${Deno.env.get("PATH")}`,
    SYSTEMCTL_LOG: log,
    SYSTEMCTL_STATE: `${dir}/systemctl.state`,
  };
  const calls = async () => {
    try {
      return (await Deno.readTextFile(log)).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  return { root, facts, log, env, calls };
}

/** Path → inode and mtime, to prove a rerun touched nothing (but the boot logs, which boots add to). */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of (await listTree(root)).filter((p) => !isBootLog(p))) {
    const info = await Deno.lstat(`${root}${path}`);
    out.set(path, `${info.ino}:${info.mtime?.getTime()}`);
  }
  return out;
}

/** The paths whose inode or mtime differ between two snapshots (written, created or removed), sorted. */
export function touched(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
}
