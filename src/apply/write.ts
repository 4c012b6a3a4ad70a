/**
 * Atomic writes: a temporary file in the same directory, written and fsynced, given its mode and owner, renamed
 * over the target, then the directory fsynced. A crash leaves the old file or the new one, never a torn one.
 *
 * @module
 */
import { basename, dirname } from "./root.ts";
import type { Ids } from "./owners.ts";

export interface WriteOptions {
  mode: number;
  /** Set owner and group (only when running as root). */
  ids?: Ids;
  /** Mode of directories created on the way (0755, or 0700 for secrets). */
  dirMode?: number;
}

/** Writes `bytes` to `path` atomically. */
export function writeFileAtomic(path: string, bytes: Uint8Array, options: WriteOptions): void {
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true, mode: options.dirMode ?? 0o755 });
  const temp = tempName(path);
  try {
    const file = Deno.openSync(temp, { write: true, createNew: true, mode: 0o600 });
    try {
      let written = 0;
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
      file.syncSync();
    } finally {
      file.close();
    }
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
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  return `${dirname(path)}/.${basename(path)}.clusterboot-${random}`;
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
