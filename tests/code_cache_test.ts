/**
 * The runtime keeps the compiled code of the boot-time bundle after one run of boot or render, even one that gives
 * its event loop no turn on the way (boot_main.ts): such runs compiled the whole bundle at every start.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { clusterboot, EXAMPLE_CONFIG, tempDir } from "./support/cli.ts";
import { makeSecrets, rootWithUsers } from "./support/node_root.ts";

/** The file names of the modules the runtime has compiled code of, in the cache under `denoDir`. */
function cachedModules(denoDir: string): string[] {
  const db = new DatabaseSync(`${denoDir}/v8_code_cache_v2`, { readOnly: true });
  try {
    const rows = db.prepare("SELECT specifier FROM codecache").all() as { specifier: string }[];
    return rows.map((row) => row.specifier.slice(row.specifier.lastIndexOf("/") + 1)).sort();
  } finally {
    db.close();
  }
}

Deno.test("one run of boot or render leaves the boot bundle's compiled code in the runtime's cache", async () => {
  await using dir = await tempDir();
  const root = `${dir.path}/root`;
  await rootWithUsers(root);
  const secrets = await makeSecrets(`${dir.path}/secrets`);
  const booted = await clusterboot(
    ["boot", "--config", EXAMPLE_CONFIG, "--secrets", secrets, "--root", root, "--node", "master-01"],
  );
  assert.equal(booted.code, 0, booted.stderr);

  const runs: [string, string[]][] = [
    ["boot --dry-run", ["boot", "--root", root, "--node", "master-01", "--dry-run"]],
    ["render", ["render", "--service", "etcd", "--root", root]],
  ];
  for (const [name, args] of runs) {
    const denoDir = `${dir.path}/deno-${name.replace(/\W+/g, "")}`;
    const result = await clusterboot(args, { env: { DENO_DIR: denoDir } });
    assert.equal(result.code, 0, `${name}: ${result.stderr}`);
    // From the compiled snapshot, with the system's facts: nothing asynchronous on the way.
    assert.match(result.stderr, /compiled snapshot current/, name);
    assert.ok(cachedModules(denoDir).includes("boot_main.js"), `${name}: no compiled code of boot_main.js kept`);
  }
});
