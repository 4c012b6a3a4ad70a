import assert from "node:assert/strict";
import { type BootRecord, formatBlame, RECORDS_KEPT, withRecord } from "./boot_timeline.ts";
import { stepFields } from "./boot_record.ts";

const record = (n: number): BootRecord => ({
  node: "master-01",
  startedAt: `2026-01-01T00:00:${String(n).padStart(2, "0")}Z`,
  totalMs: 900,
  outcome: "finished",
  steps: [
    { name: "validate /etc/cluster-config", startMs: 40, durationMs: 30, outcome: "finished" },
    { name: "apply /", startMs: 90, durationMs: 700, outcome: "finished" },
    { name: "activate", startMs: 800, durationMs: 5, outcome: "failed" },
  ],
});

Deno.test("withRecord keeps the newest boots, oldest first", () => {
  let history: BootRecord[] = [];
  for (let n = 0; n < RECORDS_KEPT + 3; n++) history = withRecord(history, record(n));
  assert.equal(history.length, RECORDS_KEPT);
  assert.equal(history[0].startedAt, record(3).startedAt);
  assert.equal(history.at(-1)!.startedAt, record(RECORDS_KEPT + 2).startedAt);
});

Deno.test("formatBlame: slowest first, start-up as its own line, failures marked", () => {
  assert.equal(
    formatBlame({ ...record(1), sinceKernelMs: 4200 }),
    [
      "boot of master-01 at 2026-01-01T00:00:01Z: 0.900 s in all, began 4.200 s after the kernel",
      "700 ms  apply /",
      " 40 ms  (start-up, before the first step)",
      " 30 ms  validate /etc/cluster-config",
      "  5 ms  activate (failed)",
    ].join("\n"),
  );
});

Deno.test("stepFields: journal fields on one line each, the node included", () => {
  const fields = stepFields({ name: "data disk\n/dev/vda", startMs: 1, durationMs: 2, outcome: "finished" }, record(1));
  assert.ok(fields.every((field) => !field.includes("\n")));
  assert.ok(fields.includes("CLUSTERBOOT_STEP=data disk /dev/vda"));
  assert.ok(fields.includes("CLUSTERBOOT_STEP_DURATION_MS=2"));
  assert.ok(fields.includes("CLUSTERBOOT_NODE=master-01"));
  assert.match(fields.find((f) => f.startsWith("MESSAGE_ID="))!, /^MESSAGE_ID=[0-9a-f]{32}$/);
});
