/**
 * `deno task build`: makes dist/clusterboot.
 *
 * The code is bundled first (the npm packages' browser builds, which skip Deno's Node layer at start-up; split so
 * that heavy modules load only for the commands that use them): main.ts with every command, and boot_main.ts with
 * only `boot` and `render`, which every node runs at every boot, in a directory of its own.
 * Then, when a `denort` is available (DENORT_BIN, or Deno's download works), `deno compile` makes one self-contained
 * executable from the bundle. Otherwise dist/clusterboot is a launcher that runs the bundle with the pinned Deno
 * runtime copied beside it. The output says plainly which was made.
 *
 * @module
 */
import { BOOT_RUNTIME_FLAGS, RUNTIME_FLAGS } from "./runtime_flags.ts";
import { loadedOnDemand } from "./on_demand.ts";
import { compileLauncher, LAUNCHER_SOURCE, launcherProgram, launcherScript } from "../src/iso/launcher.ts";
const DIST = new URL("../dist/", import.meta.url).pathname;
const LIB = `${DIST}lib/`;
/** The entry of the bundle; the code only some commands need sits in chunks beside it, loaded on demand. */
const BUNDLE = `${LIB}main.js`;
/** The boot-time entry's bundle, with chunks of its own: the runtime looks at no other command's files. */
const BOOT_LIB = `${LIB}boot/`;
const EXE = `${DIST}clusterboot`;
const deno = Deno.execPath();

async function run(args: string[], env: Record<string, string> = {}): Promise<{ ok: boolean; output: string }> {
  const result = await new Deno.Command(deno, {
    args,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const decoder = new TextDecoder();
  return { ok: result.success, output: decoder.decode(result.stdout) + decoder.decode(result.stderr) };
}

await Deno.remove(DIST, { recursive: true }).catch(() => {});
await Deno.mkdir(LIB, { recursive: true });

const root = new URL("../", import.meta.url).pathname;
// Code splitting keeps the YAML parser, the schema and the X.509 library out of what boot's start has to load.
for (const [entry, outdir] of [["main.ts", LIB], ["boot_main.ts", BOOT_LIB]]) {
  const bundled = await run([
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--minify",
    "--code-splitting",
    "--outdir",
    outdir,
    `${root}${entry}`,
  ]);
  if (!bundled.ok) {
    console.error(bundled.output);
    console.error(`build failed: deno bundle ${entry}`);
    Deno.exit(1);
  }
}

// The boot-time entry's validation chunk stays out of the module graph the runtime reads at every start.
const bootEntry = `${BOOT_LIB}boot_main.js`;
const validation = [...Deno.readDirSync(BOOT_LIB)].map((e) => e.name).filter((n) => /^validate-\w+\.js$/.test(n));
if (validation.length !== 1) {
  throw new Error(`build: expected one validation chunk in ${BOOT_LIB}, found ${validation}`);
}
await Deno.writeTextFile(bootEntry, loadedOnDemand(await Deno.readTextFile(bootEntry), validation));

const denort = Deno.env.get("DENORT_BIN");
const compiled = await run(
  ["compile", "--quiet", "--no-config", ...RUNTIME_FLAGS, "--output", EXE, BUNDLE],
  denort ? { DENORT_BIN: denort } : {},
);
const size = (path: string) => `${(Deno.statSync(path).size / 1024 / 1024).toFixed(1)} MiB`;
const bundleSize = (dir: string) => {
  const js = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".js"));
  const bytes = js.reduce((n, e) => n + Deno.statSync(`${dir}${e.name}`).size, 0);
  return `${js.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB`;
};

if (compiled.ok) {
  // One image holds one entry: every command, boot and render included, runs from main.ts's bundle.
  console.log(`built ${EXE}: deno compile, one self-contained executable (${size(EXE)})`);
} else {
  // The innermost cause is the informative one ("1: error sending request for url (...denort...zip)").
  const causes = compiled.output.split("\n").filter((l) => /^\s+\d+: /.test(l));
  const reason = causes.find((l) => /denort|url|DENORT/i.test(l))?.trim().replace(/^\d+: /, "") ??
    compiled.output.trim().split("\n")[0];
  // Same runtime, same code: the pinned Deno beside the bundle, behind one command.
  await Deno.copyFile(deno, `${LIB}deno`);
  await Deno.chmod(`${LIB}deno`, 0o755);
  // A static C program where a C compiler can make one, else a shell script (src/iso/launcher.ts). The image
  // compiles its copy from the program's source, kept in lib/.
  const launcherFlags = { flags: RUNTIME_FLAGS, bootFlags: BOOT_RUNTIME_FLAGS };
  const program = launcherProgram(launcherFlags);
  const native = await compileLauncher(program, EXE);
  if (native.ok) {
    await Deno.writeTextFile(`${LIB}${LAUNCHER_SOURCE}`, program);
  } else {
    await Deno.writeTextFile(EXE, launcherScript(launcherFlags), { mode: 0o755 });
    await Deno.chmod(EXE, 0o755);
  }
  const launcher = native.ok
    ? "a static C launcher"
    : `a shell launcher (no static C program: ${native.output.split("\n")[0]})`;
  console.log(
    `built ${EXE}: NOT self-contained — ${launcher} running the bundle ${BUNDLE} (${bundleSize(LIB)}; boot and ` +
      `render: ${BOOT_LIB}boot_main.js, ${bundleSize(BOOT_LIB)}) with the pinned Deno ${Deno.version.deno} copied to ` +
      `${LIB}deno (${size(`${LIB}deno`)}).\n` +
      `  deno compile was not possible: ${reason}\n  set DENORT_BIN=/path/to/denort to build one executable.`,
  );
}
