/**
 * Reading generations back: their records, the bytes they kept, and the state of the same paths on disk now.
 *
 * @example
 * ```ts
 * const history = listGenerations("/");
 * const stored = loadCopies("/", history.filter((g) => g.number >= 4));
 * const disk = readDiskStates("/", restorePaths(history, 4));
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { GENERATIONS_DIR } from "../plan/paths.ts";
import { COPIES_DIR, decodeGeneration, type Generation, GENERATION_FILE } from "./generation.ts";
import { generationNumbers } from "./generation_record.ts";
import type { DiskState, StoredGeneration } from "./restore.ts";
import { under } from "./root.ts";

/** The directory holding the generations under `root`. */
export function generationsDir(root: string): string {
  return under(root, GENERATIONS_DIR);
}

/** Every kept generation under `root`, oldest first; none when boot never recorded one. */
export function listGenerations(root: string): Generation[] {
  const dir = generationsDir(root);
  return readOrExplain(dir, () =>
    generationNumbers(dir).map((number) => {
      const path = `${dir}/${number}/${GENERATION_FILE}`;
      try {
        return decodeGeneration(Deno.readTextFileSync(path), number);
      } catch (error) {
        if (error instanceof SyntaxError || error instanceof Deno.errors.NotFound) {
          throw new EnvironmentError(
            `${path} is damaged: ${error.message}`,
            `remove the directory ${dir}/${number} to drop that generation`,
          );
        }
        throw error;
      }
    }));
}

/** The generations with the bytes of the files they kept. */
export function loadCopies(root: string, generations: readonly Generation[]): StoredGeneration[] {
  const dir = generationsDir(root);
  return readOrExplain(dir, () =>
    generations.map((generation) => {
      const copies = new Map<string, Uint8Array>();
      for (const entry of generation.entries) {
        if (entry.before.kind !== "file") continue;
        const path = `${dir}/${generation.number}/${COPIES_DIR}${entry.path}`;
        try {
          copies.set(entry.path, Deno.readFileSync(path));
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
          throw new EnvironmentError(`generation ${generation.number} lacks its copy of ${entry.path} (${path})`);
        }
      }
      return { generation, copies };
    }));
}

/** What each of `paths` is under `root` now. */
export function readDiskStates(root: string, paths: readonly string[]): Map<string, DiskState> {
  const states = new Map<string, DiskState>();
  for (const path of paths) {
    const target = under(root, path);
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(target);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      states.set(path, { kind: "absent" });
      continue;
    }
    if (info.isSymlink) states.set(path, { kind: "symlink", target: Deno.readLinkSync(target) });
    else if (info.isDirectory) states.set(path, { kind: "directory" });
    else if (info.isFile) {
      states.set(path, {
        kind: "file",
        mode: (info.mode ?? 0) & 0o7777,
        uid: info.uid ?? 0,
        gid: info.gid ?? 0,
        bytes: Deno.readFileSync(target),
      });
    } else states.set(path, { kind: "absent" }); // a socket or device node: as boot sees it, not a managed file
  }
  return states;
}

/** Runs `read`, turning a refused read of the root-only generations into advice. */
function readOrExplain<T>(dir: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new EnvironmentError(`cannot read ${dir}: permission denied`, "generations are readable by root only");
    }
    throw error;
  }
}
