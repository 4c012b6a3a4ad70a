/**
 * Planning a rollback: which paths to bring back to the state a generation recorded, compared with what is on
 * disk now. Pure: the generations, their kept bytes and the disk's state come in as data.
 *
 * Restoring generation N undoes change N and every later one: each path takes the state recorded by the earliest
 * of those generations that touched it, which is the state it had just before change N.
 *
 * @example
 * ```ts
 * const plan = planRestore(history, 4, disk, { compareOwners: true });
 * plan.steps; // [{ path: "/etc/mosquitto/mosquitto.conf", action: "update", differences: ["content"], ... }]
 * ```
 * @module
 */
import { equalBytes } from "../text/bytes.ts";
import { MANIFEST } from "../plan/paths.ts";
import { type Generation, type GenerationAction, type PriorState, touchesUnitFiles } from "./generation.ts";

/** A generation with the bytes of the files it kept, by path. */
export interface StoredGeneration {
  generation: Generation;
  copies: ReadonlyMap<string, Uint8Array>;
}

/** A path on disk now. */
export type DiskState =
  | { kind: "absent" }
  | { kind: "file"; mode: number; uid: number; gid: number; bytes: Uint8Array }
  | { kind: "symlink"; target: string }
  | { kind: "directory" };

/** What differs between the disk and the state to restore. */
export type RestoreDifference = "missing" | "extra" | "kind" | "content" | "mode" | "owner";

/** One path to change. */
export interface RestoreStep {
  path: string;
  action: "create" | "update" | "remove";
  /** The state to bring back. */
  to: PriorState;
  /** A file's bytes to write back (absent for links and removals). */
  bytes?: Uint8Array;
  /** Whether the disk has a directory there, which a restore refuses to replace. */
  directory: boolean;
  differences: RestoreDifference[];
  /** Units that read this file, from every kept generation that touched it. */
  units: string[];
}

export interface RestorePlan {
  /** The generation whose state is brought back. */
  target: number;
  /** The changes undone: the target and every later generation, ascending. */
  undone: number[];
  /** Paths to change: writes first, then removals, the manifest of managed files last (as apply orders them). */
  steps: RestoreStep[];
  /** Paths already as the target recorded them. */
  unchanged: number;
  /** Units to restart if they run: those of written files (a removal restarts nothing, as in boot). */
  restarts: string[];
  unitFilesChanged: boolean;
}

export interface RestoreOptions {
  /** Whether owners count as a difference: only root can set them (default true). */
  compareOwners?: boolean;
}

/** The paths a restore of `target` looks at: every path the target and later generations touched. */
export function restorePaths(history: readonly Generation[], target: number): string[] {
  const paths = new Set<string>();
  for (const g of history) if (g.number >= target) { for (const e of g.entries) paths.add(e.path); }
  return [...paths].sort();
}

/**
 * The steps that bring the disk back to the state just before change `target`. `history` is every kept generation
 * (ascending or not); only the target and later ones need their copies. Throws a RangeError when `target` is not
 * in `history` or a kept file's bytes are missing.
 */
export function planRestore(
  history: readonly StoredGeneration[],
  target: number,
  disk: ReadonlyMap<string, DiskState>,
  options: RestoreOptions = {},
): RestorePlan {
  const sorted = [...history].sort((a, b) => a.generation.number - b.generation.number);
  if (!sorted.some((s) => s.generation.number === target)) throw new RangeError(`no generation ${target}`);
  const undone = sorted.filter((s) => s.generation.number >= target);
  const unitsByPath = new Map<string, Set<string>>();
  for (const { generation } of sorted) {
    for (const entry of generation.entries) {
      const units = unitsByPath.get(entry.path) ?? new Set<string>();
      for (const unit of entry.units) units.add(unit);
      unitsByPath.set(entry.path, units);
    }
  }
  // The earliest undone generation that touched a path holds its state from before `target`.
  const wanted = new Map<string, { to: PriorState; bytes?: Uint8Array }>();
  for (const { generation, copies } of undone) {
    for (const entry of generation.entries) {
      if (wanted.has(entry.path)) continue;
      const bytes = entry.before.kind === "file" ? copies.get(entry.path) : undefined;
      if (entry.before.kind === "file" && bytes === undefined) {
        throw new RangeError(`generation ${generation.number} lacks its copy of ${entry.path}`);
      }
      wanted.set(entry.path, { to: entry.before, bytes });
    }
  }
  const steps: RestoreStep[] = [];
  for (const [path, { to, bytes }] of [...wanted].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const now = disk.get(path) ?? { kind: "absent" };
    const differences = compare(now, to, bytes, options.compareOwners ?? true);
    if (differences.length === 0) continue;
    const action = to.kind === "absent" ? "remove" : now.kind === "absent" ? "create" : "update";
    const units = [...(unitsByPath.get(path) ?? [])].sort();
    steps.push({ path, action, to, bytes, directory: now.kind === "directory", differences, units });
  }
  const restarts = new Set<string>();
  for (const step of steps) if (step.action !== "remove") { for (const unit of step.units) restarts.add(unit); }
  return {
    target,
    undone: undone.map((s) => s.generation.number),
    steps: order(steps),
    unchanged: wanted.size - steps.length,
    restarts: [...restarts].sort(),
    unitFilesChanged: touchesUnitFiles(steps.map((s) => s.path)),
  };
}

/** What a restore step does, as the rollback's own generation records it. */
export function pastAction(step: RestoreStep): GenerationAction {
  return step.action === "create" ? "created" : step.action === "update" ? "updated" : "removed";
}

function compare(now: DiskState, to: PriorState, bytes: Uint8Array | undefined, owners: boolean): RestoreDifference[] {
  if (to.kind === "absent") return now.kind === "absent" ? [] : ["extra"];
  if (now.kind === "absent") return ["missing"];
  if (now.kind !== to.kind) return ["kind"];
  if (to.kind === "symlink") return (now as { target: string }).target === to.target ? [] : ["content"];
  const file = now as Extract<DiskState, { kind: "file" }>;
  const differences: RestoreDifference[] = [];
  if (!equalBytes(file.bytes, bytes!)) differences.push("content");
  if (file.mode !== to.mode) differences.push("mode");
  if (owners && (file.uid !== to.uid || file.gid !== to.gid)) differences.push("owner");
  return differences;
}

/** Writes and links first, then removals, the manifest last: a crash leaves a manifest that still lists them. */
function order(steps: RestoreStep[]): RestoreStep[] {
  const rank = (s: RestoreStep) => s.path === MANIFEST ? 2 : s.action === "remove" ? 1 : 0;
  return steps.map((step, i) => ({ step, i })).sort((a, b) => rank(a.step) - rank(b.step) || a.i - b.i)
    .map(({ step }) => step);
}
