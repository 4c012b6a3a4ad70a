/**
 * The JSON Schemas of the config files: the committed schemas/ are what `clusterboot schema --out` writes (so they
 * cannot go stale), the example configs name them, and a real JSON Schema validator (ajv, draft 2020-12) judges
 * files as the loader does: the example configs pass, mutated ones and the schema errors of tests/fixtures/bad fail.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020";
import formats from "ajv-formats";
import { parse } from "yaml";
import { FILE_KINDS, type FileKind, SERVICE_NAMES } from "../src/config/model.ts";
import { FILE_SCHEMAS } from "../src/config/schema.ts";
import { clusterboot, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SCHEMAS = `${ROOT}schemas`;
const BAD = `${ROOT}tests/fixtures/bad`;
/** The diagnostic codes of the schema step (src/config/schema_issues.ts); the others come from later checks. */
const SCHEMA_CODES = new Set([
  "missing-key",
  "unknown-key",
  "empty-file",
  "wrong-type",
  "invalid-value",
  "out-of-range",
  "invalid-format",
  "invalid",
]);

const ajv = new Ajv2020({ allErrors: true, strict: true });
// A CommonJS module: its default export is the module object, whose `default` is the plugin.
formats.default(ajv);
const validators = new Map(
  FILE_KINDS.map((kind) => [kind, ajv.compile(JSON.parse(Deno.readTextFileSync(`${SCHEMAS}/${kind}.schema.json`)))]),
);

/** The kind of a config file by its path in the config directory, as the loader tells them apart. */
function kindOf(file: string): FileKind | undefined {
  if (file === "cluster.yaml") return "cluster";
  if (/^nodes\/[^/]+\.yaml$/.test(file)) return "node";
  const service = /^services\/([^/]+)\.yaml$/.exec(file)?.[1];
  return (SERVICE_NAMES as readonly string[]).includes(service ?? "") ? service as FileKind : undefined;
}

/** Both verdicts on `data` as a file of `kind`: ajv's against the JSON Schema, and the loader's schema step. */
function judge(kind: FileKind, data: unknown): { ajv: boolean; loader: boolean; errors: string } {
  const validate = validators.get(kind)!;
  const ok = validate(data);
  return {
    ajv: ok,
    loader: FILE_SCHEMAS[kind].safeParse(data).success,
    errors: JSON.stringify(validate.errors ?? []),
  };
}

/** The example config files, by path in the config directory (`nodes/master-01.yaml`). */
async function exampleFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const path of await listTree(EXAMPLE_CONFIG)) {
    if (path.endsWith(".yaml")) files.set(path.slice(1), await Deno.readTextFile(`${EXAMPLE_CONFIG}${path}`));
  }
  return files;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `data` with the value at `path` replaced by `replace(old)`, or removed when it returns undefined. */
function edit(data: Json, path: readonly (string | number)[], replace: (old: Json) => Json | undefined): Json {
  const copy = structuredClone(data);
  let parent = copy as Record<string | number, Json>;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, Json>;
  const last = path[path.length - 1];
  const value = replace(parent[last]);
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** A value of another JSON type than `value`: every field of every file has one type, so this is always wrong. */
function wrongType(value: Json): Json {
  if (typeof value === "string") return 12345;
  if (typeof value === "number") return "12345";
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return { item: value[0] ?? null };
  if (value === null) return [];
  return [value];
}

interface Mutation {
  what: string;
  data: Json;
  /** Whether the mutation must be rejected (otherwise only the two verdicts must agree). */
  invalid: boolean;
}

/** Every key removed, every value of a wrong type, an unknown key in every map: each alone, anywhere in `data`. */
function* mutations(data: Json, path: (string | number)[] = []): Generator<Mutation> {
  const at = path.length ? path.join(".") : "(top)";
  const node = path.reduce<Json>((v, p) => (v as Record<string | number, Json>)[p], data);
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      yield { what: `${at}.${i} of a wrong type`, data: edit(data, [...path, i], wrongType), invalid: true };
      yield* mutations(data, [...path, i]);
    }
  } else if (node !== null && typeof node === "object") {
    // A string value: in a map of labels (any key, string values) it is allowed, anywhere else the key is unknown.
    yield { what: `${at} with an unknown key`, data: edit(data, [...path, "notAKey"], () => "x"), invalid: false };
    for (const key of Object.keys(node)) {
      yield { what: `${at}.${key} removed`, data: edit(data, [...path, key], () => undefined), invalid: false };
      yield { what: `${at}.${key} of a wrong type`, data: edit(data, [...path, key], wrongType), invalid: true };
      yield* mutations(data, [...path, key]);
    }
  }
}

