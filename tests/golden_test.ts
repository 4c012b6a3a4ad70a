import assert from "node:assert/strict";
import { EXAMPLE_NODES, GOLDEN_DIR, goldenText } from "./golden/format.ts";

for (const node of EXAMPLE_NODES) {
  Deno.test(`the plan for ${node} matches tests/golden/${node}.plan (deno task golden regenerates it)`, async () => {
    const expected = await Deno.readTextFile(`${GOLDEN_DIR}/${node}.plan`);
    assert.equal(await goldenText(node), expected);
  });
}
