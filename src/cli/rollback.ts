/**
 * `clusterboot rollback`: brings the files back to the state a generation recorded, atomically file by file,
 * records that as a generation of its own (so a rollback can be rolled back), then restarts the running units whose
 * files changed.
 *
 * @module
 */
import { activate } from "../apply/activate.ts";
import { listGenerations, loadCopies, readDiskStates } from "../apply/generation_store.ts";
import { recordGeneration } from "../apply/generation_record.ts";
import { pastAction, planRestore, restorePaths, type RestorePlan, type RestoreStep } from "../apply/restore.ts";
import { restoreFiles } from "../apply/restore_files.ts";
import { CommandSystemctl } from "../apply/systemctl.ts";
import { EnvironmentError, UsageError } from "../errors.ts";
import { GENERATIONS_DIR } from "../plan/paths.ts";
import { type Parsed, parseFlags, stringFlag } from "./args.ts";
import { rootOf } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot rollback [--root DIR] [--to N] [--dry-run] [--json] [--activate | --no-activate]

Undoes the last change boot (or rollback) made to this node's files, or with --to N, change N and every later one:
each file goes back to its bytes, mode and owner from before, written atomically; files the changes created are
removed and files they removed come back. The rollback is itself recorded as a generation, so it can be undone the
same way. Then the units whose files changed are restarted if they run (daemon-reload first when unit files
changed); nothing else is started or stopped. "clusterboot generations" lists what each generation holds.

options:
  --root DIR     the root whose files to restore (default: /)
  --to N         restore the state from before change N (default: the latest generation)
  --dry-run      show what would change, and change nothing
  --json         print the result as JSON
  --activate     call systemctl even though --root is not / (for tests with a stand-in systemctl)
  --no-activate  restore files but call no systemctl

Exit codes: 0 restored (or nothing to restore), 1 no generation recorded or a write failed, 2 usage (e.g. --to a
generation that is not kept).

examples:
  clusterboot rollback --dry-run
  clusterboot rollback
  clusterboot rollback --to 3 --root /tmp/root --json`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.rollback);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const live = root === "/" || root.replace(/\/+$/, "") === "";
  const activating = parsed.activate === undefined ? live : parsed.activate === true;
  const requested = targetOf(parsed);

  const history = listGenerations(root);
  if (history.length === 0) {
    throw new EnvironmentError(
      `no generation recorded under ${root}: nothing to roll back`,
      `boot keeps one in ${GENERATIONS_DIR} each time it changes files`,
    );
  }
  const numbers = history.map((g) => g.number);
  const target = requested ?? numbers.at(-1)!;
  if (!numbers.includes(target)) {
    throw new UsageError(`no generation ${target} under ${root}`, `generations kept: ${numbers.join(", ")}`);
  }
  const stored = loadCopies(root, history.filter((g) => g.number >= target));
  const disk = readDiskStates(root, restorePaths(history, target));
  const older = history.filter((g) => g.number < target).map((generation) => ({
    generation,
    copies: new Map<string, Uint8Array>(),
  }));
  const plan = planRestore([...older, ...stored], target, disk, { compareOwners: Deno.uid() === 0 });

  if (parsed["dry-run"] || plan.steps.length === 0) {
    if (parsed.json) {
      out.result(JSON.stringify(resultJson(plan, root, { dryRun: Boolean(parsed["dry-run"]) }), null, 2));
    } else out.result(describeRestore(plan, root, parsed["dry-run"] ? "future" : "past"));
    return 0;
  }

  const recorded = await out.step(
    `restore generation ${target} under ${root}`,
    () => {
      const generation = recordGeneration(
        plan.steps.map((step) => ({ path: step.path, action: pastAction(step), units: step.units })),
        { root, cause: "rollback", node: history.at(-1)!.node, restored: target },
      )!;
      out.info(`generation ${generation.number} keeps the files as they were (clusterboot rollback undoes this one)`);
      restoreFiles(plan, { root, onStep: (step) => out.info(stepLine(step)) });
      return generation;
    },
    () => counts(plan, "past"),
  );
  let restarted: string[] | undefined;
  if (!activating) {
    out.info(
      `activation skipped (${parsed.activate === false ? "--no-activate" : `root ${root} is not /`})${
        plan.restarts.length ? `: would restart ${plan.restarts.join(" ")} if running` : ""
      }`,
    );
  } else {
    const report = await out.step(
      "activate",
      () =>
        activate(
          { start: [], restarts: plan.restarts, unitFilesChanged: plan.unitFilesChanged },
          new CommandSystemctl(),
        ),
      (r) =>
        [
          r.daemonReload ? "daemon-reload" : "",
          r.restarted.length ? `restarted ${r.restarted.join(" ")}` : "nothing to restart",
        ]
          .filter(Boolean).join("; "),
    );
    restarted = report.restarted;
  }
  if (parsed.json) {
    out.result(JSON.stringify(resultJson(plan, root, { generation: recorded.number, restarted }), null, 2));
  } else {
    // Each file was logged as it changed; the result is the headline.
    out.result(`${restoreHeadline(plan, root, "past")}; recorded as generation ${recorded.number}`);
  }
  return 0;
}

/** The --to flag as a generation number, or undefined for the latest. */
function targetOf(parsed: Parsed): number | undefined {
  const value = stringFlag(parsed, "to");
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--to expects a generation number, got "${value}"`);
  return Number(value);
}

