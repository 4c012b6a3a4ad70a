/**
 * Recording a generation before a change: each path the change will touch is kept as it is now, in a directory
 * written completely under a temporary name, fsynced, then renamed to its number. A crash leaves either no new
 * generation (and no file touched yet) or a whole one, never an apply without its undo record.
 *
 * Generations live in `<root>/var/lib/clusterboot/generations/<N>/`, a directory only root may enter (0700). Kept
 * files are copies owned by the recording user with mode 0600, whatever their original mode: a generation never
 * makes a secret readable. The original mode and owner are in `generation.json`, and a restore gives them back.
 *
 * @example
 * ```ts
 * const generation = recordGeneration(intendedChanges(changes), { root, cause: "boot", node: "worker-01" });
 * generation?.number; // 3, or undefined when nothing changes
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { GENERATIONS_DIR } from "../plan/paths.ts";
import {
  COPIES_DIR,
  encodeGeneration,
  type Generation,
  GENERATION_FILE,
  type GenerationCause,
  type GenerationEntry,
  type IntendedChange,
  KEEP_GENERATIONS,
  type PriorState,
} from "./generation.ts";
import { dirname, under } from "./root.ts";
import { syncDir, writeFailure, writeNewFile } from "./write.ts";

export interface RecordOptions {
  root: string;
  cause: GenerationCause;
  node?: string;
  /** Digest of the configuration being applied. */
  config?: string;
  /** For a rollback: the generation it restores. */
  restored?: number;
  /** How many generations to keep (default KEEP_GENERATIONS); the oldest beyond it are removed. */
  keep?: number;
  /** The clock (default: now), for tests. */
  now?: () => Date;
}

/** Name prefix of a generation being written; such a directory left by a crash is ignored, then removed. */
const PARTIAL = ".partial-";

/**
 * Records the state of every path in `changes` as generation N+1 and returns it; with no changes, does nothing and
 * returns undefined. Must run before the first of the changes is made.
 */
export function recordGeneration(changes: readonly IntendedChange[], options: RecordOptions): Generation | undefined {
  if (changes.length === 0) return undefined;
  const dir = under(options.root, GENERATIONS_DIR);
  try {
    return record(dir, changes, options);
  } catch (error) {
    // The same one-line "cannot write <path>: <cause>" as the files themselves get, naming the generations.
    throw writeFailure(error, dir);
  }
}

function record(dir: string, changes: readonly IntendedChange[], options: RecordOptions): Generation {
  // Parents as a node has them (0755); the generations themselves readable by root only.
  Deno.mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
  try {
    Deno.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  Deno.chmodSync(dir, 0o700);
  const numbers = generationNumbers(dir);
  const number = (numbers.at(-1) ?? 0) + 1;
  const partial = `${dir}/${PARTIAL}${number}-${crypto.getRandomValues(new Uint32Array(1))[0]}`;
  Deno.mkdirSync(partial, { mode: 0o700 });
  try {
    const made = new Set<string>([partial]);
    const entries: GenerationEntry[] = changes.map((change) => ({
      path: change.path,
      action: change.action,
      before: keep(options.root, change.path, partial, made),
      units: [...change.units],
    }));
    const generation: Generation = {
      number,
      time: (options.now?.() ?? new Date()).toISOString(),
      cause: options.cause,
      ...(options.node !== undefined ? { node: options.node } : {}),
      ...(options.config !== undefined ? { config: options.config } : {}),
      ...(options.restored !== undefined ? { restored: options.restored } : {}),
      entries,
    };
    writeNewFile(`${partial}/${GENERATION_FILE}`, new TextEncoder().encode(encodeGeneration(generation)));
    for (const path of made) syncDir(path);
    Deno.renameSync(partial, `${dir}/${number}`);
    syncDir(dir);
    prune(dir, [...numbers, number], options.keep ?? KEEP_GENERATIONS);
    return generation;
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
}

/** The numbers of the complete generations in `dir`, ascending. */
export function generationNumbers(dir: string): number[] {
  const numbers: number[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory && /^[1-9][0-9]*$/.test(entry.name)) numbers.push(Number(entry.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return numbers.sort((a, b) => a - b);
}

/** Keeps `path` as it is under the root: a copy of a file's bytes in the partial generation, or what a link says. */
function keep(root: string, path: string, partial: string, made: Set<string>): PriorState {
  const source = under(root, path);
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(source);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "absent" };
    throw error;
  }
  if (info.isSymlink) return { kind: "symlink", target: Deno.readLinkSync(source) };
  if (info.isDirectory) {
    // apply refuses this too; refusing here, before anything is written, leaves the node as it was.
    throw new EnvironmentError(`${source} is a directory where clusterboot manages a file`, "move it away and rerun");
  }
  if (!info.isFile) return { kind: "absent" }; // a socket or device node cannot be kept; a rollback removes the file
  const copy = `${partial}/${COPIES_DIR}${path}`;
  makeDirs(dirname(copy), made);
  writeNewFile(copy, Deno.readFileSync(source));
  return { kind: "file", mode: (info.mode ?? 0o644) & 0o7777, uid: info.uid ?? 0, gid: info.gid ?? 0 };
}

/** Creates the missing directories up to `dir` (0700), remembering each for the final fsync. */
function makeDirs(dir: string, made: Set<string>): void {
  if (made.has(dir)) return;
  makeDirs(dirname(dir), made);
  try {
    Deno.mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  made.add(dir);
}

/** Removes generations beyond the newest `keep`, and partial ones an earlier crash left. */
function prune(dir: string, numbers: readonly number[], keep: number): void {
  for (const number of numbers.slice(0, Math.max(0, numbers.length - keep))) {
    Deno.removeSync(`${dir}/${number}`, { recursive: true });
  }
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name.startsWith(PARTIAL)) removeQuietly(`${dir}/${entry.name}`);
  }
  syncDir(dir);
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch {
    // already gone
  }
}
