/**
 * `deno task golden`: rewrites tests/golden/<node>.plan from the current code. Review the diff before committing.
 *
 * @module
 */
import { EXAMPLE_NODES, GOLDEN_DIR, goldenText } from "./format.ts";

for (const node of EXAMPLE_NODES) {
  await Deno.writeTextFile(`${GOLDEN_DIR}/${node}.plan`, await goldenText(node));
  console.log(`wrote tests/golden/${node}.plan`);
}
