/**
 * One boot at a time under a root: cluster-detect.service and an operator's rerun must not interleave their writes,
 * nor lose each other's boot record. An exclusive advisory lock (flock) on `<root>/run/clusterboot.lock` is held for
 * the whole boot; the file carries the holder's pid, for the message of whoever waits. The kernel drops the lock
 * when its holder dies, so a killed boot never blocks the next one.
 *
 * The holder removes the file when it is done, so a finished boot leaves nothing behind. Whoever locks an older
 * file (opened just before it was removed) sees that the path now names another file, and starts again.
 *
 * @example
 * ```ts
 * using lock = await takeBootLock("/", { timeoutMs: 60_000, onWait: (pid) => console.error(`waiting (pid ${pid})`) });
 * // ... the boot ...
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { dirname, under } from "./root.ts";
import { writeFailure } from "./write.ts";

/** The lock file, under the root. */
export const BOOT_LOCK = "/run/clusterboot.lock";

export interface BootLockOptions {
  /** How long to wait for another boot to finish, in milliseconds; 0 gives up at once. */
  timeoutMs: number;
  /** Called once, when another process holds the lock, with its pid when the file says. */
  onWait?: (holder: number | undefined) => void;
  /** How often to try again while waiting, in milliseconds (default 100). */
  pollMs?: number;
}

/** A held lock; `release()` (or leaving a `using` block) removes the file and unlocks. */
export interface BootLock extends Disposable {
  readonly path: string;
  /** Milliseconds spent waiting for another boot (0 when the lock was free). */
  readonly waitedMs: number;
  release(): void;
}

/**
 * Takes the boot lock under `root`, waiting up to `timeoutMs` for another holder. Throws an `EnvironmentError`
 * (exit 1) when the wait times out or the lock file cannot be made.
 */
export async function takeBootLock(root: string, options: BootLockOptions): Promise<BootLock> {
  const path = under(root, BOOT_LOCK);
  const began = performance.now();
  let announced = false;
  while (true) {
    const file = openLockFile(path);
    let locked: boolean;
    try {
      locked = file.tryLockSync(true);
    } catch (error) {
      file.close();
      throw writeFailure(error, path);
    }
    if (locked && sameFile(file, path)) {
      return held(file, path, announced ? Math.round(performance.now() - began) : 0);
    }
    file.close();
    if (locked) continue; // an older file, removed by its holder as we opened it: try the new one
    const holder = holderOf(path);
    if (!announced) options.onWait?.(holder);
    announced = true;
    const waited = performance.now() - began;
    if (waited >= options.timeoutMs) {
      throw new EnvironmentError(
        `another clusterboot boot${holder ? ` (pid ${holder})` : ""} still holds ${path} after ${
          Math.round(waited / 1000)
        } s`,
        "let it finish (systemctl status cluster-detect.service), or wait longer with --lock-timeout SECONDS",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/** Opens (making it when needed) the lock file; read-only when the file system is, since flock needs no writing. */
function openLockFile(path: string): Deno.FsFile {
  try {
    Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    return Deno.openSync(path, { read: true, write: true, create: true, mode: 0o644 });
  } catch (error) {
    try {
      return Deno.openSync(path, { read: true });
    } catch {
      throw writeFailure(error, path);
    }
  }
}

/** Whether `path` still names the open `file` (its holder removes it on release). */
function sameFile(file: Deno.FsFile, path: string): boolean {
  try {
    return file.statSync().ino === Deno.statSync(path).ino;
  } catch {
    return false;
  }
}

function held(file: Deno.FsFile, path: string, waitedMs: number): BootLock {
  try {
    file.truncateSync(0);
    file.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));
  } catch {
    // A read-only lock file still locks; the pid is only for the messages of whoever waits.
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      Deno.removeSync(path);
    } catch {
      // Read-only, or already gone: the lock itself goes with the file handle.
    }
    file.close();
  };
  return { path, waitedMs, release, [Symbol.dispose]: release };
}

/** The pid the lock file names, when it names one. */
function holderOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(Deno.readTextFileSync(path), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
