/**
 * Generations: the undo records of boot and rollback. Before a run changes any file, it keeps each path it is about
 * to touch as it was (absent, a file with its mode and owner, or a link) in a new numbered generation; generation N
 * is the state just before change N. The bytes of kept files sit beside `generation.json` under `files/`.
 *
 * This module is the data and the pure functions over it; generation_record.ts writes generations and
 * generation_store.ts reads them.
 *
 * @example
 * ```ts
 * const intended = intendedChanges(changes); // [{ path: "/etc/hosts", action: "updated", units: [] }, ...]
 * const text = encodeGeneration({ number: 1, time, cause: "boot", entries });
 * decodeGeneration(text, 1).entries.length; // entries.length
 * ```
 * @module
 */
import type { Change } from "./changes.ts";
import { UNIT_DIR } from "../plan/paths.ts";
import { isNormalAbsolute } from "./root.ts";

/** How many generations are kept; recording one more removes the oldest. */
export const KEEP_GENERATIONS = 10;
/** The metadata file in each generation's directory. */
export const GENERATION_FILE = "generation.json";
/** The directory in a generation holding the kept files, by their path on the node. */
export const COPIES_DIR = "files";

const FORMAT = 1;

/** A path as it was before a change: missing, a regular file (its bytes kept beside), or a symbolic link. */
export type PriorState =
  | { kind: "absent" }
  | { kind: "file"; mode: number; uid: number; gid: number }
  | { kind: "symlink"; target: string };

/** What a change did to a path. */
export type GenerationAction = "created" | "updated" | "removed";

/** A change about to be made: the path, what happens to it, and the units that read it. */
export interface IntendedChange {
  path: string;
  action: GenerationAction;
  /** Units to restart when this file changes (the plan's `restarts`). */
  units: readonly string[];
}

/** One path of a generation: what the change did and what was there before. */
export interface GenerationEntry extends IntendedChange {
  before: PriorState;
}

/** What made a generation. */
export type GenerationCause = "boot" | "rollback";

/** The record kept before one change. */
export interface Generation {
  number: number;
  /** When it was recorded, ISO 8601 in UTC. */
  time: string;
  cause: GenerationCause;
  /** The node the change was for. */
  node?: string;
  /** Digest of the configuration boot applied (the compiled snapshot's key). */
  config?: string;
  /** For a rollback: the generation whose state it brought back. */
  restored?: number;
  /** Sorted by path. */
  entries: GenerationEntry[];
}

const PAST: Record<Exclude<Change["action"], "unchanged">, GenerationAction> = {
  create: "created",
  update: "updated",
  remove: "removed",
};

/**
 * The changes of an apply as a generation records them; unchanged entries are left out. A removed file names no
 * units, as boot restarts nothing for a removal.
 */
export function intendedChanges(changes: readonly Change[]): IntendedChange[] {
  const out: IntendedChange[] = [];
  for (const change of changes) {
    if (change.action === "unchanged") continue;
    if (change.action === "remove") out.push({ path: change.path, action: "removed", units: [] });
    else out.push({ path: change.entry.path, action: PAST[change.action], units: change.entry.restarts ?? [] });
  }
  return out.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** The units whose files a generation's change touched, sorted. */
export function generationUnits(generation: Generation): string[] {
  return [...new Set(generation.entries.flatMap((e) => e.units))].sort();
}

/** Whether any of `paths` is a unit file, which needs `systemctl daemon-reload`. */
export function touchesUnitFiles(paths: Iterable<string>): boolean {
  for (const path of paths) if (path.startsWith(`${UNIT_DIR}/`)) return true;
  return false;
}

/** How many paths a generation's change created, updated and removed. */
export function countActions(generation: Generation): Record<GenerationAction, number> {
  const counts = { created: 0, updated: 0, removed: 0 };
  for (const entry of generation.entries) counts[entry.action]++;
  return counts;
}

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/** A generation as the text of its `generation.json` (modes in octal, as people read them). */
export function encodeGeneration(generation: Generation): string {
  const entries = generation.entries.map((e) => ({
    path: e.path,
    action: e.action,
    before: e.before.kind === "file" ? { ...e.before, mode: octal(e.before.mode) } : e.before,
    units: e.units,
  }));
  return JSON.stringify({ format: FORMAT, ...generation, entries }, null, 2) + "\n";
}

/**
 * The generation in `text`, checked field by field: a damaged record must not steer a restore. Throws a
 * `SyntaxError` saying what is wrong.
 */
export function decodeGeneration(text: string, number: number): Generation {
  const fail = (what: string): never => {
    throw new SyntaxError(`generation ${number}: ${what}`);
  };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof data !== "object" || data === null) return fail("expected an object");
  if (data.format !== FORMAT) fail(`expected format ${FORMAT}, got ${JSON.stringify(data.format)}`);
  if (data.number !== number) fail(`expected number ${number}, got ${JSON.stringify(data.number)}`);
  if (typeof data.time !== "string") fail("time is missing");
  if (data.cause !== "boot" && data.cause !== "rollback") fail(`unknown cause ${JSON.stringify(data.cause)}`);
  const optionalString = (key: string) => {
    if (data[key] !== undefined && typeof data[key] !== "string") fail(`${key} is not a string`);
    return data[key] as string | undefined;
  };
  if (data.restored !== undefined && !Number.isInteger(data.restored)) fail("restored is not a number");
  if (!Array.isArray(data.entries)) return fail("entries is not a list");
  const entries = data.entries.map((raw: unknown, i: number) =>
    decodeEntry(raw, (what) => fail(`entry ${i}: ${what}`))
  );
  return {
    number,
    time: data.time as string,
    cause: data.cause as GenerationCause,
    ...(optionalString("node") !== undefined ? { node: data.node as string } : {}),
    ...(optionalString("config") !== undefined ? { config: data.config as string } : {}),
    ...(data.restored !== undefined ? { restored: data.restored as number } : {}),
    entries,
  };
}

function decodeEntry(raw: unknown, fail: (what: string) => never): GenerationEntry {
  if (typeof raw !== "object" || raw === null) return fail("expected an object");
  const entry = raw as Record<string, unknown>;
  const path = entry.path;
  // Paths are joined under the root: only normal absolute ones, so a record cannot reach outside it.
  if (typeof path !== "string" || !isNormalAbsolute(path)) return fail(`bad path ${JSON.stringify(path)}`);
  if (entry.action !== "created" && entry.action !== "updated" && entry.action !== "removed") {
    return fail(`bad action ${JSON.stringify(entry.action)}`);
  }
  const units = entry.units;
  if (!Array.isArray(units) || !units.every((u) => typeof u === "string")) return fail("units is not a list of names");
  return { path, action: entry.action, before: decodePrior(entry.before, fail), units };
}

function decodePrior(raw: unknown, fail: (what: string) => never): PriorState {
  const before = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  if (before.kind === "absent") return { kind: "absent" };
  if (before.kind === "symlink" && typeof before.target === "string") {
    return { kind: "symlink", target: before.target };
  }
  if (before.kind === "file") {
    const mode = typeof before.mode === "string" && /^[0-7]{3,4}$/.test(before.mode)
      ? parseInt(before.mode, 8)
      : undefined;
    if (mode === undefined || !Number.isInteger(before.uid) || !Number.isInteger(before.gid)) {
      return fail("a file's mode, uid or gid is missing");
    }
    return { kind: "file", mode, uid: before.uid as number, gid: before.gid as number };
  }
  return fail(`bad prior state ${JSON.stringify(raw)}`);
}
