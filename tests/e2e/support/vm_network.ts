/**
 * The machines' network: a bridge in a network namespace of the test's own, carrying the cluster's gateway address
 * so commands run there (curl, dig, kcat) reach every machine, and one tap per machine for QEMU. Nothing on it can
 * reach beyond the namespace. Removed when disposed; the machines must be stopped first.
 *
 * @module
 */
import { runCommand } from "../../support/process.ts";

export interface VmNetwork extends AsyncDisposable {
  namespace: string;
  /** `cmd` run inside the namespace, on the bridge. */
  exec(cmd: string[]): string[];
  /** A new tap on the bridge, for one machine. */
  addTap(): Promise<string>;
}

async function must(cmd: string[]): Promise<void> {
  const result = await runCommand(cmd);
  if (result.code !== 0) throw new Error(`${cmd.join(" ")}: ${result.stderr}`);
}

/** A bridge whose own address is `address` (CIDR form, e.g. 10.20.0.1/24). */
export async function vmNetwork(address: string): Promise<VmNetwork> {
  const namespace = `cbvm${Deno.pid % 100000}`;
  const exec = (cmd: string[]) => ["ip", "netns", "exec", namespace, ...cmd];
  await must(["ip", "netns", "add", namespace]);
  let taps = 0;
  try {
    await must(exec(["ip", "link", "set", "lo", "up"]));
    await must(exec(["ip", "link", "add", "br0", "type", "bridge"]));
    await must(exec(["ip", "addr", "add", address, "dev", "br0"]));
    await must(exec(["ip", "link", "set", "br0", "up"]));
  } catch (error) {
    await runCommand(["ip", "netns", "del", namespace]);
    throw error;
  }
  return {
    namespace,
    exec,
    async addTap() {
      const tap = `tap${taps++}`;
      await must(exec(["ip", "tuntap", "add", "dev", tap, "mode", "tap"]));
      await must(exec(["ip", "link", "set", tap, "master", "br0", "up"]));
      return tap;
    },
    async [Symbol.asyncDispose]() {
      await runCommand(["ip", "netns", "del", namespace]);
    },
  };
}
