/**
 * The flags the runtime runs clusterboot's bundle with, in the launcher and in `deno compile` alike; the benchmark's
 * floor (an empty script) runs with the same. (A larger young generation, --max-semi-space-size=16, was tried for
 * large clusters: validate of 5,000 nodes 0.97× (0.95–1.03) of without it, so not kept.)
 *
 * @module
 */

/**
 * All permissions: clusterboot runs as root to write /etc, start units, read block devices under /dev (which Deno
 * grants only with --allow-all) and run the daemons' tools; narrower flags protect nothing here.
 */
export const PERMISSIONS = ["--allow-all"];

/**
 * V8 compiles every function of a module when it compiles the module, not each one at its first call. The runtime
 * keeps the compiled module in its code cache, so from the second start on no function is compiled again: with lazy
 * compilation only the modules' top level was cached and every run compiled the functions it called. Side by side,
 * 21 pairs each: boot --dry-run 0.86×, render 0.89×, validate 0.80×, validate of 5,000 nodes 0.93×; a start with an
 * empty cache 1.04×. About 1 MiB more memory.
 */
export const V8_FLAGS = ["--v8-flags=--no-lazy"];

/** What the launcher, `deno compile` and the benchmark's floor pass to the runtime. */
export const RUNTIME_FLAGS = [...PERMISSIONS, ...V8_FLAGS];

/**
 * boot and render (the boot-time entry) also run V8 without its background threads: their work is a few
 * milliseconds on one thread, and V8's helpers only competed with it for the processor. Whole runs side by side:
 * boot --dry-run 0.92× (60 pairs), render 0.96× (40 pairs); the runtime's empty script 1.01× (40 pairs). Not for the
 * other commands: validate of 5,000 nodes took 1.38× without the helpers (8 pairs), and so would boot from a
 * configuration it must validate in full, which a node does only after its configuration was edited (the image
 * carries the compiled snapshot).
 *
 * And V8's baseline compiler (Sparkplug) waits for 64 KiB of bytecode to be worth compiling, not 4 KiB: in a run
 * this short, what it compiled did not pay for itself. Instructions counted (callgrind): boot --dry-run 0.976×,
 * render 0.981×, boot validating the YAML in full 1.005× (turning Sparkplug off instead: 1.09× there).
 */
export const BOOT_V8_FLAGS = ["--v8-flags=--no-lazy,--single-threaded,--baseline-batch-compilation-threshold=65536"];

/** What the launcher passes to the runtime for boot and render, and the floor of their benchmark rows. */
export const BOOT_RUNTIME_FLAGS = [...PERMISSIONS, ...BOOT_V8_FLAGS];
