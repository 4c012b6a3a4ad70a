/**
 * The flags the runtime runs clusterboot's bundle with, in the launcher and in `deno compile` alike; the benchmark's
 * floor (an empty script) runs with the same.
 *
 * @module
 */

/**
 * All permissions: clusterboot runs as root to write /etc, start units, read block devices under /dev (which Deno
 * grants only with --allow-all) and run the daemons' tools; narrower flags protect nothing here.
 */
export const PERMISSIONS = ["--allow-all"];

/**
 * A young generation of up to 16 MiB (semi-space): parsing thousands of node files makes short-lived objects by the
 * million, and with V8's smaller default the collector ran about twice as often. A small command never grows it.
 */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=16"];
