import assert from "node:assert/strict";
import { clusterboot, tempDir } from "./support/cli.ts";
import { writeSyntheticCluster } from "./support/synthetic.ts";

Deno.test("synthetic clusters are valid and the same for the same seed", async () => {
  await using dir = await tempDir();
  await writeSyntheticCluster(`${dir.path}/a`, { nodes: 300, seed: 3 });
  await writeSyntheticCluster(`${dir.path}/b`, { nodes: 300, seed: 3 });
  const validate = await clusterboot(["validate", "--config", `${dir.path}/a`]);
  assert.equal(validate.code, 0, validate.stdout);
  assert.match(validate.stdout, /valid \(306 files, 300 nodes\)/);
  for (const file of ["cluster.yaml", "nodes/node-00042.yaml", "nodes/node-00299.yaml"]) {
    assert.equal(await Deno.readTextFile(`${dir.path}/a/${file}`), await Deno.readTextFile(`${dir.path}/b/${file}`));
  }
});
