/**
 * Loading a configuration: read the files, use the compiled snapshot when it matches them, else validate in full.
 *
 * @example
 * ```ts
 * const { config } = await loadConfig("/etc/cluster-config");
 * ```
 * @module
 */
import { ConfigError } from "../errors.ts";
import { decodeSnapshot, SNAPSHOT_FILE } from "./compiled.ts";
import type { Diagnostic } from "./diagnostic.ts";
import { ConfigReadError, digestSources, MAX_TOTAL_BYTES, readConfigDir } from "./files.ts";
import { type LoadedConfig, sourceContent } from "./model.ts";
import { readsBackExactly, type SeenFile } from "../text/bytes.ts";

export interface Loaded extends LoadedConfig {
  /** Warnings from validation; empty when the snapshot was used (it was made from a configuration without errors). */
  warnings: Diagnostic[];
  /** Whether the compiled snapshot was used. */
  fromSnapshot: boolean;
}

export interface LoadOptions {
  /** Ignore the compiled snapshot and validate the YAML in full (what `validate` does). */
  full?: boolean;
}

/** Loads and validates the configuration in `dir`; throws {@link ConfigError} with every problem when invalid. */
export async function loadConfig(dir: string, options: LoadOptions = {}): Promise<Loaded> {
  const seen = new Map<string, SeenFile>();
  let sources;
  try {
    sources = readConfigDir(dir, seen);
  } catch (error) {
    if (!(error instanceof ConfigReadError)) throw error;
    throw new ConfigError([{
      severity: "error",
      code: "unreadable",
      file: error.file,
      line: 1,
      col: 1,
      message: error.message,
      hint: error.hint,
    }]);
  }
  if (!options.full) {
    const text = readSnapshot(`${dir}/${SNAPSHOT_FILE}`, seen);
    const contents = new Map([...sources.keys()].map((name) => [name, sourceContent({ dir, sources, seen }, name)]));
    const current = decodeSnapshot(text, contents);
    if (current) return { dir, ...current, sources, snapshot: text, seen, warnings: [], fromSnapshot: true };
  }
  // The YAML parser and the schema load only here, when the snapshot cannot be used.
  const { validateSources } = await import("./validate.ts");
  const result = validateSources(dir, sources);
  if (!result.config) throw new ConfigError(result.diagnostics, result.texts, result.note);
  const digest = await digestSources(sources);
  return { dir, config: result.config, sources, digest, seen, warnings: result.diagnostics, fromSnapshot: false };
}

/**
 * The snapshot's text, added to `seen` where it reads back exactly; empty when it is missing, not a regular file (boot
 * writes it as one) or implausibly large, and then the YAML is validated.
 */
function readSnapshot(path: string, seen: Map<string, SeenFile>): string {
  try {
    // A snapshot holds the configuration's files and what they say; allow for JSON's escapes. Read as text by the
    // runtime: no decoder to set up on the boot path.
    const info = Deno.lstatSync(path);
    if (!info.isFile || info.size > 8 * MAX_TOTAL_BYTES) return "";
    const text = Deno.readTextFileSync(path);
    if (readsBackExactly(text)) seen.set(path, { info, content: text });
    return text;
  } catch {
    return "";
  }
}
