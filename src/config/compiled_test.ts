import assert from "node:assert/strict";
import { decodeSnapshot, encodeSnapshot } from "./compiled.ts";
import { loadConfig } from "./load.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

Deno.test("a snapshot decodes only for the digest it was made for", async () => {
  const { config, digest } = await loadConfig(EXAMPLE, { full: true });
  const text = encodeSnapshot(config, digest);
  assert.deepEqual(decodeSnapshot(text, digest), config);
  assert.equal(decodeSnapshot(text, "0".repeat(64)), undefined);
  assert.equal(decodeSnapshot(text.slice(0, 40), digest), undefined);
  assert.equal(decodeSnapshot("", digest), undefined);
});