function counts(plan: RestorePlan, tense: "past" | "future"): string {
  const n = { create: 0, update: 0, remove: 0 };
  for (const step of plan.steps) n[step.action]++;
  return tense === "past"
    ? `${n.create} created, ${n.update} updated, ${n.remove} removed, ${plan.unchanged} unchanged`
    : `${n.create} to create, ${n.update} to update, ${n.remove} to remove, ${plan.unchanged} unchanged`;
}

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/** One line per step, e.g. `  update    0644 0:0         /etc/hosts (content)`. */
function stepLine(step: RestoreStep): string {
  const { to } = step;
  const what = to.kind === "file"
    ? `${octal(to.mode)} ${`${to.uid}:${to.gid}`.padEnd(11)} ${step.path}`
    : to.kind === "symlink"
    ? `link             ${step.path} -> ${to.target}`
    : `                 ${step.path}`;
  return `  ${step.action.padEnd(9)} ${what} (${step.differences.join(", ")})`;
}

/** One line: which generation, which changes it undoes, and the counts. */
function restoreHeadline(plan: RestorePlan, root: string, tense: "past" | "future"): string {
  const undoing = `undoing ${plan.undone.length === 1 ? "change" : "changes"} ${plan.undone.join(", ")}`;
  return `${tense === "past" ? "restored" : "restore"} generation ${plan.target} under ${root} (${undoing}): ${
    counts(plan, tense)
  }`;
}

/** The headline, each step, and what systemd would be asked. */
function describeRestore(plan: RestorePlan, root: string, tense: "past" | "future"): string {
  if (plan.steps.length === 0) {
    return `nothing to restore under ${root}: the files are as generation ${plan.target} recorded them`;
  }
  const lines = [restoreHeadline(plan, root, tense), ...plan.steps.map(stepLine)];
  if (plan.unitFilesChanged) lines.push("systemd: daemon-reload");
  lines.push(`restart if running: ${plan.restarts.join(" ") || "(nothing)"}`);
  return lines.join("\n");
}

function resultJson(
  plan: RestorePlan,
  root: string,
  extra: { dryRun?: boolean; generation?: number; restarted?: string[] },
): unknown {
  return {
    root,
    target: plan.target,
    undone: plan.undone,
    dryRun: extra.dryRun ?? false,
    generation: extra.generation ?? null,
    steps: plan.steps.map((s) => ({
      path: s.path,
      action: s.action,
      differences: s.differences,
      to: s.to.kind === "file" ? { ...s.to, mode: octal(s.to.mode) } : s.to,
      units: s.units,
    })),
    unchanged: plan.unchanged,
    daemonReload: plan.unitFilesChanged,
    restart: plan.restarts,
    ...(extra.restarted ? { restarted: extra.restarted } : {}),
  };
}
