import assert from "node:assert/strict";
import type { Change } from "./changes.ts";
import {
  countActions,
  decodeGeneration,
  encodeGeneration,
  type Generation,
  generationUnits,
  intendedChanges,
  touchesUnitFiles,
} from "./generation.ts";

const generation: Generation = {
  number: 4,
  time: "2025-03-01T10:00:00.000Z",
  cause: "boot",
  node: "worker-01",
  config: "ab12",
  entries: [
    { path: "/etc/hosts", action: "updated", before: { kind: "file", mode: 0o644, uid: 0, gid: 0 }, units: [] },
    {
      path: "/etc/mosquitto/passwd",
      action: "removed",
      before: { kind: "file", mode: 0o600, uid: 903, gid: 903 },
      units: [],
    },
    { path: "/etc/x.conf", action: "created", before: { kind: "absent" }, units: ["x.service", "a.service"] },
    { path: "/etc/link", action: "updated", before: { kind: "symlink", target: "nodes/a.yaml" }, units: ["a.service"] },
  ],
};

Deno.test("an apply's changes become intended changes: past tense, sorted, units of written files only", () => {
  const changes: Change[] = [
    { action: "remove", path: "/etc/old.conf" },
    { action: "unchanged", entry: { kind: "file", path: "/etc/same", content: "", mode: 0o644 }, differences: [] },
    {
      action: "update",
      entry: { kind: "file", path: "/etc/a.conf", content: "a", mode: 0o644, restarts: ["a.service"] },
      differences: ["content"],
    },
    { action: "create", entry: { kind: "symlink", path: "/etc/b", target: "a.conf" }, differences: ["missing"] },
  ];
  assert.deepEqual(intendedChanges(changes), [
    { path: "/etc/a.conf", action: "updated", units: ["a.service"] },
    { path: "/etc/b", action: "created", units: [] },
    { path: "/etc/old.conf", action: "removed", units: [] },
  ]);
});

Deno.test("a generation survives its JSON text; modes are written in octal", () => {
  const text = encodeGeneration(generation);
  assert.match(text, /"mode": "0600"/);
  assert.deepEqual(decodeGeneration(text, 4), generation);
  const rollback: Generation = { number: 5, time: generation.time, cause: "rollback", restored: 4, entries: [] };
  assert.deepEqual(decodeGeneration(encodeGeneration(rollback), 5), rollback);
});

Deno.test("counts, units and unit files of a generation", () => {
  assert.deepEqual(countActions(generation), { created: 1, updated: 2, removed: 1 });
  assert.deepEqual(generationUnits(generation), ["a.service", "x.service"]);
  assert.equal(touchesUnitFiles(generation.entries.map((e) => e.path)), false);
  assert.equal(touchesUnitFiles(["/etc/hosts", "/etc/systemd/system/etcd.service"]), true);
  assert.equal(touchesUnitFiles(["/etc/systemd/system.conf"]), false);
});

Deno.test("a damaged or foreign record is refused, saying what is wrong", () => {
  const text = encodeGeneration(generation);
  const edit = (f: (data: Record<string, unknown>) => void) => {
    const data = JSON.parse(text);
    f(data);
    return JSON.stringify(data);
  };
  const cases: [string, RegExp][] = [
    ["{", /generation 4: not JSON/],
    [text, /expected number 5, got 4/],
    [edit((d) => d.format = 2), /expected format 1, got 2/],
    [edit((d) => d.cause = "upgrade"), /unknown cause "upgrade"/],
    [edit((d) => (d.entries as { path: string }[])[0].path = "/etc/../../root/.ssh/x"), /entry 0: bad path/],
    [edit((d) => (d.entries as { path: string }[])[0].path = "etc/hosts"), /entry 0: bad path/],
    [edit((d) => (d.entries as { action: string }[])[1].action = "moved"), /entry 1: bad action "moved"/],
    [edit((d) => (d.entries as { before: { mode: string } }[])[1].before.mode = "rw-"), /entry 1: a file's mode/],
    [edit((d) => (d.entries as { before: unknown }[])[2].before = { kind: "fifo" }), /entry 2: bad prior state/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => decodeGeneration(input, input === text ? 5 : 4), (e: Error) => {
      assert.ok(e instanceof SyntaxError);
      assert.match(e.message, message);
      return true;
    });
  }
});
