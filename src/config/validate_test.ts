import assert from "node:assert/strict";
import { readConfigDir } from "./files.ts";
import type { SourceFiles } from "./model.ts";
import { validateSources } from "./validate.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;

function example(): SourceFiles {
  return readConfigDir(EXAMPLE);
}

function edit(sources: SourceFiles, file: string, change: (text: string) => string): SourceFiles {
  const copy = new Map(sources);
  copy.set(file, new TextEncoder().encode(change(new TextDecoder().decode(sources.get(file)))));
  return copy;
}

Deno.test("the example cluster is valid, without warnings", () => {
  const result = validateSources("configs", example());
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.config?.cluster.nodes.length, 5);
  assert.deepEqual(Object.keys(result.config!.nodes).sort(), [
    "kafka-01",
    "master-01",
    "storage-01",
    "worker-01",
    "worker-02",
  ]);
  assert.deepEqual(Object.keys(result.config!.services).sort(), ["ceph", "dns", "kafka", "kubernetes", "mqtt"]);
});

Deno.test("a duplicate MAC is reported at the repeat, naming the first owner", () => {
  const sources = edit(example(), "cluster.yaml", (t) => t.replace('"52:54:00:20:00:21"', '"52:54:00:20:00:11"'));
  const result = validateSources("configs", sources);
  assert.equal(result.config, undefined);
  const [d] = result.diagnostics.filter((d) => d.code === "duplicate-mac");
  assert.equal(d.file, "configs/cluster.yaml");
  assert.equal(d.line, 21);
  assert.equal(d.col, 10);
  assert.match(d.message, /master-01/);
  assert.ok(d.hint);
});

Deno.test("every error is reported at once, across files", () => {
  let sources = edit(example(), "services/kafka.yaml", (t) => t.replace("port: 9092", "port: 0"));
  sources = edit(sources, "nodes/worker-01.yaml", (t) => t + "colour: blue\n");
  sources = edit(sources, "services/mqtt.yaml", (t) => t.replace("access: read }", "access: reed }"));
  const result = validateSources("configs", sources);
  const codes = result.diagnostics.map((d) => `${d.file}:${d.code}`);
  assert.deepEqual(codes, [
    "configs/nodes/worker-01.yaml:unknown-key",
    "configs/services/kafka.yaml:out-of-range",
    "configs/services/mqtt.yaml:invalid-value",
  ]);
  const reed = result.diagnostics.find((d) => d.code === "invalid-value")!;
  assert.equal(reed.hint, 'did you mean "read"?');
});

Deno.test("a file that is not UTF-8 is refused at the first bad byte", () => {
  const sources = new Map(example());
  sources.set(
    "nodes/worker-01.yaml",
    new Uint8Array([...new TextEncoder().encode("apiVersion: x\nlabels: \xff"), 0xff]),
  );
  const result = validateSources("configs", sources);
  const d = result.diagnostics.find((d) => d.code === "not-utf8")!;
  assert.equal(d.line, 2);
});

Deno.test("checks across files wait for cluster.yaml to pass its schema, and say so", () => {
  const sources = edit(example(), "cluster.yaml", (t) => t.replace("roles: [master, dns-server]", "roles: [mastr]"));
  const result = validateSources("configs", sources);
  assert.equal(result.diagnostics.length, 1);
  assert.equal(result.diagnostics[0].hint, 'did you mean "master"?');
  assert.ok(result.note);
});

Deno.test("a __proto__ key is refused where the schema checker would drop it unseen, in labels too", () => {
  const sources = edit(
    example(),
    "nodes/worker-01.yaml",
    (t) => t.replace("labels:\n", "labels:\n  __proto__: {a: b}\n"),
  );
  const result = validateSources("configs", sources);
  assert.equal(result.config, undefined);
  // The line after `labels:`, wherever the file puts it.
  const text = new TextDecoder().decode(sources.get("nodes/worker-01.yaml"));
  const line = text.split("\n").indexOf("  __proto__: {a: b}") + 1;
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.file, d.line, d.col]), [
    ["reserved-key", "configs/nodes/worker-01.yaml", line, 3],
  ]);
});

Deno.test("a long value is cut short in the message that quotes it", () => {
  const long = "v".repeat(100_000);
  const sources = edit(example(), "nodes/worker-01.yaml", (t) => t.replace("rack-a", long));
  const [d] = validateSources("configs", sources).diagnostics;
  assert.equal(d.code, "invalid-format");
  assert.ok(d.message.length < 200, d.message);
  assert.match(d.message, /got "vvvv+…$/);
});

Deno.test("a byte that is not UTF-8 is placed by bytes, even after a U+FFFD that is valid text", () => {
  const text = new TextEncoder().encode("apiVersion: clusterboot/v1\n# was \uFFFD once\nlabels:\n  a: caf");
  const bytes = new Uint8Array([...text, 0xe9, 0x0a]);
  const copy = new Map(example());
  copy.set("nodes/worker-01.yaml", bytes);
  const [d] = validateSources("configs", copy).diagnostics;
  assert.deepEqual([d.code, d.line, d.col], ["not-utf8", 4, 9]);
});