Deno.test("schema --out writes exactly the committed schemas/, one file per kind", async () => {
  await using tmp = await tempDir("clusterboot-schema-");
  const result = await clusterboot(["schema", "--out", tmp.path]);
  assert.equal(result.code, 0, result.stderr);
  const expected = FILE_KINDS.map((kind) => `/${kind}.schema.json`).sort();
  assert.deepEqual(await listTree(tmp.path), expected);
  // Beside them: the schema of `status --json`, an output rather than a config file (tests/status_test.ts checks it).
  assert.deepEqual(
    (await listTree(SCHEMAS)).filter((path) => path !== "/status.schema.json"),
    expected,
    "schemas/ holds other files than the kinds' schemas",
  );
  for (const name of expected) {
    assert.equal(
      await Deno.readTextFile(`${tmp.path}${name}`),
      await Deno.readTextFile(`${SCHEMAS}${name}`),
      `schemas${name} is stale: run clusterboot schema --out schemas`,
    );
  }
});

Deno.test("schema --out rewrites a stale file and leaves current ones alone", async () => {
  await using tmp = await tempDir("clusterboot-schema-");
  assert.equal((await clusterboot(["schema", "--out", tmp.path])).code, 0);
  await Deno.writeTextFile(`${tmp.path}/node.schema.json`, "{}\n");
  const before = (await Deno.stat(`${tmp.path}/dns.schema.json`)).mtime;
  const again = await clusterboot(["schema", "--out", tmp.path]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`^wrote ${tmp.path}/node\\.schema\\.json$`, "m"));
  assert.match(again.stdout, new RegExp(`^unchanged ${tmp.path}/dns\\.schema\\.json$`, "m"));
  assert.equal(
    await Deno.readTextFile(`${tmp.path}/node.schema.json`),
    await Deno.readTextFile(`${SCHEMAS}/node.schema.json`),
  );
  assert.deepEqual((await Deno.stat(`${tmp.path}/dns.schema.json`)).mtime, before);
  assert.deepEqual(
    (await listTree(tmp.path)).filter((p) => !p.endsWith(".schema.json")),
    [],
    "a temporary file was left",
  );
});

