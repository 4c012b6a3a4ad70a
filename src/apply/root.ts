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
