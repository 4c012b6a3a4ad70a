/**
 * Paths under a target root: `/` on a node, a scratch directory in tests and image builds.
 *
 * @module
 */

/** `path` (absolute on the node) as seen from the process, under `root`. */
export function under(root: string, path: string): string {
  // Trailing slashes dropped by hand: boot calls this for every file, and a regular expression costs more cold.
  let end = root.length;
  while (end > 0 && root[end - 1] === "/") end--;
  return root.slice(0, end) + path;
}

/** The directory part of an absolute path. */
export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** The last part of a path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Whether `path` is absolute and normal: no empty, `.` or `..` parts, so it cannot leave the root. */
export function isNormalAbsolute(path: string): boolean {
  return path.startsWith("/") && path.length > 1 &&
    path.slice(1).split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/**
 * Whether `path` (absolute on the node) exists under `root`, found by listing the directories on the way down from
 * the root rather than by a look-up that fails: the runtime makes the first failed file-system call of a process
 * into an error at a cost of 0.3-0.6 ms here, and boot asks about a path a first boot does not have yet. A root that
 * is not there, or a directory on the way that cannot be listed, counts as absent.
 */
export function presentUnder(root: string, path: string): boolean {
  let dir = under(root, "") || "/";
  for (const part of path.split("/").filter(Boolean)) {
    let found = false;
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.name === part) {
          found = true;
          break;
        }
      }
    } catch {
      return false;
    }
    if (!found) return false;
    dir = dir.endsWith("/") ? `${dir}${part}` : `${dir}/${part}`;
  }
  return true;
}
