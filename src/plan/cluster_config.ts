/**
 * /etc/cluster-config as boot leaves it: the configuration files verbatim, its compiled snapshot, this node's
 * identity and the current-node.yaml link.
 *
 * @module
 */
import { encodeSnapshot, SNAPSHOT_FILE } from "../config/compiled.ts";
import { type LoadedConfig, sourceContent } from "../config/model.ts";
import { CONFIG_DIR } from "./paths.ts";
import type { PlannedEntry } from "./types.ts";

/** The file holding this node's name, read by `render` and by people. */
export const NODE_IDENTITY = `${CONFIG_DIR}/node-identity`;

export function clusterConfigFiles(loaded: LoadedConfig, node: string): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const name of loaded.sources.keys()) {
    // As loading read it, so that boot compares it with what it read.
    entries.push({ kind: "file", path: `${CONFIG_DIR}/${name}`, content: sourceContent(loaded, name), mode: 0o644 });
  }
  entries.push(
    {
      kind: "file",
      path: `${CONFIG_DIR}/${SNAPSHOT_FILE}`,
      content: loaded.snapshot ?? encodeSnapshot(loaded),
      mode: 0o644,
    },
    { kind: "file", path: NODE_IDENTITY, content: `${node}\n`, mode: 0o644 },
    { kind: "symlink", path: `${CONFIG_DIR}/current-node.yaml`, target: `nodes/${node}.yaml` },
  );
  return entries;
}
