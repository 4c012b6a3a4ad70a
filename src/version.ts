/**
 * The version of clusterboot, from deno.json, shown by `--version` and written into generated snapshots.
 *
 * @module
 */
import meta from "../deno.json" with { type: "json" };

export const VERSION: string = meta.version;
