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
