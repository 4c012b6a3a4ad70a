/**
 * A root's whole content as data — every file's bytes, mode and owner, every link's target, every directory — so
 * tests can say "this tree is byte-identical to that one" or "each file here is either the old or the new version".
 *
 * @module
 */

/** One entry of a tree. */
export interface TreeNode {
  kind: "file" | "link" | "dir";
  /** Permission bits (0o7777); 0 for links. */
  mode: number;
  uid: number;
  gid: number;
  /** A file's content. */
  bytes?: Uint8Array;
  /** A link's target. */
  target?: string;
}

/** Path under the root (`/etc/hosts`) → entry; the root itself is not in it. */
export type Tree = Map<string, TreeNode>;

/** The temporary files of clusterboot's atomic writer: `.<name>.clusterboot-<pid>-<random>`. */
export const WRITER_TEMP = /^\..+\.clusterboot-\d+-[0-9a-f]+$/;

/** Reads every entry under `root`, asynchronously (tests kill processes on timers meanwhile). */
export async function readTree(root: string): Promise<Tree> {
  const tree: Tree = new Map();
  const walk = async (rel: string): Promise<void> => {
    const entries: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(`${root}${rel}`)) entries.push(entry);
    for (const entry of entries) {
      const path = `${rel}/${entry.name}`;
      const full = `${root}${path}`;
      const info = await Deno.lstat(full);
      const owner = { uid: info.uid ?? 0, gid: info.gid ?? 0 };
      if (info.isSymlink) tree.set(path, { kind: "link", mode: 0, ...owner, target: await Deno.readLink(full) });
      else if (info.isDirectory) {
        tree.set(path, { kind: "dir", mode: info.mode! & 0o7777, ...owner });
        await walk(path);
      } else tree.set(path, { kind: "file", mode: info.mode! & 0o7777, ...owner, bytes: await Deno.readFile(full) });
    }
  };
  await walk("");
  return tree;
}

/** Whether two entries are the same: kind, mode, owner, and bytes or target. Two absent entries are the same. */
export function sameNode(a: TreeNode | undefined, b: TreeNode | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind !== b.kind || a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.target !== b.target) {
    return false;
  }
  if (!a.bytes || !b.bytes) return a.bytes === b.bytes;
  return a.bytes.length === b.bytes.length && a.bytes.every((byte, i) => byte === b.bytes![i]);
}

/** What differs between two trees, one line per path (at most `limit`), leaving out paths `skip` names. */
export function treeDifferences(actual: Tree, expected: Tree, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const path of new Set([...actual.keys(), ...expected.keys()])) {
    if (skip(path)) continue;
    const [a, e] = [actual.get(path), expected.get(path)];
    if (sameNode(a, e)) continue;
    const show = (n?: TreeNode) =>
      n ? `${n.kind} ${n.mode.toString(8)} ${n.uid}:${n.gid} ${n.bytes?.length ?? n.target ?? ""}` : "absent";
    out.push(`${path}: ${show(a)}, expected ${show(e)}`);
  }
  return out.sort();
}

/** The last part of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
