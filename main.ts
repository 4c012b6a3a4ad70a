/**
 * clusterboot's entry point: runs the command line and sets the exit code.
 *
 * The process ends by itself rather than through Deno.exit: letting the module finish evaluating is what lets the
 * runtime store its compiled code (V8's code cache), which makes every later start cheaper.
 *
 * @module
 */
import { run } from "./src/cli/main.ts";

Deno.exitCode = await run(Deno.args);
