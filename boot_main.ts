/**
 * The entry the launcher runs for `boot` and `render`, the commands every node runs at every boot. Its bundle holds
 * those two and what they load, and names no other command's code: the runtime reads and looks up fewer files at
 * start (boot --dry-run 0.87× of main.ts's bundle, medians of 31 pairs). Any other command runs from main.ts.
 *
 * @module
 */
import { dispatch } from "./src/cli/dispatch.ts";
import { EVERY_BOOT } from "./src/cli/every_boot.ts";

const USAGE = `this entry runs only: ${
  EVERY_BOOT.map((c) => c.name).join(", ")
}; "clusterboot --help" lists every command`;

const code = await dispatch(Deno.args, EVERY_BOOT, USAGE);
// Exits at once, as main.ts does and for the same reason, once the runtime has stored this bundle's compiled code.
await import("./src/cli/code_cache.ts");
Deno.exit(code);
