/**
 * The timeline of one `clusterboot boot`: each step's start and duration, as recorded under /var/lib and shown by
 * `clusterboot analyze` and `clusterboot status`. Pure: building, trimming and formatting records; the file and
 * the journal are in boot_record.ts.
 *
 * @example
 * ```ts
 * const record = bootRecord({ steps, node: "master-01", startedAt: new Date(), totalMs: 840, outcome: "finished" });
 * console.log(formatBlame(record));
 * ```
 * @module
 */

/** One step as it ran: `startMs` counts from the start of the process, so the runtime's own start shows too. */
export interface StepTiming {
  name: string;
  startMs: number;
  durationMs: number;
  outcome: "finished" | "failed";
  /** The `[finished]` line's summary, e.g. "53 files, start kafka.target". */
  summary?: string;
}

/** One boot (or rerun by hand) of clusterboot. */
export interface BootRecord {
  /** The kernel's boot id, so records of several boots of one machine tell apart. */
  bootId?: string;
  /** The node decided, when detection got that far. */
  node?: string;
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  /** How long after the kernel started clusterboot began (from /proc/uptime), when known. */
  sinceKernelMs?: number;
  totalMs: number;
  outcome: "finished" | "failed";
  /** The error that stopped a failed boot, one line. */
  error?: string;
  steps: StepTiming[];
}

/** Where the records live under the root; the newest is last. */
export const BOOT_RECORDS = "/var/lib/clusterboot/boot-timings.json";

/** How many boots the file keeps: enough to compare a slow boot with the ones before it. */
export const RECORDS_KEPT = 10;

/** `history` with `record` added, keeping the newest {@link RECORDS_KEPT}. */
export function withRecord(history: readonly BootRecord[], record: BootRecord): BootRecord[] {
  return [...history, record].slice(-RECORDS_KEPT);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** One line about a boot: when, which node, how long, and how it ended. */
export function formatHeadline(record: BootRecord): string {
  const kernel = record.sinceKernelMs === undefined ? "" : `, began ${seconds(record.sinceKernelMs)} after the kernel`;
  const ending = record.outcome === "failed" ? `, failed: ${record.error ?? "unknown error"}` : "";
  return `boot of ${record.node ?? "(node not determined)"} at ${record.startedAt}: ${
    seconds(record.totalMs)
  } in all${kernel}${ending}`;
}

/**
 * The steps slowest first, in the style of `systemd-analyze blame`, after a headline; the time before the first
 * step (the runtime starting, reading the program) is a line of its own.
 */
export function formatBlame(record: BootRecord): string {
  const firstStart = record.steps.length ? Math.min(...record.steps.map((s) => s.startMs)) : record.totalMs;
  const rows = [
    ...record.steps.map((step) => ({
      ms: step.durationMs,
      text: `${step.name}${step.outcome === "failed" ? " (failed)" : ""}`,
    })),
    { ms: firstStart, text: "(start-up, before the first step)" },
  ].sort((a, b) => b.ms - a.ms);
  const width = Math.max(...rows.map((r) => `${r.ms}`.length));
  return [formatHeadline(record), ...rows.map((r) => `${`${r.ms}`.padStart(width)} ms  ${r.text}`)].join("\n");
}
