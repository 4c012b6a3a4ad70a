/**
 * What several commands share: where the configuration and the root are, loading the configuration, and deciding
 * which node this is.
 *
 * @module
 */
import { loadConfig, type Loaded, type LoadOptions } from "../config/load.ts";
import { printable } from "../config/diagnostic.ts";
import { under } from "../apply/root.ts";
import { CONFIG_DIR } from "../plan/paths.ts";
import { type Facts, type FactSource, FileFacts, SystemFacts } from "../identity/facts.ts";
import { type Decision, identify } from "../identity/match.ts";
import { explain, summary } from "../identity/explain.ts";
import { EnvironmentError, IdentityError, UsageError } from "../errors.ts";
import { SecretStore } from "../pki/store.ts";
import type { SecretRef } from "../pki/share.ts";
import type { SecretFiles } from "../plan/plan.ts";
import { CLUSTER_IDS, type ClusterIds, parseClusterIds } from "../plan/cluster_ids.ts";
import { type Parsed, stringFlag } from "./args.ts";
import type { Output } from "./output.ts";

/** Flags for commands that read the configuration and act on a root. */
export const LOCATION_FLAGS = ["config", "root"] as const;
/** The secrets directory: --secrets, else `secrets/` beside the configuration. */
export function secretsDirOf(parsed: Parsed, configDir: string): { dir: string; explicit: boolean } {
  const given = stringFlag(parsed, "secrets");
  return { dir: given ?? `${configDir.replace(/\/+$/, "")}/secrets`, explicit: given !== undefined };
}

/**
 * Reads the files of the secrets directory that `refs` name. Without a secrets directory (and no --secrets), boot
 * goes on with a warning: identity and network still come up. A directory that lacks a needed file is an error
 * before anything is written, so a node is never left with half its keys.
 */
export function readSecrets(
  parsed: Parsed,
  loaded: Loaded,
  refs: readonly SecretRef[],
  out: Output,
): SecretFiles | undefined {
  const { dir, explicit } = secretsDirOf(parsed, loaded.dir);
  const store = new SecretStore(dir);
  if (!store.exists()) {
    if (explicit) {
      throw new EnvironmentError(`secrets directory ${dir} does not exist`, "make it with clusterboot pki init");
    }
    if (refs.length) {
      out.warn(
        `no secrets directory at ${dir}: keys and certificates are not installed (those installed before are kept)`,
      );
    }
    return undefined;
  }
  const { files, missing } = store.readRefs(refs);
  if (missing.length) {
    throw new EnvironmentError(
      `${dir} lacks ${missing.length} file(s) this node needs: ${missing.slice(0, 5).join(", ")}${
        missing.length > 5 ? ", ..." : ""
      }`,
      `run clusterboot pki init --config ${loaded.dir} --out ${dir}`,
    );
  }
  return files;
}

/** The cluster ids an earlier boot recorded under the root (empty on a first boot). */
export function recordedIds(root: string): ClusterIds {
  try {
    return parseClusterIds(Deno.readTextFileSync(under(root, CLUSTER_IDS)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
}

export const SECRETS_HELP =
  `  --secrets DIR  the secrets made by "clusterboot pki init" (default: secrets/ in the configuration directory)`;

/** Flags for commands that decide the node. */
export const IDENTITY_FLAGS = ["node", "facts"] as const;

export const LOCATION_HELP = `  --config DIR   the configuration (default: <root>/etc/cluster-config)
  --root DIR     the root to read and write under (default: /)`;
export const IDENTITY_HELP =
  `  --node NAME    be this node, whatever the facts say (like clusterboot.node= on the kernel command line)
  --facts FILE   take this machine's facts from a JSON file instead of /sys and /proc`;

export function rootOf(parsed: Parsed): string {
  const root = stringFlag(parsed, "root", "/");
  if (!root.startsWith("/") && !root.startsWith(".")) return `./${root}`;
  return root;
}

export function configDirOf(parsed: Parsed): string {
  return stringFlag(parsed, "config") ?? under(rootOf(parsed), CONFIG_DIR);
}

/** Loads the configuration as a logged step; warnings are printed, errors thrown. */
export async function loadStep(parsed: Parsed, out: Output, options: LoadOptions = {}): Promise<Loaded> {
  const dir = configDirOf(parsed);
  const loaded = await out.step(
    `validate ${dir}`,
    () => loadConfig(dir, options),
    (l) =>
      `${l.sources.size} files, ${l.config.cluster.nodes.length} nodes${
        l.fromSnapshot ? ", compiled snapshot current" : ""
      }${l.warnings.length ? `, ${l.warnings.length} warning(s)` : ""}`,
  );
  for (const w of loaded.warnings) {
    out.warn(printable(`${w.file}:${w.line}:${w.col}: ${w.message}${w.hint ? ` (hint: ${w.hint})` : ""}`));
  }
  return loaded;
}

/** This machine's facts: from `--facts FILE` when given, else from /sys and /proc. */
export async function gatherFacts(parsed: Parsed): Promise<Facts> {
  const file = stringFlag(parsed, "facts");
  const source: FactSource = file ? new FileFacts(file) : new SystemFacts();
  try {
    return await source.gather();
  } catch (error) {
    throw new UsageError(`cannot read facts from ${file ?? "the system"}: ${(error as Error).message}`);
  }
}

/** Matches the facts to a node (`--node` first). */
export function decide(loaded: Loaded, facts: Facts, parsed: Parsed): Decision {
  return identify(loaded.config.cluster.nodes, loaded.config.nodes, facts, { override: stringFlag(parsed, "node") });
}

/** Gathers facts and decides the node; throws {@link IdentityError} with the evidence when it cannot. */
export async function decideNode(loaded: Loaded, parsed: Parsed): Promise<Decision> {
  const decision = decide(loaded, await gatherFacts(parsed), parsed);
  if (!decision.node) throw new IdentityError(summary(decision), explain(decision));
  return decision;
}
