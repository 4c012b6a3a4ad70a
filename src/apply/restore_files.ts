/**
 * Carrying out a restore plan under a root with the same atomic writer as apply: each file written to a temporary
 * name and renamed over, each removal made durable. The caller records the rollback's own generation first.
 *
 * @example
 * ```ts
 * restoreFiles(plan, { root: "/", onStep: (step) => console.error(step.path) });
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import type { RestorePlan, RestoreStep } from "./restore.ts";
import { under } from "./root.ts";
import { fixAttributes, removeFile, symlinkAtomic, writeFileAtomic } from "./write.ts";

export interface RestoreFilesOptions {
  root: string;
  /** Called after each step is done, for progress logs. */
  onStep?: (step: RestoreStep) => void;
}

/** Makes every step of `plan`, in its order; stops at the first failure with an error naming the path. */
export function restoreFiles(plan: RestorePlan, options: RestoreFilesOptions): void {
  for (const step of plan.steps) {
    const target = under(options.root, step.path);
    if (step.directory) {
      throw new EnvironmentError(`${target} is a directory where clusterboot manages a file`, "move it away and rerun");
    }
    try {
      restoreStep(step, target);
    } catch (error) {
      const reason = error instanceof Deno.errors.PermissionDenied ? "permission denied" : (error as Error).message;
      throw new EnvironmentError(`cannot restore ${target}: ${reason}`);
    }
    options.onStep?.(step);
  }
}

function restoreStep(step: RestoreStep, target: string): void {
  const { to } = step;
  if (to.kind === "absent") return removeFile(target);
  if (to.kind === "symlink") return symlinkAtomic(target, to.target);
  const options = { mode: to.mode, ids: { uid: to.uid, gid: to.gid }, dirMode: 0o755 };
  const onlyAttributes = step.action === "update" && step.differences.every((d) => d === "mode" || d === "owner");
  if (onlyAttributes) fixAttributes(target, options);
  else writeFileAtomic(target, step.bytes!, options);
}
