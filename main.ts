/**
 * clusterboot's entry point: runs the command line and exits with its code.
 *
 * Deno.exit ends the process at once, without the runtime's orderly teardown of a heap it is about to drop anyway
 * (boot --dry-run 0.89× of letting the module finish, medians of 40 runs). The runtime stores compiled code (V8's
 * code cache) in a pass of its event loop, which the commands here make as they load their code with a dynamic
 * import; boot and render make sure of one before they exit (boot_main.ts).
 *
 * @module
 */
import { run } from "./src/cli/main.ts";

Deno.exit(await run(Deno.args));
