/**
 * Boot on a failing disk: a root on a small tmpfs that fills up during the apply step, and a read-only root. Each
 * time boot must stop with exit 1 and one plain error line naming the file and the cause (no "os error 28", no stack
 * trace), leave every file either as it was or complete in its new version, leave no temporary file behind, and —
 * once there is room again — a rerun must converge to exactly what an undisturbed boot writes.
 *
 * Run: `deno test --allow-all tests/disk_faults_test.ts` (as root: it mounts tmpfs file systems).
 *
 * @module
 */
import assert from "node:assert/strict";
import { BOOT_RECORD, clusterboot, EXAMPLE_CONFIG, isBootLog, tempDir } from "./support/cli.ts";
import { must, tmpfs } from "./support/mounts.ts";
import { bootArgs, makeSecrets, olderConfig, rootWithUsers } from "./support/node_root.ts";
import { baseName, readTree, sameNode, type Tree, treeDifferences, WRITER_TEMP } from "./support/tree.ts";

const NODE = "master-01";
const LOCK_FILE = "/run/clusterboot.lock";

const work = await Deno.makeTempDir({ prefix: "clusterboot-disk-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const secrets = await makeSecrets(`${work}/secrets`);
const oldConfig = await olderConfig(`${work}/old-config`);
const oldSecrets = await makeSecrets(`${work}/old-secrets`, oldConfig);

const boot = (root: string, config = EXAMPLE_CONFIG, secretsDir = secrets) =>
  clusterboot(bootArgs({ config, secrets: secretsDir, root, node: NODE }));

/** A root in `dir`: an empty node, or one booted from the older configuration. */
async function startingRoot(dir: string, kind: "empty" | "older"): Promise<string> {
  await rootWithUsers(dir);
  if (kind === "older") assert.equal((await boot(dir, oldConfig, oldSecrets)).code, 0);
  return dir;
}

/** The tree an undisturbed boot makes of a starting root of this kind (without its boot record). */
async function finalTree(kind: "empty" | "older"): Promise<Tree> {
  await using dir = await tempDir();
  const root = await startingRoot(`${dir.path}/root`, kind);
  const result = await boot(root);
  assert.equal(result.code, 0, result.stderr);
  const tree = await readTree(root);
  for (const path of [...tree.keys()]) if (isBootLog(path)) tree.delete(path);
  return tree;
}

/** Exit 1 and a single error line matching `error`, with no system error number and no stack trace. */
function assertClearFailure(result: { code: number; stderr: string }, error: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  const errors = result.stderr.split("\n").filter((line) => line.startsWith("error:"));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0], error);
  assert.doesNotMatch(result.stderr, /os error|^\s+at /m);
}

/**
 * After a failed boot: every file is its version in `before` or in `after` (none torn, none half-made), no
 * temporary file of the writer is left, and the boot record, if any, is JSON. Returns how many files are new.
 */
function assertOldOrNew(tree: Tree, before: Tree, after: Tree): number {
  let fresh = 0;
  for (const [path, node] of tree) {
    if (node.kind === "dir") continue;
    assert.ok(!WRITER_TEMP.test(baseName(path)), `temporary file left behind: ${path}`);
    if (path === BOOT_RECORD || path.endsWith("/generation.json")) {
      JSON.parse(new TextDecoder().decode(node.bytes));
      continue;
    }
    if (isBootLog(path)) continue;
    assert.notEqual(path, LOCK_FILE, "the lock is released");
    const old = sameNode(node, before.get(path));
    const now = sameNode(node, after.get(path));
    assert.ok(old || now, `${path} is neither its old nor its new version`);
    if (now && !old) fresh++;
  }
  for (const path of before.keys()) {
    if (after.has(path)) assert.ok(tree.has(path), `${path} vanished`);
  }
  return fresh;
}

const counts = { fullTried: 0, fullHandled: 0, roTried: 0, roHandled: 0 };
globalThis.addEventListener("unload", () => {
  if (counts.fullTried) {
    console.log(
      `full disk: ${counts.fullTried} boots tried, ${counts.fullHandled} handled, ${
        counts.fullTried - counts.fullHandled
      } lost`,
    );
  }
  if (counts.roTried) {
    console.log(
      `read-only root: ${counts.roTried} boots tried, ${counts.roHandled} handled, ${
        counts.roTried - counts.roHandled
      } lost`,
    );
  }
});

