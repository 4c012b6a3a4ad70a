/**
 * `clusterboot boot`: validate → detect → plan → apply → activate, what cluster-detect.service runs at every boot
 * and what an operator reruns to repair a node. A rerun with the same inputs writes nothing and starts nothing.
 *
 * @module
 */
import { activate } from "../apply/activate.ts";
import { applyChanges, summarize } from "../apply/apply.ts";
import { takeBootLock } from "../apply/boot_lock.ts";
import { computeChanges } from "../apply/changes.ts";
import { intendedChanges } from "../apply/generation.ts";
import { recordGeneration } from "../apply/generation_record.ts";
import { setLiveHostname } from "../apply/hostname.ts";
import { CommandSystemctl } from "../apply/systemctl.ts";
import { requireNode } from "../plan/plan.ts";
import { planOnRoot } from "./node_plan.ts";
import { summary } from "../identity/explain.ts";
import { type Parsed, parseFlags } from "./args.ts";
import { changeCounts, changeLine, dataDiskLine, describePlan } from "./changes_view.ts";
import { describeDataDisk, prepareDataDisk } from "../apply/data_disk.ts";
import { candidatesFor } from "../identity/candidates.ts";
import { chooseAtConsole, consoleAttached } from "./console_choice.ts";
import type { Loaded } from "../config/load.ts";
import {
  decide,
  decideNode,
  gatherFacts,
  IDENTITY_HELP,
  loadStep,
  LOCATION_HELP,
  rootOf,
  SECRETS_HELP,
} from "./common.ts";
import type { Output } from "./output.ts";
import { journalSteps, kernelClock, saveBootRecord } from "../report/boot_record.ts";
import type { BootRecord } from "../report/boot_timeline.ts";
import { exitCodeOf, IdentityError, UsageError } from "../errors.ts";
import { BOOT_OPTIONS } from "./options.ts";

/** How long a boot waits for another one under the same root, by default. */
const DEFAULT_LOCK_TIMEOUT_S = 60;

const HELP = `usage: clusterboot boot [--root DIR] [--config DIR] [--dry-run] [--node NAME] [--facts FILE]
                        [--activate | --no-activate] [--lock-timeout SECONDS]

Validates the configuration, decides which node this machine is, mounts its data disk when the node file names one
(formatting it only when blank), writes its files under the root (atomically, only what differs, removing what a
previous boot wrote and no longer belongs), then starts its role targets with systemctl. Before it changes a file it
keeps the previous state as a generation ("clusterboot generations", "clusterboot rollback"). Each step logs [started]
and [finished] lines on stderr, and the steps' timings are kept for "clusterboot analyze".

When the evidence decides no node (none or several match) and the command runs at a terminal, it lists the
candidates with their evidence and asks which node this is; without a terminal it stops with exit 3.

One boot at a time: a boot holds <root>/run/clusterboot.lock from start to end, and a second one (say an operator's
rerun while cluster-detect.service runs) waits for it, then goes on; after --lock-timeout it gives up with exit 1.

options:
${LOCATION_HELP}
${IDENTITY_HELP}
${SECRETS_HELP}
  --dry-run      print the plan and change nothing
  --activate     call systemctl even though --root is not / (for tests with a stand-in systemctl)
  --no-activate  write files but call no systemctl
  --prompt       when the evidence decides no node, ask at a terminal which node this is (the default)
  --no-prompt    stop with exit 3 instead, even at a terminal
  --lock-timeout SECONDS
                 how long to wait for another boot under the same root (default ${DEFAULT_LOCK_TIMEOUT_S}; 0: do not wait)

With --root other than /, no disk is mounted and systemctl is not called unless --activate is given: the disks and
units of a scratch root are not this machine's.

examples:
  clusterboot boot
  clusterboot boot --config configs --root /tmp/root --node master-01 --dry-run`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, BOOT_OPTIONS);
  if (parsed.help) return (out.result(HELP), 0);
  const root = rootOf(parsed);
  const live = root === "/" || root.replace(/\/+$/, "") === "";
  if (parsed["dry-run"]) return await boot(parsed, out, root, live, {});

  const startedAt = new Date(Date.now() - performance.now()).toISOString();
  // Taken before anything is read: a boot that never gets it changes nothing, not even the boot record.
  const lock = await takeBootLock(root, {
    timeoutMs: lockTimeoutMs(parsed),
    onWait: (pid) => out.info(`waiting for another clusterboot boot${pid ? ` (pid ${pid})` : ""}`),
  });
  if (lock.waitedMs > 0) out.info(`the other boot is done after ${(lock.waitedMs / 1000).toFixed(1)} s; going on`);
  const decided: { node?: string } = {};
  let failure: unknown;
  try {
    return await boot(parsed, out, root, live, decided);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A configuration or usage error (exit 2) leaves no file behind, not even this record; the journal has it.
    if (failure === undefined || exitCodeOf(failure) !== 2) {
      await keepRecord(out, root, live, {
        node: decided.node,
        startedAt,
        totalMs: Math.round(performance.now()),
        outcome: failure === undefined ? "finished" : "failed",
        ...(failure === undefined ? {} : { error: (failure as Error).message?.split("\n")[0] ?? String(failure) }),
        steps: [...out.steps],
      });
    }
    lock.release();
  }
}

