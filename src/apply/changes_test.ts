import assert from "node:assert/strict";
import type { PlannedEntry } from "../plan/types.ts";
import type { SeenFile } from "../text/bytes.ts";
import { computeChanges, type EntryChange } from "./changes.ts";

const file = (path: string, content: string | Uint8Array, mode = 0o644): PlannedEntry => ({
  kind: "file",
  path,
  content,
  mode,
});

Deno.test("a file this run has seen is compared with what was seen: no second look, no second read", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/etc`);
    for (const name of ["a", "b", "c"]) await Deno.writeTextFile(`${root}/etc/${name}`, `${name} as read\n`);
    const seen = new Map<string, SeenFile>();
    for (const name of ["a", "b", "c"]) {
      const path = `${root}/etc/${name}`;
      seen.set(path, { info: Deno.lstatSync(path), content: Deno.readTextFileSync(path) });
    }
    // What is on disk now is not what the run saw: the comparison is with what it saw (and planned from).
    for (const name of ["a", "b", "c"]) await Deno.writeTextFile(`${root}/etc/${name}`, "changed since\n");
    await Deno.chmod(`${root}/etc/a`, 0o600);
    const planned = [
      file("/etc/a", seen.get(`${root}/etc/a`)!.content),
      file("/etc/b", new TextEncoder().encode("b as read\n")),
      file("/etc/c", "c as planned\n", 0o600),
    ];
    const changes = computeChanges(planned, { root, seen }) as EntryChange[];
    assert.deepEqual(changes.map((c) => [c.entry.path, c.action, c.differences]), [
      ["/etc/a", "unchanged", []],
      ["/etc/b", "unchanged", []],
      ["/etc/c", "update", ["content", "mode"]],
    ]);
    assert.equal(new TextDecoder().decode(changes[2].before), "c as read\n", "the bytes before are those seen");

    // Without what was seen, the disk is looked at and read.
    const fresh = computeChanges(planned, { root }) as EntryChange[];
    assert.deepEqual(fresh.map((c) => [c.entry.path, c.action, c.differences]), [
      ["/etc/a", "update", ["content", "mode"]],
      ["/etc/b", "update", ["content"]],
      ["/etc/c", "update", ["content", "mode"]],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
