/**
 * `clusterboot schema`: the JSON Schema of each kind of config file, for editors (yaml-language-server reads a
 * `# yaml-language-server: $schema=...` line at the top of a YAML file).
 *
 * @module
 */
import { writeFileAtomic } from "../apply/write.ts";
import { jsonSchemaOf, schemaFileName, schemaText } from "../config/json_schema.ts";
import { FILE_KINDS, type FileKind, SERVICE_NAMES } from "../config/model.ts";
import { UsageError } from "../errors.ts";
import { suggestWord } from "../text/suggest.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { OPTIONS } from "./options.ts";
import type { Output } from "./output.ts";

const HELP = `usage: clusterboot schema [--file KIND] [--out DIR]

Prints the JSON Schema (draft 2020-12) of the config files, derived from the schema validate checks with. Kinds:
cluster (cluster.yaml), node (nodes/*.yaml) and one per service file: ${SERVICE_NAMES.join(", ")}
(services/<service>.yaml). Without --file, every kind as one JSON object keyed by kind. The checks across files
(unique addresses, quorums, ...) are not in the schemas: run validate for those.

options:
  --file KIND    one kind, or "service" for the service files (an object keyed by service)
  --out DIR      write <kind>.schema.json files into DIR instead (atomically; unchanged files are left alone)

examples:
  clusterboot schema --file node
  clusterboot schema --out schemas
  # then, as the first line of nodes/worker-01.yaml:
  # yaml-language-server: $schema=../../schemas/node.schema.json`;

export function run(argv: string[], out: Output): Promise<number> {
  return Promise.resolve(schema(argv, out));
}

function schema(argv: string[], out: Output): number {
  const parsed = parseFlags(argv, OPTIONS.schema);
  if (parsed.help) return (out.result(HELP), 0);
  const kinds = kindsOf(stringFlag(parsed, "file"));
  const dir = stringFlag(parsed, "out");
  if (dir === undefined) {
    const single = kinds.length === 1 && stringFlag(parsed, "file") !== "service";
    const value = single ? jsonSchemaOf(kinds[0]) : Object.fromEntries(kinds.map((k) => [k, jsonSchemaOf(k)]));
    out.result(schemaText(value).trimEnd());
    return 0;
  }
  for (const kind of kinds) {
    const path = `${dir.replace(/\/+$/, "")}/${schemaFileName(kind)}`;
    const text = schemaText(jsonSchemaOf(kind));
    if (readText(path) === text) {
      out.result(`unchanged ${path}`);
      continue;
    }
    writeFileAtomic(path, new TextEncoder().encode(text), { mode: 0o644 });
    out.result(`wrote ${path}`);
  }
  return 0;
}

/** The kinds `--file` names: one kind, the service kinds for "service", every kind when absent. */
function kindsOf(file: string | undefined): readonly FileKind[] {
  if (file === undefined) return FILE_KINDS;
  if (file === "service") return SERVICE_NAMES;
  if ((FILE_KINDS as readonly string[]).includes(file)) return [file as FileKind];
  const choices = [...FILE_KINDS, "service"];
  throw new UsageError(`unknown file kind "${file}"`, suggestWord(file, choices) ?? `one of: ${choices.join(", ")}`);
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
