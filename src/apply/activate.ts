/**
 * Activation: make systemd see changed unit files, restart running units whose files changed, and start this
 * node's targets that are not running yet. A rerun with nothing changed asks systemd for states and does nothing.
 *
 * @example
 * ```ts
 * await activate({ start: plan.start, applied: result }, new CommandSystemctl());
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import type { Systemctl } from "./systemctl.ts";

export interface ActivationInput {
  /** Units this node should have running: targets and template instances. */
  start: readonly string[];
  /** Units whose files changed. */
  restarts: readonly string[];
  /** Whether unit files changed. */
  unitFilesChanged: boolean;
}

export interface ActivationReport {
  daemonReload: boolean;
  restarted: string[];
  started: string[];
}

/** States in which a unit counts as running: starting it again would do nothing. */
const RUNNING = new Set(["active", "activating", "reloading", "refreshing"]);

export async function activate(input: ActivationInput, systemctl: Systemctl): Promise<ActivationReport> {
  const report: ActivationReport = { daemonReload: false, restarted: [], started: [] };
  if (input.unitFilesChanged) {
    await must(systemctl, ["daemon-reload"]);
    report.daemonReload = true;
  }
  const asked = [...new Set([...input.start, ...input.restarts])];
  const running = await runningUnits(systemctl, asked);
  report.restarted = input.restarts.filter((u) => running.has(u));
  if (report.restarted.length) await must(systemctl, ["try-restart", "--no-block", ...report.restarted]);
  report.started = input.start.filter((u) => !running.has(u));
  if (report.started.length) await must(systemctl, ["start", "--no-block", ...report.started]);
  return report;
}

/** The units among `units` that systemd reports running (`is-active` prints one state per unit, in order). */
async function runningUnits(systemctl: Systemctl, units: readonly string[]): Promise<Set<string>> {
  if (units.length === 0) return new Set();
  const result = await systemctl.run(["is-active", ...units]);
  const states = result.stdout.split("\n").map((s) => s.trim()).filter(Boolean);
  if (states.length !== units.length) {
    // `is-active` exits non-zero whenever a unit is inactive; only output of the wrong shape means it failed.
    throw new EnvironmentError(
      `systemctl is-active failed (exit ${result.code}): ${result.stderr.trim() || "no output"}`,
    );
  }
  return new Set(units.filter((_, i) => RUNNING.has(states[i])));
}

async function must(systemctl: Systemctl, args: string[]): Promise<void> {
  const result = await systemctl.run(args);
  if (result.code !== 0) {
    throw new EnvironmentError(
      `systemctl ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim() || "no output"}`,
      "see journalctl -xe for systemd's side",
    );
  }
}
