/**
 * The JSON Schema (draft 2020-12) of each kind of config file, derived from the schema the loader checks with, so
 * editors flag what `clusterboot validate` would. Only the `schema` command loads this (zod's JSON Schema
 * converter stays off every other path).
 *
 * What a JSON Schema cannot say is left to validate: the checks across files (unique names and addresses, quorums,
 * node files matching cluster.yaml).
 *
 * @example
 * ```ts
 * const schema = jsonSchemaOf("node");
 * schema.title; // "clusterboot nodes/<name>.yaml"
 * ```
 * @module
 */
import { toJSONSchema } from "zod/mini";
import type { FileKind } from "./model.ts";
import { FILE_SCHEMAS } from "./schema.ts";

/** A JSON Schema document, as plain data. */
export type JsonSchema = Record<string, unknown>;

/** The `format` values of draft 2020-12 that the schemas use; zod's own (`cidrv4`) are dropped, the pattern stays. */
const STANDARD_FORMATS = new Set(["ipv4"]);

/** The JSON Schema of one kind of config file. */
export function jsonSchemaOf(kind: FileKind): JsonSchema {
  const schema = toJSONSchema(FILE_SCHEMAS[kind], {
    target: "draft-2020-12",
    // What a person writes, which is also what the loader reads: the schemas transform nothing.
    io: "input",
    unrepresentable: "throw",
    override: ({ jsonSchema }) => {
      const format = jsonSchema.format;
      if (typeof format === "string" && !STANDARD_FORMATS.has(format)) delete jsonSchema.format;
    },
  }) as JsonSchema;
  // The title and description first, where a person opening the file looks.
  const { $schema, title, description, ...rest } = schema;
  return { $schema, title, description, ...rest };
}

/** A schema as its `<kind>.schema.json` file holds it: two-space JSON ending in a newline, stable from run to run. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The file name of a kind's schema, as editors and the example configs refer to it. */
export function schemaFileName(kind: FileKind): string {
  return `${kind}.schema.json`;
}