/** `--lock-timeout SECONDS` in milliseconds. */
function lockTimeoutMs(parsed: Parsed): number {
  const given = parsed["lock-timeout"];
  if (given === undefined) return DEFAULT_LOCK_TIMEOUT_S * 1000;
  const seconds = Number(given);
  if (typeof given !== "string" || given.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`--lock-timeout needs a number of seconds, got "${given}"`, "e.g. --lock-timeout 120");
  }
  return seconds * 1000;
}

/**
 * Which node this is: the evidence decides, or, when it cannot and someone is at the terminal, the operator picks
 * from the candidates. With nobody to ask (under systemd, piped, --no-prompt) the identity error stands: exit 3.
 */
async function detectStep(loaded: Loaded, parsed: Parsed, out: Output): Promise<string> {
  try {
    return (await out.step("detect", () => decideNode(loaded, parsed), (d) => summary(d))).node!;
  } catch (error) {
    if (!(error instanceof IdentityError) || parsed.prompt === false || !consoleAttached()) throw error;
    const decision = decide(loaded, await gatherFacts(parsed), parsed);
    const candidates = candidatesFor(decision, loaded.config.cluster.nodes);
    return await out.step("choose at the console", () => {
      const chosen = chooseAtConsole(summary(decision), candidates);
      if (!chosen) throw error;
      return chosen;
    }, (name) => `${name}, chosen by the operator`);
  }
}

/** Records the boot's timeline under the root and, on a live system, in the journal; never fails the boot. */
async function keepRecord(out: Output, root: string, live: boolean, record: BootRecord): Promise<void> {
  if (live) {
    const clock = kernelClock();
    if (clock.bootId) record.bootId = clock.bootId;
    if (clock.uptimeMs !== undefined) record.sinceKernelMs = Math.max(0, clock.uptimeMs - record.totalMs);
  }
  try {
    saveBootRecord(root, record);
  } catch (error) {
    out.warn(`boot timings not recorded: ${(error as Error).message}`);
  }
  if (live) await journalSteps(record);
}

async function boot(
  parsed: Parsed,
  out: Output,
  root: string,
  live: boolean,
  decided: { node?: string },
): Promise<number> {
  // --activate / --no-activate override; by default only a live root is activated.
  const activating = parsed.activate === undefined ? live : parsed.activate === true;

  const loaded = await loadStep(parsed, out);
  const node = requireNode(loaded, await detectStep(loaded, parsed, out));
  decided.node = node.name;
  const plan = await out.step(
    "plan",
    () => planOnRoot(parsed, loaded, node, root, out),
    (p) => `${p.entries.length} files, start ${p.start.join(" ") || "nothing"}`,
  );
  const changes = computeChanges(plan.entries, { root, prune: true, seen: loaded.seen });

  if (parsed["dry-run"]) {
    out.result(describePlan(plan, changes, root));
    return 0;
  }
  if (plan.dataDisk && live) {
    const disk = plan.dataDisk;
    await out.step(`data disk ${disk.device}`, () => prepareDataDisk(disk, { root }), describeDataDisk);
  } else if (plan.dataDisk) {
    out.info(`data disk skipped (root ${root} is not /): ${dataDiskLine(plan.dataDisk)}`);
  }
  const applied = await out.step(
    `apply ${root}`,
    () => {
      // The undo record is complete on disk before the first file changes; nothing to change records nothing.
      const generation = recordGeneration(intendedChanges(changes), {
        root,
        cause: "boot",
        node: node.name,
        config: loaded.digest,
      });
      if (generation) out.info(`generation ${generation.number} keeps the files as they were (clusterboot rollback)`);
      return applyChanges(changes, {
        root,
        onChange: (change) => out.info(changeLine(change)),
        onLeftover: (path) => out.info(`  removed   ${path} (left by an interrupted boot)`),
      });
    },
    () => changeCounts(changes, "past"),
  );
  if (live) setLiveHostname(node.hostname);
  if (!activating) {
    const { restarts } = summarize(changes);
    out.info(
      `activation skipped (${parsed.activate === false ? "--no-activate" : `root ${root} is not /`}): would start ${
        plan.start.join(" ")
      }${restarts.length ? `, restart ${restarts.join(" ")} if running` : ""}`,
    );
    return 0;
  }
  await out.step(
    "activate",
    () =>
      activate(
        { start: plan.start, restarts: applied.restarts, unitFilesChanged: applied.unitFilesChanged },
        new CommandSystemctl(),
      ),
    (r) =>
      [
        r.daemonReload ? "daemon-reload" : "",
        r.restarted.length ? `restarted ${r.restarted.join(" ")}` : "",
        r.started.length ? `started ${r.started.join(" ")}` : "all running already",
      ].filter(Boolean).join("; "),
  );
  return 0;
}
