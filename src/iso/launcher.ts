/**
 * The launcher `clusterboot` when `deno compile` cannot make one executable: it runs the bundle in lib/ beside it with
 * the pinned runtime there, `boot` and `render` from their own entry with their own flags. It is a small static C
 * program where the build machine has a C compiler, else a shell script; both do the same. The program spares every
 * start the shell and its libraries: whole runs side by side, through the program against through the script, boot
 * --dry-run 0.99× (four runs of 100 pairs: 0.980–0.991), render 0.99×. The image's copy has its directory and the
 * runtime's cache written in (src/iso/build.ts).
 *
 * @example
 * ```ts
 * const flags = { flags: ["--allow-all"], bootFlags: ["--allow-all", "--v8-flags=--single-threaded"] };
 * await compileLauncher(launcherProgram(flags), "dist/clusterboot");
 * ```
 * @module
 */

/** The runtime's flags for every command, and for `boot` and `render`. */
export interface LauncherFlags {
  flags: readonly string[];
  bootFlags: readonly string[];
}

/** What a copy of the launcher knows beforehand instead of finding out: the image's. */
export interface LauncherPlace {
  /** The directory holding lib/. */
  home: string;
  /** The runtime's cache (DENO_DIR) when the caller sets none. */
  denoDir: string;
}

/** The C program's source in a build's lib/, which the image compiles its copy from. */
export const LAUNCHER_SOURCE = "launcher.c";

/** The arguments before the flags: no config or lock file is looked for, nothing is asked, nothing is printed. */
const RUN = ["run", "--quiet", "--no-config", "--no-lock", "--no-prompt"];

const cString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const cList = (items: readonly string[]) => [...items.map(cString), "NULL"].join(", ");

/** The C program's source. A copy compiled with CLUSTERBOOT_HOME and CLUSTERBOOT_DENO_DIR knows its place. */
export function launcherProgram({ flags, bootFlags }: LauncherFlags): string {
  return `/* clusterboot: the bundle in lib/ beside this program, run by the pinned Deno runtime there.
 * (Built without deno compile, which needs a denort binary that could not be had: set DENORT_BIN to use one.)
 * Written by clusterboot's build (src/iso/launcher.ts); the image compiles its copy with its directory in. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const RUN[] = {${cList(RUN)}};
static const char *const FLAGS[] = {${cList(flags)}};
/* boot and render, run at every boot, have a bundle of their own that holds nothing else, and flags of their own. */
static const char *const BOOT_FLAGS[] = {${cList(bootFlags)}};

int main(int argc, char **argv) {
  char home[PATH_MAX];
#ifdef CLUSTERBOOT_HOME
  snprintf(home, sizeof home, "%s", CLUSTERBOOT_HOME);
#else
  /* Where this program is, its links resolved, without a second process. */
  ssize_t n = readlink("/proc/self/exe", home, sizeof home - 1);
  if (n <= 0) {
    fprintf(stderr, "clusterboot: cannot find where it is (/proc/self/exe): %s\\n", strerror(errno));
    return 127;
  }
  home[n] = '\\0';
  *strrchr(home, '/') = '\\0';
#endif
#ifdef CLUSTERBOOT_DENO_DIR
  setenv("DENO_DIR", CLUSTERBOOT_DENO_DIR, 0);
#endif
  /* No update check: the runtime would look up its download site on every start, at boot before the network is up. */
  setenv("DENO_NO_UPDATE_CHECK", "1", 1);
  int every_boot = argc > 1 && (strcmp(argv[1], "boot") == 0 || strcmp(argv[1], "render") == 0);
  const char *const *flags = every_boot ? BOOT_FLAGS : FLAGS;
  char deno[PATH_MAX + 16], entry[PATH_MAX + 32];
  snprintf(deno, sizeof deno, "%s/lib/deno", home);
  snprintf(entry, sizeof entry, "%s/lib/%s", home, every_boot ? "boot/boot_main.js" : "main.js");

  size_t count = 0;
  while (flags[count]) count++;
  /* The runtime, RUN, the flags, the entry, the arguments, and the closing NULL. */
  const char **args = calloc(argc + count + sizeof RUN / sizeof *RUN + 2, sizeof *args);
  if (!args) return 127;
  size_t i = 0;
  args[i++] = deno;
  for (const char *const *a = RUN; *a; a++) args[i++] = *a;
  for (const char *const *f = flags; *f; f++) args[i++] = *f;
  args[i++] = entry;
  for (int k = 1; k < argc; k++) args[i++] = argv[k];
  execv(deno, (char *const *)args);
  fprintf(stderr, "clusterboot: cannot run %s: %s\\n", deno, strerror(errno));
  return 127;
}
`;
}

