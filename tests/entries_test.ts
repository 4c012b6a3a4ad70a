/**
 * The launcher runs `boot` and `render` from a bundle of their own (dist/lib/boot/boot_main.js) and every other
 * command from dist/lib/main.js, which is also what `deno compile` makes one executable of. Both entries must give
 * the same answer to the same command line: output, exit code and files written.
 *
 * @module
 */
import assert from "node:assert/strict";
import { BOOT_RUNTIME_FLAGS, RUNTIME_FLAGS } from "../scripts/runtime_flags.ts";
import { EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";
import { readTree, treeDifferences } from "./support/tree.ts";

const LIB = new URL("../dist/lib/", import.meta.url).pathname;
const ENTRIES = { main: `${LIB}main.js`, boot: `${LIB}boot/boot_main.js` };

/** Runs `entry` as the launcher does, with that entry's flags. */
async function runEntry(entry: string, args: string[]) {
  const flags = entry === ENTRIES.boot ? BOOT_RUNTIME_FLAGS : RUNTIME_FLAGS;
  const output = await new Deno.Command(`${LIB}deno`, {
    args: ["run", "--quiet", "--no-config", "--no-lock", "--no-prompt", ...flags, entry, ...args],
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\(\d+ ms\)/g, "(N ms)");
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

/** Runs `args` with both entries, each in a root of its own (`ROOT` in args), and checks they agree. */
async function sameFromBoth(args: string[], prepare?: (root: string) => Promise<void>) {
  await using main = await tempDir();
  await using boot = await tempDir();
  const results = [];
  for (const [entry, dir] of [[ENTRIES.main, main.path], [ENTRIES.boot, boot.path]]) {
    await prepare?.(dir);
    const result = await runEntry(entry, args.map((a) => a.replaceAll("ROOT", dir)));
    results.push({
      ...result,
      stdout: result.stdout.replaceAll(dir, "ROOT"),
      stderr: result.stderr.replaceAll(dir, "ROOT"),
    });
  }
  assert.deepEqual(results[1], results[0]);
  // The boot's timings and undo records carry the time of day; everything else must be byte for byte the same.
  const timed = (path: string) => path.startsWith("/var/lib/clusterboot/");
  assert.deepEqual(treeDifferences(await readTree(boot.path), await readTree(main.path), timed), []);
  return results[0];
}

/** A boot of the example's master-01 onto `root`. */
const bootMaster = (root: string) => ["boot", "--config", EXAMPLE_CONFIG, "--node", "master-01", "--root", root];

Deno.test("boot from either bundle: the same plan, the same files", async () => {
  const dry = await sameFromBoth([...bootMaster("ROOT"), "--dry-run"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /start if not running: kubernetes-master\.target/);
  const real = await sameFromBoth(bootMaster("ROOT"));
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stderr, /\[finished\] apply ROOT/);
});

Deno.test("render from either bundle after a boot: the same daemon files", async () => {
  const booted = async (root: string) => {
    const result = await runEntry(ENTRIES.main, bootMaster(root));
    assert.equal(result.code, 0, result.stderr);
  };
  const result = await sameFromBoth(["render", "--service", "containerd", "--root", "ROOT"], booted);
  assert.equal(result.code, 0, result.stderr);
});

Deno.test("help, version and refusals from either bundle", async () => {
  for (const args of [["boot", "--help"], ["render", "--help"], ["--version"], ["boot", "--bogus"], ["render"]]) {
    const result = await sameFromBoth(args);
    assert.notEqual(result.stdout + result.stderr, "", `${args.join(" ")} printed nothing`);
  }
  assert.equal((await runEntry(ENTRIES.boot, ["boot", "--bogus"])).code, 2);
});
