/**
 * Turning schema issues into diagnostics a person can act on: what was expected, what was found, where, and the
 * nearest valid spelling when a key or value is misspelt.
 *
 * @module
 */
import type * as z from "zod/mini";
import type { ParsedYaml } from "./parse.ts";
import { API_VERSION } from "./model.ts";
import { suggestWord as suggest } from "../text/suggest.ts";

type Path = (string | number)[];

/** A schema problem, positioned but not yet given its file name. */
export interface SchemaProblem {
  code: string;
  path: Path;
  /** Point at the key rather than the value (unknown keys). */
  key: boolean;
  message: string;
  hint?: string;
}

/** Checks `parsed.data` against `schema` and explains every issue. */
export function checkSchema(schema: z.ZodMiniType, parsed: ParsedYaml): SchemaProblem[] {
  const reserved = reservedKeys(parsed.data);
  const result = schema.safeParse(parsed.data);
  const issues = result.success ? [] : result.error.issues.flatMap((issue) => explain(issue as Issue, schema, parsed));
  // A reserved key is reported once, as such, rather than also as an unknown key.
  return [...issues.filter((p) => !RESERVED.has(String(p.path.at(-1)))), ...reserved];
}

/**
 * Keys with a meaning of their own to JavaScript objects. The schema checker drops `__proto__` from a map of free
 * keys (labels) without a word, so it would pass unchecked: every one is refused, wherever it is.
 */
const RESERVED = new Set(["__proto__"]);

function reservedKeys(data: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const stack: { value: unknown; path: Path }[] = [{ value: data, path: [] }];
  // Aliases may share a value between places; each is looked at once.
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const at = [...path, Array.isArray(value) ? Number(key) : key];
      if (RESERVED.has(key)) {
        problems.push({
          code: "reserved-key",
          path: at,
          key: true,
          message: `key "${key}" is not allowed`,
          hint: "the programs that read this configuration give this key a meaning of its own; use another key",
        });
      } else stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return problems;
}

/** A value as quoted in a message, cut short: a message is no place to reprint a long input. */
function shown(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  issues?: Issue[];
}

function explain(issue: Issue, schema: z.ZodMiniType, parsed: ParsedYaml, key?: string): SchemaProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  // For a map key that fails its check, the value in question is the key itself.
  const value = key ?? valueAt(parsed.data, path);
  const custom = issue.message !== "Invalid input" ? issue.message : undefined;
  const got = `, got ${shown(value)}`;
  if (value === undefined && !parsed.has(path) && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    const name = path[path.length - 1];
    const example = issue.values?.length === 1 ? String(issue.values[0]) : `<${issue.expected ?? "value"}>`;
    return [{
      code: "missing-key",
      path,
      key: false,
      message: typeof name === "string" ? `missing required key "${name}"` : "missing value",
      hint: typeof name === "string" ? `add ${name}: ${example}` : undefined,
    }];
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = keysAt(schema, path);
      return (issue.keys ?? []).map((key) => ({
        code: "unknown-key",
        path: [...path, key],
        key: true,
        message: `unknown key ${shown(key)}${path.length ? ` in ${describePath(path)}` : ""}`,
        hint: suggest(key, known) ?? (known.length ? `keys allowed here: ${known.join(", ")}` : undefined),
      }));
    }
    case "invalid_type": {
      if (path.length === 0 && (value === null || value === undefined)) {
        return [{
          code: "empty-file",
          path,
          key: false,
          message: "the file is empty",
          hint: `every config file is a map that starts with apiVersion: ${API_VERSION}`,
        }];
      }
      return [{
        code: "wrong-type",
        path,
        key: false,
        message: custom ?? `expected ${article(issue.expected ?? "value")}, got ${kindOf(value)}`,
        hint: value === null ? "an empty value reads as null in YAML; give it a value or remove the key" : undefined,
      }];
    }
    case "invalid_value": {
      const allowed = (issue.values ?? []).map((v) => String(v));
      return [{
        code: "invalid-value",
        path,
        key: false,
        message: custom ?? `expected one of ${allowed.join(", ")}, got ${shown(value)}`,
        hint: typeof value === "string" ? suggest(value, allowed) : undefined,
      }];
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const fallback = issue.origin === "array"
        ? `expected ${issue.code === "too_small" ? "at least" : "at most"} ${bound} item(s)`
        : `expected ${issue.code === "too_small" ? "at least" : "at most"} ${bound}, got ${shown(value)}`;
      return [{ code: "out-of-range", path, key: false, message: custom ? custom + got : fallback }];
    }
    case "invalid_format":
      return [{
        code: "invalid-format",
        path,
        key: false,
        message: (custom ?? "invalid format") + got,
      }];
    case "invalid_key": {
      const name = path[path.length - 1];
      return (issue.issues ?? []).flatMap((inner) =>
        explain({ ...inner, path: [...issue.path, ...inner.path] }, schema, parsed, String(name))
      ).map((p) => ({ ...p, key: true }));
    }
    case "invalid_element":
      return (issue.issues ?? []).flatMap((inner) =>
        explain({ ...inner, path: [...issue.path, ...inner.path] }, schema, parsed)
      );
    default:
      return [{ code: "invalid", path, key: false, message: custom ?? `invalid value ${shown(value)}` }];
  }
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  innerType?: z.ZodMiniType;
  element?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
}

/** The keys an object schema allows at `path`, for "did you mean" hints. */
function keysAt(schema: z.ZodMiniType, path: Path): string[] {
  let current: z.ZodMiniType | undefined = schema;
  for (const part of [...path, null]) {
    let def: Def | undefined = current && (current as unknown as { _zod: { def: Def } })._zod.def;
    while (def && (def.type === "optional" || def.type === "nullable" || def.type === "default")) {
      def = (def.innerType as unknown as { _zod: { def: Def } })._zod.def;
    }
    if (!def) return [];
    if (part === null) return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
    if (def.type === "object") current = def.shape?.[String(part)];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
  }
  return [];
}

function kindOf(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `the text ${shown(value)}`;
  if (typeof value === "number") return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return `${typeof value} ${shown(value)}`;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    object: "a map",
    array: "a list",
    record: "a map",
  };
  return names[expected] ?? expected;
}

function describePath(path: Path): string {
  return path.map((p) => typeof p === "number" ? `[${p}]` : p).join(".").replace(/\.\[/g, "[");
}
