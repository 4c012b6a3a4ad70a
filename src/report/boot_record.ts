/**
 * Keeping boot timelines: the JSON record under /var/lib (the last few boots) and, on a live system, one journal
 * entry per step with structured fields, so `journalctl CLUSTERBOOT_STEP=apply` finds every boot's apply step.
 *
 * @module
 */
import { under } from "../apply/root.ts";
import { writeFailure, writeFileAtomic } from "../apply/write.ts";
import { BOOT_RECORDS, type BootRecord, type StepTiming, withRecord } from "./boot_timeline.ts";

/** Marks clusterboot's step entries in the journal (`journalctl MESSAGE_ID=...`). */
export const STEP_MESSAGE_ID = "3f6c5e0b2a7d4c1e9b8a6d5c4e3f2a10";

/** The records kept under `root`, oldest first; none when the file is absent or unreadable. */
export function readBootRecords(root: string): BootRecord[] {
  try {
    const parsed = JSON.parse(Deno.readTextFileSync(under(root, BOOT_RECORDS)));
    return Array.isArray(parsed?.boots) ? parsed.boots : [];
  } catch {
    return [];
  }
}

/** Adds `record` to the file under `root`, atomically; a failure names the file and the cause in one line. */
export function saveBootRecord(root: string, record: BootRecord): void {
  const boots = withRecord(readBootRecords(root), record);
  const text = JSON.stringify({ boots }, null, 2) + "\n";
  const path = under(root, BOOT_RECORDS);
  try {
    writeFileAtomic(path, new TextEncoder().encode(text), { mode: 0o644 });
  } catch (error) {
    throw writeFailure(error, path);
  }
}

/** The kernel's boot id and how long ago it started, when /proc says (a live root only). */
export function kernelClock(): { bootId?: string; uptimeMs?: number } {
  const read = (path: string) => {
    try {
      return Deno.readTextFileSync(path).trim();
    } catch {
      return undefined;
    }
  };
  const uptime = read("/proc/uptime")?.split(" ")[0];
  return {
    bootId: read("/proc/sys/kernel/random/boot_id"),
    uptimeMs: uptime ? Math.round(Number(uptime) * 1000) : undefined,
  };
}

/** The journal fields of one step (the native protocol's `NAME=value` lines). */
export function stepFields(step: StepTiming, record: BootRecord): string[] {
  const oneLine = (text: string) => text.replace(/\n/g, " ");
  return [
    `MESSAGE=${oneLine(`step ${step.name} ${step.outcome} in ${step.durationMs} ms`)}`,
    `MESSAGE_ID=${STEP_MESSAGE_ID}`,
    "PRIORITY=6",
    "SYSLOG_IDENTIFIER=clusterboot",
    `CLUSTERBOOT_STEP=${oneLine(step.name)}`,
    `CLUSTERBOOT_STEP_START_MS=${step.startMs}`,
    `CLUSTERBOOT_STEP_DURATION_MS=${step.durationMs}`,
    `CLUSTERBOOT_STEP_OUTCOME=${step.outcome}`,
    ...(record.node ? [`CLUSTERBOOT_NODE=${record.node}`] : []),
  ];
}

/**
 * Sends each step to the journal with `logger --journald` (util-linux), which speaks journald's native protocol;
 * quietly nothing where there is no journal (a container, a build machine).
 */
export async function journalSteps(record: BootRecord): Promise<void> {
  try {
    Deno.statSync("/run/systemd/journal/socket");
  } catch {
    return;
  }
  await Promise.all(record.steps.map(async (step) => {
    try {
      const child = new Deno.Command("logger", { args: ["--journald"], stdin: "piped", stdout: "null", stderr: "null" })
        .spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stepFields(step, record).join("\n") + "\n"));
      await writer.close();
      await child.status;
    } catch {
      // The record under /var/lib still has it; a missing logger must not fail a boot.
    }
  }));
}