Deno.test("a disk that fills up halfway through the writes: exit 1, files old or new, no temp file; a rerun converges", async () => {
  counts.fullTried++;
  const final = await finalTree("empty");
  await using fs = await tmpfs("size=8m");
  const root = await startingRoot(`${fs.path}/root`, "empty");
  const before = await readTree(root);
  // Room for half of what the boot writes (tmpfs counts whole pages), the rest taken by a filler.
  const { blocks, blockSize } = await fs.free();
  const needed = [...final.values()].reduce((n, f) => n + Math.ceil((f.bytes?.length ?? 0) / blockSize), 0);
  const filler = `${fs.path}/filler`;
  await Deno.writeFile(filler, new Uint8Array((blocks - Math.floor(needed / 2)) * blockSize));

  const result = await boot(root);
  assertClearFailure(result, new RegExp(`^error: cannot write ${root}/\\S+: no space left on device$`));
  assert.match(result.stderr, /^hint: free some space and rerun$/m);
  assert.match(result.stderr, /^\[failed\] apply/m);
  const fresh = assertOldOrNew(await readTree(root), before, final);
  const writes = [...final.keys()].filter((p) => final.get(p)!.kind !== "dir" && !before.has(p)).length;
  assert.ok(fresh > 0 && fresh < writes, `the disk filled up during the writes: ${fresh} of ${writes} done`);

  await Deno.remove(filler);
  const rerun = await boot(root);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.deepEqual(treeDifferences(await readTree(root), final, isBootLog), []);
  counts.fullHandled++;
});

Deno.test("a disk already full when files must be updated: exit 1, nothing changed; a rerun with room converges", async () => {
  counts.fullTried++;
  const final = await finalTree("older");
  await using fs = await tmpfs("size=8m");
  const root = await startingRoot(`${fs.path}/root`, "older");
  const before = await readTree(root);
  const { blocks, blockSize } = await fs.free();
  const filler = `${fs.path}/filler`;
  await Deno.writeFile(filler, new Uint8Array(blocks * blockSize));

  const result = await boot(root);
  assertClearFailure(result, new RegExp(`^error: cannot write ${root}/\\S+: no space left on device$`));
  assert.equal(assertOldOrNew(await readTree(root), before, final), 0);
  assert.deepEqual(treeDifferences(await readTree(root), before), [], "nothing changed");

  await Deno.remove(filler);
  const rerun = await boot(root);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /\d+ updated, [1-9]\d* removed/);
  assert.deepEqual(treeDifferences(await readTree(root), final, isBootLog), []);
  counts.fullHandled++;
});

Deno.test("a read-only root with a writable /run (as a node whose / went read-only): exit 1, nothing changed", async () => {
  counts.roTried++;
  await using fs = await tmpfs("size=8m");
  const root = await startingRoot(`${fs.path}/root`, "older");
  await fs.mountInside(`${root}/run`, "size=1m,mode=0755");
  const before = await readTree(root);
  await fs.remount("ro");

  const result = await boot(root);
  assertClearFailure(result, new RegExp(`^error: cannot write ${root}/\\S+: the file system is read-only$`));
  assert.match(result.stderr, /^\[failed\] apply/m);
  assert.match(result.stderr, /warning: boot timings not recorded: cannot write \S+: the file system is read-only/);
  assert.deepEqual(treeDifferences(await readTree(root), before), [], "nothing changed, and the lock is released");
  counts.roHandled++;
});

Deno.test("a read-only root, /run included: exit 1 before reading the configuration, nothing changed", async () => {
  counts.roTried++;
  await using fs = await tmpfs("size=8m");
  const root = await startingRoot(`${fs.path}/root`, "older");
  const before = await readTree(root);
  await fs.remount("ro");

  const result = await boot(root);
  assertClearFailure(
    result,
    new RegExp(`^error: cannot write ${root}${LOCK_FILE}: the file system is read-only$`),
  );
  assert.doesNotMatch(result.stderr, /\[started\]/);
  assert.deepEqual(treeDifferences(await readTree(root), before), [], "nothing changed");
  // The same root as a read-only bind mount of a writable one: refused the same way.
  await fs.remount("rw");
  await using bind = await tempDir();
  await must("mount", ["--bind", "-o", "ro", root, bind.path]);
  try {
    const again = await boot(bind.path);
    assertClearFailure(again, /: the file system is read-only$/);
  } finally {
    await must("umount", [bind.path]);
  }
  assert.deepEqual(treeDifferences(await readTree(root), before), [], "nothing changed");
  counts.roHandled++;
});
