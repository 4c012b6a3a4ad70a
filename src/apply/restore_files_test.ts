import assert from "node:assert/strict";
import { EnvironmentError } from "../errors.ts";
import { MANIFEST } from "../plan/paths.ts";
import type { PlannedEntry } from "../plan/types.ts";
import { applyChanges } from "./apply.ts";
import { computeChanges } from "./changes.ts";
import { intendedChanges } from "./generation.ts";
import { recordGeneration } from "./generation_record.ts";
import { listGenerations, loadCopies, readDiskStates } from "./generation_store.ts";
import { planRestore, restorePaths } from "./restore.ts";
import { restoreFiles } from "./restore_files.ts";

async function withRoot(test: (root: string) => Promise<void> | void) {
  const root = await Deno.makeTempDir();
  try {
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** What boot does: record, then apply, with a manifest of the managed paths as planNode adds it. */
function boot(root: string, planned: PlannedEntry[]) {
  const paths = [...planned.map((e) => e.path), MANIFEST].sort();
  const entries = [...planned, file(MANIFEST, paths.join("\n") + "\n")];
  const changes = computeChanges(entries, { root, prune: true });
  recordGeneration(intendedChanges(changes), { root, cause: "boot" });
  applyChanges(changes, { root });
}

/** What rollback does with the latest generation. */
function rollback(root: string) {
  const history = listGenerations(root);
  const target = history.at(-1)!.number;
  const stored = loadCopies(root, history);
  const plan = planRestore(stored, target, readDiskStates(root, restorePaths(history, target)));
  restoreFiles(plan, { root });
  return plan;
}

/** Every file and link under `root` outside the generations: path → mode and content. */
function tree(root: string, dir = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Deno.readDirSync(`${root}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (path === "/var/lib/clusterboot/generations") continue;
    const info = Deno.lstatSync(`${root}${path}`);
    if (info.isDirectory) Object.assign(out, tree(root, path));
    else if (info.isSymlink) out[path] = `-> ${Deno.readLinkSync(`${root}${path}`)}`;
    else out[path] = `${(info.mode! & 0o7777).toString(8)} ${Deno.readTextFileSync(`${root}${path}`)}`;
  }
  return out;
}

const file = (path: string, content: string, mode = 0o644): PlannedEntry => ({ kind: "file", path, content, mode });

Deno.test("boot, change, rollback: the tree is as after the first boot; the changed plan converges again", () =>
  withRoot((root) => {
    boot(root, [
      file("/etc/a.conf", "a one\n"),
      file("/etc/secret.key", "KEY\n", 0o600),
      { kind: "symlink", path: "/etc/current", target: "nodes/a.yaml" },
    ]);
    const first = tree(root);
    boot(root, [
      file("/etc/a.conf", "a two\n", 0o640),
      file("/etc/b.conf", "b\n"),
      { kind: "symlink", path: "/etc/current", target: "nodes/b.yaml" },
    ]);
    const second = tree(root);
    assert.notDeepEqual(second, first);
    const plan = rollback(root);
    assert.deepEqual(plan.steps.map((s) => [s.action, s.path]), [
      ["update", "/etc/a.conf"],
      ["update", "/etc/current"],
      ["create", "/etc/secret.key"],
      ["remove", "/etc/b.conf"],
      ["update", MANIFEST],
    ]);
    assert.deepEqual(tree(root), first);
    // The rollback recorded nothing itself here (the CLI does); a second boot with the second plan converges again.
    boot(root, [
      file("/etc/a.conf", "a two\n", 0o640),
      file("/etc/b.conf", "b\n"),
      { kind: "symlink", path: "/etc/current", target: "nodes/b.yaml" },
    ]);
    assert.deepEqual(tree(root), second);
  }));

Deno.test("a directory in the place of a file to restore is refused, naming it", () =>
  withRoot(async (root) => {
    boot(root, [file("/etc/a.conf", "a one\n")]);
    boot(root, [file("/etc/a.conf", "a two\n")]);
    await Deno.remove(`${root}/etc/a.conf`);
    await Deno.mkdir(`${root}/etc/a.conf`);
    assert.throws(
      () => rollback(root),
      (e: Error) => e instanceof EnvironmentError && /etc\/a\.conf is a directory where clusterboot/.test(e.message),
    );
  }));
