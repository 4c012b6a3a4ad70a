/**
 * Showing a plan against the disk: one line per change for people, a document for `--json`, unified diffs for
 * `--diff`. Secret files are named but their content never shown.
 *
 * @module
 */
import type { Change } from "../apply/changes.ts";
import { summarize } from "../apply/apply.ts";
import { contentBytes, type Plan } from "../plan/types.ts";
import type { DataDiskPlan } from "../plan/data_disk.ts";

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

function counts(changes: readonly Change[]): Record<string, number> {
  const n: Record<string, number> = { create: 0, update: 0, remove: 0, unchanged: 0 };
  for (const c of changes) n[c.action]++;
  return n;
}

/** A short summary, e.g. `3 created, 1 updated, 0 removed, 50 unchanged`. */
export function changeCounts(changes: readonly Change[], tense: "past" | "future"): string {
  const n = counts(changes);
  return tense === "past"
    ? `${n.create} created, ${n.update} updated, ${n.remove} removed, ${n.unchanged} unchanged`
    : `${n.create} to create, ${n.update} to update, ${n.remove} to remove, ${n.unchanged} unchanged`;
}

/** One line for a change, e.g. `create  0644 root      /etc/hosts`. */
export function changeLine(change: Change): string {
  if (change.action === "remove") return `  remove                      ${change.path}`;
  const { entry } = change;
  const what = entry.kind === "symlink"
    ? `link                ${entry.path} -> ${entry.target}`
    : `${octal(entry.mode)} ${(entry.owner ?? "root").padEnd(14)} ${entry.path}`;
  const why = change.action === "update" ? ` (${change.differences.join(", ")})` : "";
  const secret = entry.kind === "file" && entry.secret ? " (secret)" : "";
  return `  ${change.action.padEnd(9)} ${what}${why}${secret}`;
}

/** The plan for people: a headline, each change (unchanged entries only with `all`), the units to start. */
export function describePlan(plan: Plan, changes: readonly Change[], root: string, all = false): string {
  const lines = [`plan for node ${plan.node} under ${root}: ${changeCounts(changes, "future")}`];
  for (const change of changes) if (all || change.action !== "unchanged") lines.push(changeLine(change));
  const { restarts, unitFilesChanged } = summarize(changes);
  if (unitFilesChanged) lines.push("systemd: daemon-reload");
  if (restarts.length) lines.push(`restart if running: ${restarts.join(" ")}`);
  lines.push(`start if not running: ${plan.start.join(" ") || "(nothing)"}`);
  if (plan.dataDisk) lines.push(`data disk: ${dataDiskLine(plan.dataDisk)}`);
  return lines.join("\n");
}

/** What boot does with a data disk, e.g. `/dev/vdb (formatted only if blank) on /var/lib/clusterdata for ...`. */
export function dataDiskLine(disk: DataDiskPlan): string {
  return `${disk.device} (formatted only if blank) on ${disk.mountPoint}, holding ${
    disk.binds.map((b) => b.target).join(" ") || "no state directories"
  }`;
}

/** The plan as data: every entry with its action, no file content. */
export function planJson(plan: Plan, changes: readonly Change[], root: string): unknown {
  const { restarts, unitFilesChanged } = summarize(changes);
  return {
    node: plan.node,
    root,
    entries: changes.map((c) =>
      c.action === "remove" ? { path: c.path, action: "remove" } : {
        path: c.entry.path,
        action: c.action,
        differences: c.differences,
        kind: c.entry.kind,
        ...(c.entry.kind === "file"
          ? {
            mode: octal(c.entry.mode),
            owner: c.entry.owner ?? "root",
            group: c.entry.group ?? c.entry.owner ?? "root",
            bytes: contentBytes(c.entry).length,
            secret: c.entry.secret ?? false,
          }
          : { target: c.entry.target }),
        restarts: c.entry.restarts ?? [],
      }
    ),
    daemonReload: unitFilesChanged,
    restart: restarts,
    start: plan.start,
    ...(plan.dataDisk ? { dataDisk: plan.dataDisk } : {}),
  };
}

/** Unified diffs of every change against the disk; the diff library loads only here. */
export async function unifiedDiffs(changes: readonly Change[]): Promise<string> {
  const { createTwoFilesPatch } = await import("diff");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const text = (bytes: Uint8Array | undefined) => {
    try {
      return bytes === undefined ? "" : decoder.decode(bytes);
    } catch {
      return undefined;
    }
  };
  const parts: string[] = [];
  for (const change of changes) {
    if (change.action === "unchanged") continue;
    if (change.action === "remove") {
      parts.push(`--- a${change.path}\n+++ /dev/null\n(removed)\n`);
      continue;
    }
    const { entry } = change;
    if (entry.kind === "symlink") {
      parts.push(`--- a${entry.path}\n+++ b${entry.path}\n+symlink -> ${entry.target}\n`);
      continue;
    }
    if (entry.secret) {
      parts.push(
        `--- a${entry.path}\n+++ b${entry.path}\n(secret: ${
          change.differences.join(", ")
        } differ; content not shown)\n`,
      );
      continue;
    }
    if (!change.differences.includes("content") && !change.differences.includes("missing")) {
      parts.push(`--- a${entry.path}\n+++ b${entry.path}\n(${change.differences.join(", ")} only)\n`);
      continue;
    }
    const before = text(change.before);
    const after = text(contentBytes(entry));
    if (before === undefined || after === undefined) {
      parts.push(`--- a${entry.path}\n+++ b${entry.path}\n(binary content differs)\n`);
      continue;
    }
    const from = change.action === "create" ? "/dev/null" : `a${entry.path}`;
    parts.push(
      createTwoFilesPatch(from, `b${entry.path}`, before, after, "", "", { context: 3 })
        .split("\n").slice(1).join("\n"),
    );
  }
  return parts.join("\n");
}
