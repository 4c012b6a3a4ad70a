/**
 * The image carries the runtime's compiled code of clusterboot (src/iso/runtime_cache.ts): made at the image's own
 * paths, with the same bytes from the same build, and taken by the runtime as it is, without compiling again.
 * Needs root, as building the image does (a mount namespace).
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { placeLauncher } from "../src/iso/build.ts";
import { IMAGE_PATHS } from "../src/iso/image.ts";
import { RUNTIME_CACHE, warmingCommand, warmRuntimeCache } from "../src/iso/runtime_cache.ts";
import { tempDir } from "./support/cli.ts";

const DIST = new URL("../dist", import.meta.url).pathname;
const ignore = Deno.uid() !== 0;

/** A payload layer holding clusterboot as the image builder places it. */
async function payload(dir: string): Promise<string> {
  const home = `${dir}${IMAGE_PATHS.clusterbootDir}`;
  await Deno.mkdir(home, { recursive: true });
  const copied = await new Deno.Command("cp", { args: ["-a", `${DIST}/.`, home] }).output();
  assert.ok(copied.success, "copying dist/");
  await placeLauncher(DIST, dir);
  return dir;
}

/** Every row of the runtime's code cache: module URL and a digest of its compiled code. */
async function cachedCode(cache: string): Promise<Map<string, string>> {
  const db = new DatabaseSync(`${cache}/v8_code_cache_v2`, { readOnly: true });
  try {
    const rows = db.prepare("SELECT specifier, data FROM codecache").all() as {
      specifier: string;
      data: Uint8Array<ArrayBuffer>;
    }[];
    const digests = new Map<string, string>();
    for (const row of rows) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", row.data));
      digests.set(row.specifier, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
    }
    return digests;
  } finally {
    db.close();
  }
}

/** Runs the image's clusterboot with `args` at the image's paths, its runtime's cache in `cache`. */
async function runAsOnImage(root: string, cache: string, args: string[]) {
  const [command, ...rest] = warmingCommand(root, args);
  const output = await new Deno.Command(command, { args: rest, env: { DENO_DIR: cache }, stdout: "piped" }).output();
  assert.ok(output.success, `clusterboot ${args.join(" ")} at the image's paths`);
  return new TextDecoder().decode(output.stdout);
}

Deno.test({
  name: "image: clusterboot's compiled code made at the image's paths, the same bytes twice, taken as it is",
  ignore,
  async fn() {
    await using first = await tempDir();
    await using second = await tempDir();
    const warmed = await warmRuntimeCache(await payload(first.path));
    assert.ok(warmed.databases >= 1);
    const cache = `${first.path}${RUNTIME_CACHE}`;
    const code = await cachedCode(cache);
    // Both entries, under the image's paths only.
    const lib = `file://${IMAGE_PATHS.clusterbootDir}/lib`;
    assert.ok(code.has(`${lib}/boot/boot_main.js`), [...code.keys()].join("\n"));
    assert.ok(code.has(`${lib}/main.js`), [...code.keys()].join("\n"));
    assert.deepEqual([...code.keys()].filter((url) => !url.startsWith(`${lib}/`)), []);
    // The image is reproducible: the same build gives the same files.
    await warmRuntimeCache(await payload(second.path));
    for (const { name } of Deno.readDirSync(cache)) {
      if (name === "npm") continue;
      const [a, b] = [first.path, second.path].map((dir) => Deno.readFileSync(`${dir}${RUNTIME_CACHE}/${name}`));
      assert.deepEqual(a, b, `${RUNTIME_CACHE}/${name} differs between two builds`);
    }
    // A node's run finds its code there and stores nothing new; with an empty cache the same run stores it all.
    await runAsOnImage(first.path, cache, ["boot", "--help"]);
    assert.deepEqual(await cachedCode(cache), code);
    await using empty = await tempDir();
    await runAsOnImage(first.path, empty.path, ["boot", "--help"]);
    const fresh = await cachedCode(empty.path);
    assert.ok(fresh.has(`${lib}/boot/boot_main.js`), "a run with an empty cache stores its code");
  },
});