/**
 * The shell script that does the same, for a machine without a C compiler. The image's copy has its directory and
 * cache written in on the `here=` line ({@link placedScript}).
 */
export function launcherScript({ flags, bootFlags }: LauncherFlags): string {
  return `#!/bin/sh
# clusterboot: the bundle beside this script, run by the pinned Deno runtime beside it.
# (Built without deno compile, which needs a denort binary that could not be had: set DENORT_BIN to use one.)
# Where this script's lib/ is: written on the next line by a copy that knows (the image's), else found from $0,
# without forking when called by path; a symbolic link costs a readlink.
here=
if [ -z "$here" ]; then
  self=$0
  [ -L "$self" ] && self=$(readlink -f "$self")
  case $self in */*) here=\${self%/*} ;; *) here=$(dirname "$(command -v "$self")") ;; esac
fi
# boot and render, run at every boot, have a bundle of their own that holds nothing else, and flags of their own.
case \${1-} in
  boot|render) entry=boot/boot_main.js flags="${bootFlags.join(" ")}" ;;
  *) entry=main.js flags="${flags.join(" ")}" ;;
esac
# No update check: the runtime would look up its download site on every start, at boot before the network is up.
DENO_NO_UPDATE_CHECK=1 exec "$here/lib/deno" ${RUN.join(" ")} $flags "$here/lib/$entry" "$@"
`;
}

/**
 * A shell launcher (`script`, read from `file`) told its place on its `here=` line. Every run on a node shares one
 * runtime cache, which the image carries warm (runtime_cache.ts), rather than one under whatever home it is given.
 */
export function placedScript(script: string, place: LauncherPlace, file: string): string {
  const placed = script.replace(/^here=$/m, `here=${place.home}\nexport DENO_DIR="\${DENO_DIR:-${place.denoDir}}"`);
  if (placed === script) throw new Error(`${file} has no "here=" line: not a launcher this build knows`);
  return placed;
}

/**
 * Compiles `source` into a static executable at `out`; a copy for `place` has its directory and cache written in.
 * Static: the dynamic loader and the C library's set-up would cost about what the shell does. Resolves to false, with
 * the compiler's words, when there is no C compiler or no static C library.
 */
export async function compileLauncher(
  source: string,
  out: string,
  place?: LauncherPlace,
): Promise<{ ok: boolean; output: string }> {
  const defines = place
    ? [`-DCLUSTERBOOT_HOME=${cString(place.home)}`, `-DCLUSTERBOOT_DENO_DIR=${cString(place.denoDir)}`]
    : [];
  const dir = await Deno.makeTempDir({ prefix: "clusterboot-launcher-" });
  try {
    await Deno.writeTextFile(`${dir}/launcher.c`, source);
    const cc = new Deno.Command("cc", {
      args: ["-O2", "-static", "-s", "-Wall", ...defines, "-o", `${dir}/clusterboot`, `${dir}/launcher.c`],
      stdout: "piped",
      stderr: "piped",
    });
    // Only a missing compiler means "no C launcher here"; any other failure is an error of its own.
    const compiled = await cc.output().catch((error) => {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    });
    if (!compiled) return { ok: false, output: "no C compiler (cc) on this machine" };
    const output = new TextDecoder().decode(compiled.stderr).trim();
    if (!compiled.success) return { ok: false, output };
    await Deno.copyFile(`${dir}/clusterboot`, out);
    await Deno.chmod(out, 0o755);
    return { ok: true, output };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
