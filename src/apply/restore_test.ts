import assert from "node:assert/strict";
import { MANIFEST } from "../plan/paths.ts";
import type { Generation, GenerationEntry } from "./generation.ts";
import { type DiskState, planRestore, restorePaths, type StoredGeneration } from "./restore.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const file = (mode = 0o644, uid = 0, gid = 0) => ({ kind: "file" as const, mode, uid, gid });
const onDisk = (text: string, mode = 0o644, uid = 0, gid = 0): DiskState => ({
  kind: "file",
  mode,
  uid,
  gid,
  bytes: bytes(text),
});

function stored(number: number, entries: GenerationEntry[], copies: Record<string, string> = {}): StoredGeneration {
  const generation: Generation = { number, time: "2025-03-01T10:00:00.000Z", cause: "boot", entries };
  return { generation, copies: new Map(Object.entries(copies).map(([p, t]) => [p, bytes(t)])) };
}

// 1: first boot created a.conf (read by a.service), the manifest and a link.
// 2: a config change updated a.conf and the unit file of b.service.
// 3: a role change removed c.conf and updated the manifest.
const history = [
  stored(1, [
    { path: "/etc/a.conf", action: "created", before: { kind: "absent" }, units: ["a.service"] },
    { path: "/etc/c.conf", action: "created", before: { kind: "absent" }, units: ["c.service"] },
    { path: "/etc/link", action: "created", before: { kind: "absent" }, units: [] },
    { path: MANIFEST, action: "created", before: { kind: "absent" }, units: [] },
  ]),
  stored(2, [
    { path: "/etc/a.conf", action: "updated", before: file(), units: ["a.service"] },
    { path: "/etc/systemd/system/b.service", action: "updated", before: file(), units: ["b.service"] },
  ], { "/etc/a.conf": "a one\n", "/etc/systemd/system/b.service": "[Unit] one\n" }),
  stored(3, [
    { path: "/etc/c.conf", action: "removed", before: file(0o600, 903, 903), units: [] },
    { path: MANIFEST, action: "updated", before: file(), units: [] },
  ], { "/etc/c.conf": "c secret\n", [MANIFEST]: "manifest one\n" }),
];

/** The disk after all three changes. */
const disk = new Map<string, DiskState>([
  ["/etc/a.conf", onDisk("a two\n")],
  ["/etc/c.conf", { kind: "absent" }],
  ["/etc/link", { kind: "symlink", target: "nodes/x.yaml" }],
  ["/etc/systemd/system/b.service", onDisk("[Unit] two\n")],
  [MANIFEST, onDisk("manifest two\n")],
]);

Deno.test("restoring the latest undoes only the last change; a removed file returns with its mode and owner", () => {
  const plan = planRestore(history, 3, disk);
  assert.deepEqual(plan.undone, [3]);
  assert.deepEqual(plan.steps.map((s) => [s.action, s.path, s.differences]), [
    ["create", "/etc/c.conf", ["missing"]],
    ["update", MANIFEST, ["content"]],
  ]);
  assert.deepEqual(plan.steps[0].to, file(0o600, 903, 903));
  assert.equal(new TextDecoder().decode(plan.steps[0].bytes), "c secret\n");
  // c.conf's units come from the generation that created it: the removal itself named none.
  assert.deepEqual(plan.steps[0].units, ["c.service"]);
  assert.deepEqual(plan.restarts, ["c.service"]);
  assert.equal(plan.unitFilesChanged, false);
});

Deno.test("restoring generation 2 undoes changes 2 and 3, each path from the earliest of them", () => {
  const plan = planRestore(history, 2, disk);
  assert.deepEqual(plan.undone, [2, 3]);
  const byPath = new Map(plan.steps.map((s) => [s.path, s]));
  assert.equal(new TextDecoder().decode(byPath.get("/etc/a.conf")!.bytes), "a one\n");
  assert.equal(new TextDecoder().decode(byPath.get(MANIFEST)!.bytes), "manifest one\n");
  assert.ok(byPath.has("/etc/c.conf"));
  assert.deepEqual(plan.restarts, ["a.service", "b.service", "c.service"]);
  assert.equal(plan.unitFilesChanged, true);
  assert.equal(plan.steps.at(-1)!.path, MANIFEST, "the manifest is written last");
});

Deno.test("restoring the first boot's generation removes what it created; removals restart nothing", () => {
  const plan = planRestore(history, 1, disk);
  assert.deepEqual(plan.undone, [1, 2, 3]);
  assert.deepEqual(plan.steps.map((s) => [s.action, s.path]), [
    ["update", "/etc/systemd/system/b.service"],
    ["remove", "/etc/a.conf"],
    ["remove", "/etc/link"],
    ["remove", MANIFEST],
  ]);
  assert.deepEqual(plan.steps.find((s) => s.path === "/etc/a.conf")!.differences, ["extra"]);
  assert.deepEqual(plan.restarts, ["b.service"]);
  assert.equal(plan.unchanged, 1, "c.conf is absent already");
});

Deno.test("paths already as recorded are left alone; owners count only when asked", () => {
  const restored = new Map(disk);
  restored.set("/etc/c.conf", onDisk("c secret\n", 0o600, 1000, 1000));
  restored.set(MANIFEST, onDisk("manifest one\n"));
  const asRoot = planRestore(history, 3, restored);
  assert.deepEqual(asRoot.steps.map((s) => [s.path, s.differences]), [["/etc/c.conf", ["owner"]]]);
  const asUser = planRestore(history, 3, restored, { compareOwners: false });
  assert.deepEqual(asUser.steps, []);
  assert.equal(asUser.unchanged, 2);
  assert.deepEqual(asUser.restarts, []);
});

Deno.test("a changed mode, a link retargeted, a directory in the way", () => {
  const changed = new Map(disk);
  changed.set("/etc/a.conf", onDisk("a one\n", 0o666));
  changed.set("/etc/systemd/system/b.service", { kind: "directory" });
  const plan = planRestore(
    [
      ...history,
      stored(4, [
        { path: "/etc/link", action: "updated", before: { kind: "symlink", target: "nodes/a.yaml" }, units: [] },
      ]),
    ],
    2,
    changed,
  );
  const byPath = new Map(plan.steps.map((s) => [s.path, s]));
  assert.deepEqual(byPath.get("/etc/a.conf")!.differences, ["mode"]);
  assert.deepEqual(byPath.get("/etc/link")!.differences, ["content"]);
  assert.deepEqual(byPath.get("/etc/link")!.to, { kind: "symlink", target: "nodes/a.yaml" });
  const unit = byPath.get("/etc/systemd/system/b.service")!;
  assert.deepEqual([unit.differences, unit.directory], [["kind"], true]);
});

Deno.test("the paths a restore looks at; an unknown generation or a missing copy is refused", () => {
  const generations = history.map((s) => s.generation);
  assert.deepEqual(restorePaths(generations, 3), ["/etc/c.conf", MANIFEST]);
  assert.deepEqual(restorePaths(generations, 1).length, 5);
  assert.throws(() => planRestore(history, 7, disk), /no generation 7/);
  const damaged = [history[0], history[1], stored(3, history[2].generation.entries, {})];
  assert.throws(() => planRestore(damaged, 3, disk), /generation 3 lacks its copy of \/etc\/c.conf/);
});
