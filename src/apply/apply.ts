/**
 * Applying changes under a root: write what differs, atomically, remove what the plan dropped, and say which units
 * are affected. The manifest of managed files is written last, so a crash before it leaves the old manifest and
 * the next run still knows what to clean up.
 *
 * @example
 * ```ts
 * const changes = computeChanges(plan.entries, { root, prune: true });
 * const result = applyChanges(changes, { root });
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { MANIFEST, UNIT_DIR } from "../plan/paths.ts";
import { contentBytes } from "../plan/types.ts";
import type { Change, EntryChange } from "./changes.ts";
import { dirname, under } from "./root.ts";
import { fixAttributes, removeFile, removeStaleTemps, symlinkAtomic, writeFailure, writeFileAtomic } from "./write.ts";

export interface ApplyResult {
  /** The changes made (unchanged entries left out). */
  changed: Change[];
  unchanged: number;
  /** Units whose files changed: restarted if they run. */
  restarts: string[];
  /** Whether a unit file under /etc/systemd/system changed, which needs `systemctl daemon-reload`. */
  unitFilesChanged: boolean;
}

/** What applying `changes` would do, without doing it. */
export function summarize(changes: readonly Change[]): ApplyResult {
  const changed = changes.filter((c) => c.action !== "unchanged");
  const restarts = new Set<string>();
  for (const change of changed) {
    if (change.action !== "remove") { for (const unit of change.entry.restarts ?? []) restarts.add(unit); }
  }
  const path = (c: Change) => c.action === "remove" ? c.path : c.entry.path;
  return {
    changed,
    unchanged: changes.length - changed.length,
    restarts: [...restarts],
    unitFilesChanged: changed.some((c) => path(c).startsWith(`${UNIT_DIR}/`)),
  };
}

export interface ApplyOptions {
  root: string;
  /** Called after each change is made, for progress logs. */
  onChange?: (change: Change) => void;
  /** Called for each temporary file an interrupted run left behind, once it is removed. */
  onLeftover?: (path: string) => void;
}

/**
 * Makes `changes` on disk: writes first, then removals, the manifest last. Before that, removes the temporary files a
 * killed run left in the directories the plan writes to, so interruptions never accumulate litter.
 */
export function applyChanges(changes: readonly Change[], options: ApplyOptions): ApplyResult {
  const result = summarize(changes);
  const dirs = new Set(changes.map((c) => dirname(under(options.root, c.action === "remove" ? c.path : c.entry.path))));
  for (const leftover of removeStaleTemps(dirs)) options.onLeftover?.(leftover);
  const manifest = result.changed.filter((c) => c.action !== "remove" && c.entry.path === MANIFEST);
  const ordered = [
    ...result.changed.filter((c) => c.action !== "remove" && c.entry.path !== MANIFEST),
    ...result.changed.filter((c) => c.action === "remove"),
    ...manifest,
  ];
  for (const change of ordered) {
    const path = change.action === "remove" ? change.path : change.entry.path;
    try {
      if (change.action === "remove") removeFile(under(options.root, change.path));
      else applyEntry(change, options.root);
    } catch (error) {
      throw writeFailure(error, under(options.root, path));
    }
    options.onChange?.(change);
  }
  return result;
}

function applyEntry(change: EntryChange, root: string): void {
  const { entry } = change;
  const target = under(root, entry.path);
  if (change.differences.includes("kind")) {
    const info = Deno.lstatSync(target);
    if (info.isDirectory) {
      throw new EnvironmentError(`${target} is a directory where clusterboot manages a file`, "move it away and rerun");
    }
  }
  if (entry.kind === "symlink") return symlinkAtomic(target, entry.target);
  // Directories on the way are 0755 even for a secret: the file's own mode protects it, and a daemon that switched
  // to its user must still reach its keys (/etc/etcd/pki/peer.key, owned by etcd).
  const options = { mode: entry.mode, ids: change.ids, dirMode: 0o755 };
  const onlyAttributes = change.action === "update" &&
    change.differences.every((d) => d === "mode" || d === "owner");
  if (onlyAttributes) fixAttributes(target, options);
  else writeFileAtomic(target, contentBytes(entry), options);
}
