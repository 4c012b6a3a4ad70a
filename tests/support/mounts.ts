/**
 * Scratch file systems for tests that run as root: a tmpfs of a chosen size at a new temporary directory (a root
 * that fills up, or that is remounted read-only), unmounted and removed when the test is done, even when it fails.
 *
 * @module
 */
import { tempDir } from "./cli.ts";

const decoder = new TextDecoder();

/** Runs a command, failing with its stderr when it fails. */
export async function must(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdin: "null" }).output();
  if (out.code !== 0) throw new Error(`${command} ${args.join(" ")}: ${decoder.decode(out.stderr).trim()}`);
  return decoder.decode(out.stdout);
}

export interface Tmpfs extends AsyncDisposable {
  path: string;
  /** Mounts another tmpfs at `dir` inside this one (unmounted with it). */
  mountInside(dir: string, options: string): Promise<void>;
  /** `mount -o remount,OPTIONS`. */
  remount(options: string): Promise<void>;
  /** Free space as the file system reports it (`stat -f`). */
  free(): Promise<{ blocks: number; blockSize: number }>;
}

/** A tmpfs mounted with `options` (e.g. `size=1m`) at a new temporary directory. */
export async function tmpfs(options: string, prefix = "clusterboot-tmpfs-"): Promise<Tmpfs> {
  const dir = await tempDir(prefix);
  try {
    await must("mount", ["-t", "tmpfs", "-o", `${options},mode=0755`, "tmpfs", dir.path]);
  } catch (error) {
    await dir[Symbol.asyncDispose]();
    throw new Error(`mounting a tmpfs needs root: ${(error as Error).message}`);
  }
  const inner: string[] = [];
  return {
    path: dir.path,
    async mountInside(sub: string, subOptions: string) {
      await Deno.mkdir(sub, { recursive: true });
      await must("mount", ["-t", "tmpfs", "-o", subOptions, "tmpfs", sub]);
      inner.push(sub);
    },
    remount: (more: string) => must("mount", ["-o", `remount,${more}`, dir.path]).then(() => {}),
    async free() {
      const [blocks, blockSize] = (await must("stat", ["-f", "-c", "%a %S", dir.path])).trim().split(" ").map(Number);
      return { blocks, blockSize };
    },
    async [Symbol.asyncDispose]() {
      for (const sub of inner.reverse()) await must("umount", [sub]).catch(() => {});
      await must("umount", [dir.path]).catch(() => {});
      await dir[Symbol.asyncDispose]();
    },
  };
}
