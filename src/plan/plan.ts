/**
 * Planning a node: configuration + node name → every file it should have and the units to start. Pure: no disk,
 * no network, no clock, so plans can be compared, printed and tested as data.
 *
 * @example
 * ```ts
 * const plan = planNode(loaded, "master-01");
 * plan.start; // ["kubernetes-master.target", "dns.target"]
 * ```
 * @module
 */
import { type LoadedConfig, type Node, nodeByName } from "../config/model.ts";
import { DAEMONS } from "../services/registry.ts";
import type { Observed, RenderContext } from "../services/render.ts";
import { type DaemonName, daemonsOf, targetsOf } from "../services/roles.ts";
import { clusterConfigFiles } from "./cluster_config.ts";
import { networkFiles } from "./network.ts";
import { MANIFEST, UNIT_DIR } from "./paths.ts";
import { asBytes, asText, sameContent } from "../text/bytes.ts";
import { type Plan, type PlannedEntry, type PlannedFile } from "./types.ts";
import { unitFiles } from "./units.ts";
import { planDataDisk } from "./data_disk.ts";
import { nodeShare } from "../pki/share.ts";
import type { SecretContent } from "../pki/store.ts";
import { CLUSTER_IDS, type ClusterIds, formatClusterIds, idsFromSecrets } from "./cluster_ids.ts";

/** The node named `name`; throws when the configuration has no such node (callers check identity first). */
export function requireNode(loaded: LoadedConfig, name: string): Node {
  const node = nodeByName(loaded.config, name);
  if (!node) throw new RangeError(`no node ${name} in the configuration`);
  return node;
}

/** Files of the secrets directory, by `<item>/<file>`: the node's share, read by boot. */
export type SecretFiles = ReadonlyMap<string, SecretContent>;

/** The files one daemon needs on this node. */
export function planDaemon(
  loaded: LoadedConfig,
  node: Node,
  daemon: DaemonName,
  ids: ClusterIds = {},
  observed: Observed = {},
): PlannedFile[] {
  const ctx: RenderContext = { config: loaded.config, node, ids, observed };
  return DAEMONS[daemon].render(ctx);
}

/** The node's share of the secrets as planned files; every source must be in `secrets`. */
export function secretFiles(loaded: LoadedConfig, node: Node, secrets: SecretFiles): PlannedFile[] {
  return nodeShare(loaded.config, node).map((share) => {
    const parts = share.sources.map((s) => secrets.get(`${s.item}/${s.file}`));
    if (parts.some((p) => p === undefined)) throw new RangeError(`secret for ${share.path} was not read`);
    let content: Uint8Array | string;
    if (share.compose) {
      content = share.compose(parts.map((p) => asText(p!)));
    } else if (parts.every((p) => typeof p === "string")) {
      content = parts.join("");
    } else {
      const bytes = parts.map((p) => asBytes(p!));
      content = new Uint8Array(bytes.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const part of bytes) {
        content.set(part, at);
        at += part.length;
      }
    }
    return {
      kind: "file",
      path: share.path,
      content,
      mode: share.mode,
      owner: share.owner,
      group: share.owner,
      secret: share.secret,
      restarts: share.restarts,
    };
  });
}

/** The units to start on this node: its role targets, then the instances of template units. */
export function unitsToStart(node: Node): string[] {
  const instances = daemonsOf(node.roles)
    .filter((name) => DAEMONS[name].unit.includes("@"))
    .flatMap((name) => DAEMONS[name].units(node));
  return [...targetsOf(node.roles), ...instances];
}

export interface NodeInputs {
  /** The node's share of the secrets directory, when boot has one. */
  secrets?: SecretFiles;
  /** Ids recorded by an earlier boot, used when there are no secrets to take them from. */
  recordedIds?: ClusterIds;
  /** The node's state as seen before planning. */
  observed?: Observed;
}

/** Everything boot writes and starts for `nodeName`; with secrets, the node's share of them too. */
export function planNode(loaded: LoadedConfig, nodeName: string, inputs: NodeInputs = {}): Plan {
  const { secrets } = inputs;
  const ids = secrets ? idsFromSecrets(secrets) : (inputs.recordedIds ?? {});
  const node = requireNode(loaded, nodeName);
  const daemons = daemonsOf(node.roles);
  const unitRestarts = new Map<string, string[]>(
    daemons.map((name) => [`${UNIT_DIR}/${DAEMONS[name].unit}`, DAEMONS[name].units(node)]),
  );
  const entries: PlannedEntry[] = [
    ...clusterConfigFiles(loaded, node.name),
    ...networkFiles(loaded.config, node),
    ...unitFiles().map((file) => ({ ...file, restarts: unitRestarts.get(file.path) })),
    ...daemons.flatMap((name) => planDaemon(loaded, node, name, ids, inputs.observed)),
    ...(secrets ? secretFiles(loaded, node, secrets) : []),
    ...(formatClusterIds(ids)
      ? [{ kind: "file" as const, path: CLUSTER_IDS, content: formatClusterIds(ids), mode: 0o644 }]
      : []),
  ];
  // Without secrets their files are not known, which is not a reason to delete the keys an earlier boot installed:
  // they stay in the manifest, which is what a boot prunes against.
  const kept = secrets ? [] : nodeShare(loaded.config, node).map((share) => share.path);
  const merged = mergeEntries(entries);
  merged.push(manifestFile(merged, kept));
  const dataDisk = planDataDisk(node);
  return {
    node: node.name,
    entries: sortEntries(merged),
    start: unitsToStart(node),
    ...(dataDisk ? { dataDisk } : {}),
  };
}

/** The manifest of managed paths: what the next boot removes if it no longer plans it (or keeps it). */
function manifestFile(entries: readonly PlannedEntry[], kept: readonly string[]): PlannedFile {
  const paths = [...new Set([...entries.map((e) => e.path), ...kept, MANIFEST])].sort();
  return { kind: "file", path: MANIFEST, content: paths.join("\n") + "\n", mode: 0o644 };
}

/**
 * One entry per path. Two daemons may plan the same file (ceph.conf for a monitor and an OSD on one node): equal
 * content merges their restarts; different content is a bug in a renderer, refused loudly.
 */
export function mergeEntries(entries: readonly PlannedEntry[]): PlannedEntry[] {
  const byPath = new Map<string, PlannedEntry>();
  for (const entry of entries) {
    const existing = byPath.get(entry.path);
    if (!existing) {
      byPath.set(entry.path, entry);
      continue;
    }
    if (!samePlan(existing, entry)) throw new Error(`two different plans for ${entry.path}`);
    const restarts = [...new Set([...(existing.restarts ?? []), ...(entry.restarts ?? [])])];
    byPath.set(entry.path, { ...existing, restarts });
  }
  return [...byPath.values()];
}

function samePlan(a: PlannedEntry, b: PlannedEntry): boolean {
  if (a.kind === "symlink" || b.kind === "symlink") {
    return a.kind === b.kind && (a as { target: string }).target === (b as { target: string }).target;
  }
  return a.mode === b.mode && a.owner === b.owner && a.group === b.group && sameContent(a.content, b.content);
}

export function sortEntries(entries: PlannedEntry[]): PlannedEntry[] {
  return entries.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
