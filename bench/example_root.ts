/**
 * The example cluster's first node as the benchmarks see it: the facts of its NIC, its secrets made once by
 * `pki init`, and a scratch root booted as that node (a fresh root has only the daemons' users; systemctl is a
 * stand-in that records its calls).
 *
 * @module
 */
import { loadConfig } from "../src/config/load.ts";
import { makeSecrets, rootWithUsers } from "../tests/support/node_root.ts";

const ROOT = new URL("../", import.meta.url).pathname;
export const EXE = `${ROOT}dist/clusterboot`;
export const CONFIG = `${ROOT}configs`;

export interface ExampleNode {
  name: string;
  facts: string;
  secrets: string;
  /** Stand-in systemctl first on PATH, and where it keeps its log and state. */
  env: Record<string, string>;
  /**
   * The arguments of a real boot of this node onto `root`: from the example configuration (validated), or as an
   * operator reruns it on the node, from the copy in the root's /etc/cluster-config (its compiled snapshot).
   */
  boot(root: string, from?: "example" | "root"): string[];
}

export async function exampleNode(work: string): Promise<ExampleNode> {
  const { config } = await loadConfig(CONFIG, { full: true });
  const node = config.cluster.nodes[0];
  const facts = `${work}/facts.json`;
  await Deno.writeTextFile(facts, JSON.stringify({ interfaces: [{ name: "ens3", mac: node.mac, addresses: [] }] }));
  const secrets = await makeSecrets(`${work}/secrets`, CONFIG);
  const env = {
    PATH: `${ROOT}tests/support:${Deno.env.get("PATH")}`,
    SYSTEMCTL_LOG: `${work}/systemctl.log`,
    SYSTEMCTL_STATE: `${work}/systemctl.state`,
  };
  const boot = (root: string, from: "example" | "root" = "example") => [
    ...[EXE, "boot", ...(from === "example" ? ["--config", CONFIG] : [])],
    ...["--secrets", secrets, "--root", root, "--facts", facts],
  ];
  return { name: node.name, facts, secrets, env, boot };
}

/** An empty root but for the daemons' users, as a machine has it before its first boot. */
export async function freshRoot(root: string): Promise<void> {
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await rootWithUsers(root);
}

/** Boots the node once onto a fresh `root`, as a machine's first boot would; `extra` are further arguments. */
export async function bootOnce(node: ExampleNode, root: string, extra: string[] = []): Promise<void> {
  await freshRoot(root);
  const [command, ...args] = [...node.boot(root), ...extra];
  const out = await new Deno.Command(command, { args, env: node.env, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`boot failed: ${new TextDecoder().decode(out.stderr)}`);
}
