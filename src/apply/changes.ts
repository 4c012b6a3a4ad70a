/**
 * Comparing a plan with what is on disk under a root: which entries to create, update or remove. Reads only, and
 * synchronously: dozens of small reads cost less without the async machinery, which matters on the boot path.
 *
 * @example
 * ```ts
 * const changes = computeChanges(plan.entries, { root: "/tmp/root" });
 * changes.filter((c) => c.action !== "unchanged");
 * ```
 * @module
 */
import { MANIFEST } from "../plan/paths.ts";
import type { PlannedEntry } from "../plan/types.ts";
import { asBytes, fileHolds, sameContent, type SeenFile } from "../text/bytes.ts";
import { KnownAbsences } from "./absences.ts";
import { type Ids, OwnerResolver } from "./owners.ts";
import { isNormalAbsolute, under } from "./root.ts";

export type Difference = "missing" | "content" | "mode" | "owner" | "kind";

export interface EntryChange {
  action: "create" | "update" | "unchanged";
  entry: PlannedEntry;
  /** What differs from the disk (empty when unchanged). */
  differences: Difference[];
  /** The bytes on disk before, for diffs, when the content differs; absent otherwise. */
  before?: Uint8Array;
  /** Owner and group the file should have; absent for links. */
  ids?: Ids;
}

export interface Removal {
  action: "remove";
  path: string;
}

export type Change = EntryChange | Removal;

export interface CompareOptions {
  root: string;
  /** Also list files the last run managed that the plan no longer has (boot does; render does not). */
  prune?: boolean;
  /** Files this run has already looked at and read, by their path under the root: compared with what was seen. */
  seen?: ReadonlyMap<string, SeenFile>;
}

export function computeChanges(entries: readonly PlannedEntry[], options: CompareOptions): Change[] {
  const owners = new OwnerResolver(options.root);
  // Owners are compared only where they can be changed: only root can, and only root is asked to.
  const canChown = Deno.uid() === 0;
  const absences = new KnownAbsences();
  const changes: Change[] = entries.map((entry) =>
    compareEntry(entry, options.root, owners, canChown, absences, options.seen)
  );
  if (options.prune) {
    // What the plan manages is its manifest when it has one: that also lists the paths it keeps without planning them.
    const manifest = entries.find((e) => e.path === MANIFEST);
    const planned = new Set(
      manifest?.kind === "file" && typeof manifest.content === "string"
        ? manifest.content.split("\n").filter(Boolean)
        : entries.map((e) => e.path),
    );
    for (const path of previouslyManaged(options.root)) {
      if (planned.has(path) || !isNormalAbsolute(path)) continue;
      try {
        const info = Deno.lstatSync(under(options.root, path));
        if (info.isFile || info.isSymlink) changes.push({ action: "remove", path });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
  return changes;
}

function compareEntry(
  entry: PlannedEntry,
  root: string,
  owners: OwnerResolver,
  canChown: boolean,
  absences: KnownAbsences,
  seenFiles: ReadonlyMap<string, SeenFile> | undefined,
): EntryChange {
  const target = under(root, entry.path);
  const missing = (): EntryChange => {
    const ids = entry.kind === "file" ? owners.resolve(entry.owner, entry.group) : undefined;
    return { action: "create", entry, differences: ["missing"], ids };
  };
  const seen = seenFiles?.get(target);
  if (!seen && absences.absent(target)) return missing();
  let info: Deno.FileInfo;
  try {
    info = seen?.info ?? Deno.lstatSync(target);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    absences.missed(target);
    return missing();
  }
  if (entry.kind === "symlink") {
    if (!info.isSymlink) return { action: "update", entry, differences: ["kind"] };
    const same = Deno.readLinkSync(target) === entry.target;
    return { action: same ? "unchanged" : "update", entry, differences: same ? [] : ["content"] };
  }
  const ids = owners.resolve(entry.owner, entry.group);
  if (!info.isFile) return { action: "update", entry, differences: ["kind"], ids };
  const differences: Difference[] = [];
  // The bytes before are kept only for a content that differs (the diff view shows them).
  const before = seen
    ? (sameContent(seen.content, entry.content) ? undefined : asBytes(seen.content))
    : (fileHolds(target, entry.content) ? undefined : Deno.readFileSync(target));
  if (before) differences.push("content");
  if (((info.mode ?? 0) & 0o7777) !== entry.mode) differences.push("mode");
  if (canChown && (info.uid !== ids.uid || info.gid !== ids.gid)) differences.push("owner");
  return { action: differences.length ? "update" : "unchanged", entry, differences, before, ids };
}

/** The paths the manifest of the last run lists. */
function previouslyManaged(root: string): string[] {
  try {
    return Deno.readTextFileSync(under(root, MANIFEST)).split("\n").filter(Boolean);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}
