import assert from "node:assert/strict";
import { decodeSnapshot, encodeSnapshot } from "./compiled.ts";
import { loadConfig } from "./load.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

Deno.test("a snapshot decodes only for the very files it was made from", async () => {
  const loaded = await loadConfig(EXAMPLE, { full: true });
  const text = encodeSnapshot(loaded);
  assert.deepEqual(decodeSnapshot(text, loaded.sources), { config: loaded.config, digest: loaded.digest });

  const edited = new Map(loaded.sources);
  const cluster = edited.get("cluster.yaml")!;
  edited.set("cluster.yaml", cluster.map((b, i) => i === cluster.length - 2 ? b ^ 1 : b));
  assert.equal(decodeSnapshot(text, edited), undefined, "one bit changed");
  const added = new Map(loaded.sources).set("nodes/extra.yaml", new Uint8Array());
  assert.equal(decodeSnapshot(text, added), undefined, "a file added");
  const removed = new Map(loaded.sources);
  removed.delete("services/dns.yaml");
  assert.equal(decodeSnapshot(text, removed), undefined, "a file removed");
  const renamed = new Map([...loaded.sources].map(([name, bytes]) => [name.replace("dns", "dns2"), bytes]));
  assert.equal(decodeSnapshot(text, renamed), undefined, "a file renamed");

  assert.equal(decodeSnapshot(text.slice(0, 40), loaded.sources), undefined, "damaged");
  assert.equal(decodeSnapshot("", loaded.sources), undefined, "empty");
  const older = JSON.stringify({ ...JSON.parse(text), format: 1 });
  assert.equal(decodeSnapshot(older, loaded.sources), undefined, "another format");
});
