/**
 * `clusterboot analyze`: how long the last boot took, step by step, slowest first — `systemd-analyze blame` for
 * clusterboot's own steps, read from the record each boot leaves under /var/lib.
 *
 * @module
 */
import { EnvironmentError } from "../errors.ts";
import { under } from "../apply/root.ts";
import { readBootRecords } from "../report/boot_record.ts";
import { BOOT_RECORDS, formatBlame, formatHeadline } from "../report/boot_timeline.ts";
import { parseFlags } from "./args.ts";
import { rootOf } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

const HELP = `usage: clusterboot analyze [--root DIR] [--all] [--json]

Shows the last boot's steps (validate, detect, plan, data disk, apply, activate), slowest first, and the time
before the first step. Each boot, and each rerun by hand, records its steps in ${BOOT_RECORDS} (the last few
are kept) and, on a running system, in the journal: journalctl CLUSTERBOOT_STEP=apply.

options:
  --root DIR     the root whose records to read (default: /)
  --all          one line for each boot kept, oldest first
  --json         print the records as JSON

examples:
  clusterboot analyze
  clusterboot analyze --all
  clusterboot analyze --json | jq '.steps[] | select(.durationMs > 1000)'`;

export function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.analyze);
  if (parsed.help) return Promise.resolve((out.result(HELP), 0));
  const root = rootOf(parsed);
  const boots = readBootRecords(root);
  if (boots.length === 0) {
    throw new EnvironmentError(
      `no boot recorded in ${under(root, BOOT_RECORDS)}`,
      "clusterboot boot records its steps each time it runs",
    );
  }
  const last = boots[boots.length - 1];
  if (parsed.json) out.result(JSON.stringify(parsed.all ? boots : last, null, 2));
  else if (parsed.all) out.result(boots.map(formatHeadline).join("\n"));
  else out.result(formatBlame(last));
  return Promise.resolve(0);
}
