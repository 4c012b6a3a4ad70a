/**
 * clusterboot's entry point: runs the command line and exits with its code. The only place that calls Deno.exit.
 *
 * @module
 */
import { run } from "./src/cli/main.ts";

Deno.exit(await run(Deno.args));
