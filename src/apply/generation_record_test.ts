import assert from "node:assert/strict";
import { EnvironmentError } from "../errors.ts";
import { GENERATIONS_DIR } from "../plan/paths.ts";
import { decodeGeneration } from "./generation.ts";
import { generationNumbers, recordGeneration } from "./generation_record.ts";
import { listGenerations, loadCopies } from "./generation_store.ts";

async function withRoot(test: (root: string) => Promise<void> | void) {
  const root = await Deno.makeTempDir();
  try {
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const mode = (path: string) => Deno.statSync(path).mode! & 0o7777;
const now = () => new Date("2025-03-01T10:00:00Z");

Deno.test("nothing to change records nothing and creates no directory", () =>
  withRoot((root) => {
    assert.equal(recordGeneration([], { root, cause: "boot" }), undefined);
    assert.deepEqual([...Deno.readDirSync(root)], []);
  }));

Deno.test("a generation keeps files, links and absences; copies are 0600 in 0700 directories", () =>
  withRoot(async (root) => {
    await Deno.mkdir(`${root}/etc/secret`, { recursive: true });
    await Deno.writeTextFile(`${root}/etc/secret/key`, "KEY\n", { mode: 0o600 });
    await Deno.writeTextFile(`${root}/etc/hosts`, "127.0.0.1 localhost\n");
    await Deno.chmod(`${root}/etc/hosts`, 0o644);
    await Deno.writeTextFile(`${root}/etc/readable`, "public\n");
    await Deno.chmod(`${root}/etc/readable`, 0o444);
    await Deno.symlink("nodes/a.yaml", `${root}/etc/current`);
    const generation = recordGeneration([
      { path: "/etc/current", action: "updated", units: [] },
      { path: "/etc/hosts", action: "updated", units: ["a.service"] },
      { path: "/etc/new.conf", action: "created", units: ["b.service"] },
      { path: "/etc/readable", action: "updated", units: [] },
      { path: "/etc/secret/key", action: "removed", units: [] },
    ], { root, cause: "boot", node: "worker-01", config: "ab12", now })!;
    assert.equal(generation.number, 1);
    const uid = Deno.uid(), gid = Deno.gid();
    assert.deepEqual(generation.entries.map((e) => e.before), [
      { kind: "symlink", target: "nodes/a.yaml" },
      { kind: "file", mode: 0o644, uid, gid },
      { kind: "absent" },
      { kind: "file", mode: 0o444, uid, gid },
      { kind: "file", mode: 0o600, uid, gid },
    ]);
    const dir = `${root}${GENERATIONS_DIR}`;
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(`${dir}/1`), 0o700);
    assert.equal(mode(`${dir}/1/files/etc/secret`), 0o700);
    assert.equal(mode(`${root}/var/lib`), 0o755, "the node's own directories stay as a node has them");
    for (const copy of ["etc/hosts", "etc/readable", "etc/secret/key"]) {
      assert.equal(mode(`${dir}/1/files/${copy}`), 0o600, copy);
    }
    assert.equal(mode(`${dir}/1/generation.json`), 0o600);
    assert.equal(await Deno.readTextFile(`${dir}/1/files/etc/secret/key`), "KEY\n");
    // What is on disk is what was returned, and the store reads it back with the kept bytes.
    assert.deepEqual(decodeGeneration(await Deno.readTextFile(`${dir}/1/generation.json`), 1), generation);
    assert.deepEqual(listGenerations(root), [generation]);
    const [stored] = loadCopies(root, [generation]);
    assert.deepEqual([...stored.copies.keys()].sort(), ["/etc/hosts", "/etc/readable", "/etc/secret/key"]);
    assert.equal(new TextDecoder().decode(stored.copies.get("/etc/hosts")), "127.0.0.1 localhost\n");
    // Nothing was changed under the root by recording.
    assert.equal(await Deno.readTextFile(`${root}/etc/secret/key`), "KEY\n");
  }));

Deno.test("a directory where a file is managed is refused before any generation is kept", () =>
  withRoot(async (root) => {
    await Deno.mkdir(`${root}/etc/hosts`, { recursive: true });
    await Deno.writeTextFile(`${root}/etc/a`, "a");
    assert.throws(
      () =>
        recordGeneration([
          { path: "/etc/a", action: "updated", units: [] },
          { path: "/etc/hosts", action: "updated", units: [] },
        ], { root, cause: "boot" }),
      (e: Error) => e instanceof EnvironmentError && /etc\/hosts is a directory/.test(e.message),
    );
    assert.deepEqual([...Deno.readDirSync(`${root}${GENERATIONS_DIR}`)], [], "no partial generation is left");
  }));

Deno.test("the newest generations are kept, numbers keep rising, a crash's partial directory is cleaned up", () =>
  withRoot(async (root) => {
    const dir = `${root}${GENERATIONS_DIR}`;
    const change = [{ path: "/etc/a", action: "created" as const, units: [] }];
    for (let i = 0; i < 5; i++) recordGeneration(change, { root, cause: "boot", keep: 3 });
    assert.deepEqual(generationNumbers(dir), [3, 4, 5]);
    await Deno.mkdir(`${dir}/.partial-6-123`);
    await Deno.writeTextFile(`${dir}/.partial-6-123/generation.json`, "{");
    assert.deepEqual(listGenerations(root).map((g) => g.number), [3, 4, 5], "a partial one is not listed");
    assert.equal(recordGeneration(change, { root, cause: "boot", keep: 3 })!.number, 6);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["4", "5", "6"]);
  }));

Deno.test("an existing generations directory made readable by hand is closed again", () =>
  withRoot(async (root) => {
    const dir = `${root}${GENERATIONS_DIR}`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.chmod(dir, 0o755);
    recordGeneration([{ path: "/etc/a", action: "created", units: [] }], { root, cause: "boot" });
    assert.equal(mode(dir), 0o700);
  }));

Deno.test("a damaged generation is reported with its path and what to do", () =>
  withRoot(async (root) => {
    recordGeneration([{ path: "/etc/a", action: "created", units: [] }], { root, cause: "boot" });
    await Deno.writeTextFile(`${root}${GENERATIONS_DIR}/1/generation.json`, '{"format": 1}');
    assert.throws(() => listGenerations(root), (e: Error) => {
      assert.ok(e instanceof EnvironmentError);
      assert.match(e.message, /generations\/1\/generation\.json is damaged: generation 1: expected number 1/);
      assert.match(e.hint!, /remove the directory/);
      return true;
    });
  }));