Deno.test("schema prints one kind's schema, the service kinds, or every kind keyed by kind", async () => {
  const node = await clusterboot(["schema", "--file", "node"]);
  assert.equal(node.code, 0, node.stderr);
  assert.equal(node.stdout, await Deno.readTextFile(`${SCHEMAS}/node.schema.json`));
  const nodeSchema = JSON.parse(node.stdout);
  assert.equal(nodeSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(nodeSchema.title, "clusterboot nodes/<name>.yaml");
  assert.equal(nodeSchema.additionalProperties, false);
  assert.match(nodeSchema.properties.dataDisk.description, /Formatted by boot only when blank/);

  const all = JSON.parse((await clusterboot(["schema"])).stdout);
  assert.deepEqual(Object.keys(all), [...FILE_KINDS]);
  for (const kind of FILE_KINDS) {
    assert.deepEqual(all[kind], JSON.parse(await Deno.readTextFile(`${SCHEMAS}/${kind}.schema.json`)));
  }
  const services = JSON.parse((await clusterboot(["schema", "--file", "service"])).stdout);
  assert.deepEqual(Object.keys(services), [...SERVICE_NAMES]);
  assert.deepEqual(services.kafka, all.kafka);

  const typo = await clusterboot(["schema", "--file", "nodes"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown file kind "nodes"/);
  assert.match(typo.stderr, /did you mean "node"\?/);
});

Deno.test("every example config names its own schema on its first line, by a path that resolves", async () => {
  const files = await exampleFiles();
  assert.ok(files.size >= 11, `only ${files.size} example files`);
  for (const [file, text] of files) {
    const kind = kindOf(file);
    assert.ok(kind, `${file}: not a kind of config file`);
    const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
    assert.ok(modeline, `${file}: the first line is not a yaml-language-server modeline`);
    const dir = `${EXAMPLE_CONFIG}/${file}`.replace(/\/[^/]+$/, "");
    const target = new URL(modeline[1], `file://${dir}/`).pathname;
    assert.equal(target, `${SCHEMAS}/${kind}.schema.json`, `${file}: the modeline points elsewhere`);
  }
});

Deno.test("ajv accepts every example config file against its kind's schema", async () => {
  for (const [file, text] of await exampleFiles()) {
    const verdict = judge(kindOf(file)!, parse(text));
    assert.ok(verdict.loader, `${file}: the loader rejects the example`);
    assert.ok(verdict.ajv, `${file}: ajv rejects it: ${verdict.errors}`);
  }
});

Deno.test("ajv and the loader agree on every mutation of the example configs; each kind of mistake fails", async () => {
  const counts = { rejected: 0, accepted: 0, missingRejected: 0 };
  for (const [file, text] of await exampleFiles()) {
    const kind = kindOf(file)!;
    const data = parse(text) as Record<string, Json>;
    for (const mutation of mutations(data)) {
      const verdict = judge(kind, mutation.data);
      assert.equal(
        verdict.ajv,
        verdict.loader,
        `${file}, ${mutation.what}: ajv says ${verdict.ajv}, the loader ${verdict.loader}`,
      );
      if (mutation.invalid) assert.equal(verdict.ajv, false, `${file}, ${mutation.what}: accepted`);
      counts[verdict.ajv ? "accepted" : "rejected"]++;
      if (!verdict.ajv && mutation.what.endsWith(" removed")) counts.missingRejected++;
    }
    // The three kinds of mistake, named, in every file.
    const { apiVersion: _, ...withoutApiVersion } = data;
    const mistakes: [string, Json][] = [
      ["an unknown key", { ...data, notAKey: "x" }],
      ["a number for apiVersion", { ...data, apiVersion: 1 }],
      ["no apiVersion", withoutApiVersion],
    ];
    for (const [what, mutated] of mistakes) {
      const verdict = judge(kind, mutated);
      assert.deepEqual([verdict.ajv, verdict.loader], [false, false], `${file} with ${what}`);
    }
  }
  // Enough of each verdict, and of required keys removed, that agreement means something.
  assert.ok(counts.rejected > 200 && counts.accepted > 20 && counts.missingRejected > 50, JSON.stringify(counts));
});

Deno.test("ajv and the loader agree on the files of tests/fixtures/bad, and ajv rejects each schema error", async () => {
  let schemaErrors = 0;
  for (const entry of [...Deno.readDirSync(BAD)].filter((e) => e.isDirectory).map((e) => e.name).sort()) {
    const expect = JSON.parse(await Deno.readTextFile(`${BAD}/${entry}/expect.json`)) as {
      diagnostics: { file: string; code: string }[];
    };
    for (const path of await listTree(`${BAD}/${entry}`)) {
      const file = path.slice(1);
      const kind = kindOf(file);
      if (!kind) continue;
      let data: unknown;
      try {
        data = parse(new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(`${BAD}/${entry}${path}`)), {
          uniqueKeys: true,
          strict: true,
        });
      } catch {
        continue; // not UTF-8 or not YAML: a problem before any schema
      }
      const verdict = judge(kind, data);
      // A reserved key (`__proto__`) never reaches the loader's schema: a check of its own refuses it first.
      if (expect.diagnostics.some((d) => d.file === file && d.code === "reserved-key")) verdict.loader = false;
      assert.equal(
        verdict.ajv,
        verdict.loader,
        `${entry}/${file}: ajv says ${verdict.ajv}, the loader ${verdict.loader}`,
      );
      if (expect.diagnostics.some((d) => d.file === file && SCHEMA_CODES.has(d.code))) {
        assert.equal(verdict.ajv, false, `${entry}/${file} has a schema error, but ajv accepts it`);
        schemaErrors++;
      }
    }
  }
  assert.ok(schemaErrors >= 20, `only ${schemaErrors} fixtures with schema errors`);
});
