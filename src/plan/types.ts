/**
 * A plan: everything boot would write and start for one node, computed without touching the disk.
 *
 * @module
 */
import type { DataDiskPlan } from "./data_disk.ts";
import { asBytes } from "../text/bytes.ts";

/** A regular file the node should have. */
export interface PlannedFile {
  kind: "file";
  /** Absolute path on the node, e.g. `/etc/cluster-config/node-identity`. */
  path: string;
  content: string | Uint8Array;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** User and group names, resolved against the target root's /etc/passwd and /etc/group; root when absent. */
  owner?: string;
  group?: string;
  /** Key material or passwords: never printed, diffed or logged. */
  secret?: boolean;
  /** Units to restart when this file changes while they run. */
  restarts?: string[];
}

/** A symbolic link the node should have. */
export interface PlannedLink {
  kind: "symlink";
  path: string;
  /** The link's target, as written into the link (relative targets stay relative). */
  target: string;
  restarts?: string[];
}

export type PlannedEntry = PlannedFile | PlannedLink;

export interface Plan {
  node: string;
  /** Sorted by path; each path once. */
  entries: PlannedEntry[];
  /** Units to start (targets, and instances of template units), in order. */
  start: string[];
  /** The data disk to mount before any file is written, when the node names one. */
  dataDisk?: DataDiskPlan;
}

/** The bytes of a planned file's content. */
export function contentBytes(file: PlannedFile): Uint8Array {
  return asBytes(file.content);
}
