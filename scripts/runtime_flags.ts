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
