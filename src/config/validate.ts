/**
 * Full validation of a config directory's files: YAML syntax, the schema of each file, then the cross-file checks.
 * Every problem is collected (nothing stops at the first), each at file:line:col.
 *
 * @example
 * ```ts
 * const result = validateSources("configs", await readConfigDir("configs"));
 * if (!result.config) console.log(result.diagnostics);
 * ```
 * @module
 */
import type * as z from "zod/mini";
import { type Diagnostic, formatPath, sortDiagnostics } from "./diagnostic.ts";
import { type Config, type NodeFile, SERVICE_NAMES, type ServiceFiles, type SourceFiles } from "./model.ts";
import { type ParsedYaml, parseYaml } from "./parse.ts";
import { checkSchema } from "./schema_issues.ts";
import { CLUSTER_FILE, FILE_SCHEMAS, NODE_FILE } from "./schema.ts";
import { checkCluster } from "./checks.ts";

export interface ValidationResult {
  /** The configuration, when there was no error (warnings allowed). */
  config?: Config;
  diagnostics: Diagnostic[];
  /** The text of each file by its displayed name, for quoting lines in messages. */
  texts: Map<string, string>;
  /** Said when some checks could not run, so a fixed file may reveal more problems. */
  note?: string;
}

/** The name a file is shown under: the config directory joined with its relative path. */
export function displayName(dir: string, file: string): string {
  return dir === "." || dir === "" ? file : `${dir.replace(/\/+$/, "")}/${file}`;
}

/** Validates config files already read from `dir` (named only to show where problems are). */
export function validateSources(dir: string, sources: SourceFiles): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  const texts = new Map<string, string>();
  const parsed = new Map<string, ParsedYaml>();
  const valid = new Map<string, unknown>();

  for (const [file, bytes] of sources) {
    const shown = displayName(dir, file);
    const text = decode(bytes);
    if (typeof text !== "string") {
      diagnostics.push({
        severity: "error",
        code: "not-utf8",
        file: shown,
        ...text,
        message: `${file} is not UTF-8 text`,
        hint: utf16(bytes) ? "the file looks like UTF-16: save it as UTF-8" : "save the file as UTF-8",
      });
      continue;
    }
    texts.set(shown, text);
    const yaml = parseYaml(text);
    parsed.set(file, yaml);
    for (const problem of yaml.problems) {
      diagnostics.push({
        severity: "error",
        code: `yaml-${problem.code.toLowerCase().replace(/_/g, "-")}`,
        file: shown,
        line: problem.line,
        col: problem.col,
        message: problem.message,
        hint: YAML_HINTS[problem.code],
      });
    }
    if (yaml.problems.length > 0) continue;
    const schema = schemaFor(file);
    if (!schema) continue;
    const problems = checkSchema(schema, yaml);
    for (const problem of problems) {
      diagnostics.push({
        severity: "error",
        code: problem.code,
        file: shown,
        ...yaml.locate(problem.path, { key: problem.key }),
        path: formatPath(problem.path),
        message: problem.message,
        hint: problem.hint,
      });
    }
    if (problems.length === 0) valid.set(file, yaml.data);
  }

  const cluster = valid.get("cluster.yaml") as Config["cluster"] | undefined;
  if (cluster) {
    const services: ServiceFiles = {};
    for (const name of SERVICE_NAMES) {
      const data = valid.get(`services/${name}.yaml`);
      if (data !== undefined && cluster.services.includes(name)) (services as Record<string, unknown>)[name] = data;
    }
    const nodes: Record<string, NodeFile> = {};
    for (const node of cluster.nodes) {
      const data = valid.get(`nodes/${node.name}.yaml`);
      if (data !== undefined) nodes[node.name] = data as NodeFile;
    }
    for (const finding of checkCluster({ cluster, services, nodes, present: new Set(sources.keys()) })) {
      const yaml = parsed.get(finding.file);
      diagnostics.push({
        severity: finding.severity,
        code: finding.code,
        file: displayName(dir, finding.file),
        // A finding about a whole file (empty path) is at 1:1, wherever the file's content starts.
        ...(yaml && finding.path.length ? yaml.locate(finding.path, { key: finding.key }) : { line: 1, col: 1 }),
        path: formatPath(finding.path),
        message: finding.message,
        hint: finding.hint,
      });
    }
    sortDiagnostics(diagnostics);
    if (!diagnostics.some((d) => d.severity === "error")) {
      return { config: { cluster, services, nodes }, diagnostics, texts };
    }
  }
  const note = cluster ? undefined : "checks across files run once cluster.yaml has no errors";
  return { diagnostics: sortDiagnostics(diagnostics), texts, note };
}

