/**
 * Atomic writes: a temporary file in the same directory, written and fsynced, given its mode and owner, renamed
 * over the target, then the directory fsynced. A crash leaves the old file or the new one, never a torn one; what it
 * may leave is the temporary file, named `.<name>.clusterboot-<pid>-<random>`, which the next run removes once that
 * process is gone (`removeStaleTemps`).
 *
 * @module
 */
import { basename, dirname } from "./root.ts";
import type { Ids } from "./owners.ts";
import { EnvironmentError } from "../errors.ts";

export interface WriteOptions {
  mode: number;
  /** Set owner and group (only when running as root). */
  ids?: Ids;
  /** Mode of directories created on the way (0755, or 0700 for secrets). */
  dirMode?: number;
}

/** Creates `path` (it must not exist), 0600, writes all of `bytes` and fsyncs it. */
export function writeNewFile(path: string, bytes: Uint8Array): void {
  const file = Deno.openSync(path, { write: true, createNew: true, mode: 0o600 });
  try {
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    file.syncSync();
  } finally {
    file.close();
  }
}

/** Writes `bytes` to `path` atomically. */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: WriteOptions): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true, mode: options.dirMode ?? 0o755 });
  const temp = tempName(path);
  try {
    writeNewFile(temp, bytes);
    Deno.chmodSync(temp, options.mode);
    if (options.ids && Deno.uid() === 0) Deno.chownSync(temp, options.ids.uid, options.ids.gid);
    Deno.renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  syncDir(dir);
}

/** Points `path` at `target` atomically (a new link renamed over the old). */
export function symlinkAtomic(path: string, target: string): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const temp = tempName(path);
  try {
    Deno.symlinkSync(target, temp);
    Deno.renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  syncDir(dir);
}

/** Sets mode and owner of an existing file whose content is already right. */
export function fixAttributes(path: string, options: WriteOptions): void {
  Deno.chmodSync(path, options.mode);
  if (options.ids && Deno.uid() === 0) Deno.chownSync(path, options.ids.uid, options.ids.gid);
}

/** Removes a file or link, then makes the removal durable. */
export function removeFile(path: string): void {
  Deno.removeSync(path);
  syncDir(dirname(path));
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone, or never created
  }
}

function tempName(path: string): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(16);
  return `${dirname(path)}/.${basename(path)}.clusterboot-${Deno.pid}-${random}`;
}

/** A temporary file of `writeFileAtomic` or `symlinkAtomic`; the group is the writer's pid. */
const TEMP_NAME = /^\..+\.clusterboot-(\d+)-[0-9a-f]+$/;

/** Whether process `pid` runs, as /proc says; when there is no /proc to ask, it is assumed to run. */
function running(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return true;
    try {
      Deno.statSync("/proc/self");
      return false;
    } catch {
      return true;
    }
  }
}

/**
 * Removes the temporary files in `dirs` that a writer killed mid-write left behind: only names of this module's
 * pattern, and only when their writer's process is gone, so a `render` writing beside a boot keeps its own. Missing
 * directories are skipped. Returns the paths removed.
 *
 * @example
 * ```ts
 * removeStaleTemps(["/tmp/root/etc/cluster-config"]); // [] when no run was interrupted
 * ```
 */
export function removeStaleTemps(dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: Deno.DirEntry[];
    try {
      names = [...Deno.readDirSync(dir)];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) continue;
      throw error;
    }
    for (const { name } of names) {
      const match = TEMP_NAME.exec(name);
      if (!match || Number(match[1]) === Deno.pid || running(Number(match[1]))) continue;
      try {
        Deno.removeSync(`${dir}/${name}`);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw writeFailure(error, `${dir}/${name}`);
      }
      removed.push(`${dir}/${name}`);
    }
  }
  return removed;
}

/**
 * The one-line error for a write under the root that failed: the path and the cause in words (a full disk, a
 * read-only file system, missing permission) instead of the system's message with its error number.
 *
 * @example
 * ```ts
 * writeFailure(new Error("No space left on device (os error 28)"), "/etc/hosts").message;
 * // "cannot write /etc/hosts: no space left on device"
 * ```
 */
export function writeFailure(error: unknown, path: string): EnvironmentError {
  if (error instanceof EnvironmentError) return error;
  const message = (error as Error).message ?? String(error);
  if (error instanceof Deno.errors.PermissionDenied || /permission denied|os error 13\b/i.test(message)) {
    return new EnvironmentError(`cannot write ${path}: permission denied`, "run as root, or choose a writable --root");
  }
  if (/read-only file system|os error 30\b/i.test(message)) {
    return new EnvironmentError(`cannot write ${path}: the file system is read-only`);
  }
  if (/no space left|os error 28\b/i.test(message)) {
    return new EnvironmentError(`cannot write ${path}: no space left on device`, "free some space and rerun");
  }
  if (/quota exceeded|os error 122\b/i.test(message)) {
    return new EnvironmentError(`cannot write ${path}: disk quota exceeded`, "free some space and rerun");
  }
  const cause = message.replace(/ \(os error \d+\)$/, "");
  return new EnvironmentError(`cannot write ${path}: ${cause.charAt(0).toLowerCase()}${cause.slice(1)}`);
}

/** Makes a directory's entries durable (created, renamed or removed names). */
export function syncDir(dir: string): void {
  const handle = Deno.openSync(dir, { read: true });
  try {
    handle.syncSync();
  } finally {
    handle.close();
  }
}
