import assert from "node:assert/strict";
import { BOOT_RUNTIME_FLAGS, RUNTIME_FLAGS } from "../../scripts/runtime_flags.ts";
import { compileLauncher, launcherProgram, launcherScript } from "./launcher.ts";
import { placeLauncher } from "./build.ts";
import { IMAGE_PATHS } from "./image.ts";
import { RUNTIME_CACHE } from "./runtime_cache.ts";

const DIST = new URL("../../dist", import.meta.url).pathname;
const FLAGS = { flags: RUNTIME_FLAGS, bootFlags: BOOT_RUNTIME_FLAGS };

/** A directory laid out as dist/ is, its lib/ the build's, for a launcher to be placed in. */
async function distLike(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "clusterboot-launcher-test-" });
  await Deno.symlink(`${DIST}/lib`, `${dir}/lib`);
  return dir;
}

async function runs(command: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, { args, env, stdin: "null", stdout: "piped", stderr: "piped" }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("the C launcher and the shell launcher run the same entries with the same flags", async () => {
  const dir = await distLike();
  try {
    const script = `${dir}/clusterboot.sh`;
    await Deno.writeTextFile(script, launcherScript(FLAGS), { mode: 0o755 });
    const compiled = await compileLauncher(launcherProgram(FLAGS), `${dir}/clusterboot`);
    assert.ok(compiled.ok, compiled.output);
    for (const args of [["--version"], ["boot", "--help"], ["render", "--bogus"], ["validate", "--help"]]) {
      const [native, shell] = [await runs(`${dir}/clusterboot`, args), await runs(script, args)];
      assert.deepEqual(native, shell, args.join(" "));
      assert.notEqual(native.stdout + native.stderr, "", `${args.join(" ")} printed nothing`);
    }
    // Found through a symbolic link as well: the program asks the kernel where it is.
    await Deno.symlink(`${dir}/clusterboot`, `${dir}/link`);
    assert.match((await runs(`${dir}/link`, ["--version"])).stdout, /^clusterboot /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a launcher compiled for a place uses its directory and runtime cache, unless DENO_DIR is set", async () => {
  const dir = await distLike();
  try {
    const place = { home: dir, denoDir: `${dir}/cache` };
    const compiled = await compileLauncher(launcherProgram(FLAGS), `${dir}/elsewhere`, place);
    assert.ok(compiled.ok, compiled.output);
    // Run from outside its directory: it does not look for lib/ beside itself.
    await Deno.mkdir(`${dir}/bin`);
    await Deno.rename(`${dir}/elsewhere`, `${dir}/bin/clusterboot`);
    const result = await runs(`${dir}/bin/clusterboot`, ["boot", "--help"]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(Deno.statSync(`${dir}/cache`).isDirectory, "no runtime cache where the place says");
    await runs(`${dir}/bin/clusterboot`, ["--version"], { DENO_DIR: `${dir}/own` });
    assert.ok(Deno.statSync(`${dir}/own`).isDirectory, "DENO_DIR given by the caller not used");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("flags are written into the program as C strings", () => {
  const program = launcherProgram({ flags: ['--a="b"', "--c\\d"], bootFlags: [] });
  assert.match(program, /static const char \*const FLAGS\[\] = \{"--a=\\"b\\"", "--c\\\\d", NULL\};/);
  assert.match(program, /static const char \*const BOOT_FLAGS\[\] = \{NULL\};/);
});

Deno.test("the image's copy of a shell launcher names its directory and runtime cache", async () => {
  const dist = await Deno.makeTempDir({ prefix: "clusterboot-launcher-test-" });
  const root = await Deno.makeTempDir({ prefix: "clusterboot-launcher-test-" });
  try {
    await Deno.mkdir(`${dist}/lib`);
    await Deno.writeTextFile(`${dist}/clusterboot`, launcherScript(FLAGS), { mode: 0o755 });
    await placeLauncher(dist, root);
    const placed = await Deno.readTextFile(`${root}${IMAGE_PATHS.clusterboot}`);
    assert.match(
      placed,
      new RegExp(`^here=${IMAGE_PATHS.clusterbootDir}\nexport DENO_DIR="\\$\\{DENO_DIR:-${RUNTIME_CACHE}\\}"$`, "m"),
    );
    assert.equal(placed.replace(/^here=.*\n.*DENO_DIR.*$/m, "here="), launcherScript(FLAGS));
  } finally {
    await Deno.remove(dist, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});