function schemaFor(file: string): z.ZodMiniType | undefined {
  if (file === "cluster.yaml") return CLUSTER_FILE;
  if (file.startsWith("nodes/")) return NODE_FILE;
  const service = /^services\/(.+)\.yaml$/.exec(file)?.[1];
  return service && service in FILE_SCHEMAS && service !== "cluster" && service !== "node"
    ? FILE_SCHEMAS[service as keyof typeof FILE_SCHEMAS]
    : undefined;
}

/** Decodes UTF-8 strictly; on failure, the position of the first bad byte. */
function decode(bytes: Uint8Array): string | { line: number; col: number } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return text;
  } catch {
    // The text before the bad byte is valid, and may hold a U+FFFD of its own: position by bytes, not by that mark.
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, Math.max(0, firstBadByte(bytes)))).split("\n");
    return { line: before.length, col: before[before.length - 1].length + 1 };
  }
}

/** Where a byte sequence starts that is not UTF-8 (RFC 3629: no overlong forms, no surrogates); -1 for none. */
function firstBadByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    // The length a lead byte announces, and the range its second byte must be in.
    const [length, low, high] = b < 0x80
      ? [1, 0, 0]
      : b >= 0xc2 && b <= 0xdf
      ? [2, 0x80, 0xbf]
      : b === 0xe0
      ? [3, 0xa0, 0xbf]
      : b === 0xed
      ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef
      ? [3, 0x80, 0xbf]
      : b === 0xf0
      ? [4, 0x90, 0xbf]
      : b >= 0xf1 && b <= 0xf3
      ? [4, 0x80, 0xbf]
      : b === 0xf4
      ? [4, 0x80, 0x8f]
      : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1 && (bytes[i + 1] < low || bytes[i + 1] > high)) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** Whether `bytes` start with a UTF-16 byte order mark, as editors on some systems write by default. */
function utf16(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** Hints for the YAML parser's error codes that people meet most. */
const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: "a key may appear once per map; remove or rename one of them",
  BAD_INDENT: "check the indentation: items of one map or list must line up",
  TAB_AS_INDENT: "YAML indents with spaces, not tabs",
  MISSING_CHAR: "a quote or bracket is not closed",
  BLOCK_AS_IMPLICIT_KEY: "a key is missing its ':' or the line above is indented wrongly",
  MULTILINE_IMPLICIT_KEY: "a key is missing its ':' or the line above is indented wrongly",
  UNEXPECTED_TOKEN: "check the punctuation near this position",
  ALIAS_LIMIT: "the file expands too many aliases; write the values out",
  BAD_KEY: "write each key as a plain name followed by ':'",
  RECURSIVE_ALIAS: "a value cannot contain itself; write the inner value out",
  BAD_ALIAS: "an alias (*name) must refer to an anchor (&name) defined before it",
  TOO_DEEP: "config files need a few levels of maps and lists; is this file generated, or a bracket left open?",
  MULTIPLE_DOCS: "one config file holds one YAML document: remove the '---' line or split the file",
  TAG_RESOLVE_FAILED: "config files need no YAML tags (!name); write the plain value",
  KEY_OVER_1024_CHARS: "keys are short names; check for a missing ':' or a line that runs on",
  RESOURCE_EXHAUSTION: "the file nests too deeply or is too large to read; config files are short and shallow",
};
