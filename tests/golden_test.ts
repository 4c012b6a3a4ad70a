import assert from "node:assert/strict";
import { GOLDEN_CLUSTERS, goldenText } from "./golden/format.ts";

for (const cluster of GOLDEN_CLUSTERS) {
  for (const node of cluster.nodes) {
    Deno.test(`the plan for ${node} of ${cluster.config} matches its golden file (deno task golden regenerates it)`, async () => {
      const expected = await Deno.readTextFile(`${cluster.dir}/${node}.plan`);
      assert.equal(await goldenText(node, cluster.config), expected);
    });
  }
}
