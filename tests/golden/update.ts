/**
 * `deno task golden`: rewrites the golden plans (tests/golden/<node>.plan, tests/golden/trio/<node>.plan) from the
 * current code. Review the diff before committing.
 *
 * @module
 */
import { GOLDEN_CLUSTERS, goldenText } from "./format.ts";

for (const cluster of GOLDEN_CLUSTERS) {
  await Deno.mkdir(cluster.dir, { recursive: true });
  for (const node of cluster.nodes) {
    await Deno.writeTextFile(`${cluster.dir}/${node}.plan`, await goldenText(node, cluster.config));
    console.log(`wrote ${cluster.dir}/${node}.plan`);
  }
}
