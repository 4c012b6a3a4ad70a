import assert from "node:assert/strict";
import { MANIFEST } from "../plan/paths.ts";
import type { PlannedEntry } from "../plan/types.ts";
import { applyChanges } from "./apply.ts";
import { computeChanges } from "./changes.ts";
import { EnvironmentError } from "../errors.ts";

const file = (path: string, content: string, mode = 0o644, restarts?: string[]): PlannedEntry => ({
  kind: "file",
  path,
  content,
  mode,
  restarts,
});

async function withRoot(test: (root: string) => Promise<void>) {
  const root = await Deno.makeTempDir();
  try {
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function converge(root: string, entries: PlannedEntry[]) {
  return applyChanges(computeChanges(entries, { root, prune: true }), { root });
}

Deno.test("apply creates files, links and directories, then a rerun changes nothing", () =>
  withRoot(async (root) => {
    const entries: PlannedEntry[] = [
      file("/etc/a/b.conf", "b\n", 0o640, ["b.service"]),
      { kind: "symlink", path: "/etc/a/link", target: "b.conf" },
      file("/etc/systemd/system/x.service", "[Unit]\n"),
    ];
    const first = converge(root, entries);
    assert.equal(first.changed.length, 3);
    assert.deepEqual(first.restarts, ["b.service"]);
    assert.equal(first.unitFilesChanged, true);
    assert.equal(await Deno.readTextFile(`${root}/etc/a/b.conf`), "b\n");
    assert.equal((await Deno.stat(`${root}/etc/a/b.conf`)).mode! & 0o7777, 0o640);
    assert.equal(await Deno.readLink(`${root}/etc/a/link`), "b.conf");

    const second = converge(root, entries);
    assert.equal(second.changed.length, 0);
    assert.equal(second.unchanged, 3);
    assert.deepEqual(second.restarts, []);
    assert.equal(second.unitFilesChanged, false);
    // No temporary files are left behind.
    assert.deepEqual([...Deno.readDirSync(`${root}/etc/a`)].map((e) => e.name).sort(), ["b.conf", "link"]);
  }));

Deno.test("a mode-only difference is fixed in place, without rewriting the file", () =>
  withRoot(async (root) => {
    converge(root, [file("/etc/x", "x\n", 0o644)]);
    const before = await Deno.stat(`${root}/etc/x`);
    const result = converge(root, [file("/etc/x", "x\n", 0o600)]);
    const change = result.changed[0];
    assert.ok(change.action === "update");
    assert.deepEqual(change.differences, ["mode"]);
    const after = await Deno.stat(`${root}/etc/x`);
    assert.equal(after.ino, before.ino);
    assert.equal(after.mode! & 0o7777, 0o600);
  }));

Deno.test("a changed file is replaced by rename: the old inode is never written to", () =>
  withRoot(async (root) => {
    converge(root, [file("/etc/x", "old\n")]);
    const before = await Deno.stat(`${root}/etc/x`);
    converge(root, [file("/etc/x", "new\n")]);
    const after = await Deno.stat(`${root}/etc/x`);
    assert.notEqual(after.ino, before.ino);
    assert.equal(await Deno.readTextFile(`${root}/etc/x`), "new\n");
  }));

Deno.test("files a previous run managed and the plan dropped are removed; others are left alone", () =>
  withRoot(async (root) => {
    const manifest = (paths: string[]) => file(MANIFEST, [...paths, MANIFEST].sort().join("\n") + "\n");
    converge(root, [file("/etc/keep", "k"), file("/etc/old", "o"), manifest(["/etc/keep", "/etc/old"])]);
    await Deno.writeTextFile(`${root}/etc/operator-notes`, "mine");
    const result = converge(root, [file("/etc/keep", "k"), manifest(["/etc/keep"])]);
    assert.deepEqual(
      result.changed.map((c) => c.action === "remove" ? `remove ${c.path}` : `${c.action} ${c.entry.path}`),
      [`update ${MANIFEST}`, "remove /etc/old"],
    );
    await assert.rejects(() => Deno.stat(`${root}/etc/old`), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(`${root}/etc/operator-notes`), "mine");
  }));

Deno.test("a manifest naming paths outside the root is not followed", () =>
  withRoot(async (root) => {
    await Deno.mkdir(`${root}/var/lib/clusterboot`, { recursive: true });
    await Deno.writeTextFile(`${root}${MANIFEST}`, "/etc/../../victim\n");
    const changes = computeChanges([], { root, prune: true });
    assert.deepEqual(changes, []);
  }));

Deno.test("a directory where a file belongs is an environment error, not a deletion", () =>
  withRoot(async (root) => {
    await Deno.mkdir(`${root}/etc/x`, { recursive: true });
    assert.throws(() => converge(root, [file("/etc/x", "x")]), EnvironmentError);
    assert.ok((await Deno.stat(`${root}/etc/x`)).isDirectory);
  }));
