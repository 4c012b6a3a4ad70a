/**
 * The compiled snapshot: a validated configuration stored as JSON beside the YAML it came from, with a copy of those
 * files' text. Boot reads it instead of parsing and validating YAML again, which keeps the YAML parser and the schema
 * off the boot path. It counts only while every file is byte for byte what was validated: a comparison, where a
 * digest of the files would cost a hash at every start; any edit sends loading back to full validation.
 *
 * @example
 * ```ts
 * const text = encodeSnapshot(loaded);
 * decodeSnapshot(text, loaded.sources); // { config, digest }
 * ```
 * @module
 */
import type { Config, LoadedConfig } from "./model.ts";
import { VERSION } from "../version.ts";
import { sameContent } from "../text/bytes.ts";

/** File name of the snapshot inside a config directory. */
export const SNAPSHOT_FILE = "compiled.json";

const FORMAT = 2;

interface Snapshot {
  format: number;
  /** The clusterboot that validated it: another version validates again. */
  generator: string;
  /** The digest of the files (digestSources), kept for the generations' records. */
  digest: string;
  /** Each file's text, by its name in the directory. */
  sources: Record<string, string>;
  config: Config;
}

/** The snapshot of a validated configuration, as stable JSON text. */
export function encodeSnapshot(loaded: Pick<LoadedConfig, "config" | "digest" | "sources">): string {
  const decoder = new TextDecoder();
  const sources = Object.fromEntries([...loaded.sources].map(([name, bytes]) => [name, decoder.decode(bytes)]));
  const snapshot: Snapshot = {
    format: FORMAT,
    generator: `clusterboot ${VERSION}`,
    digest: loaded.digest,
    sources,
    config: loaded.config,
  };
  return JSON.stringify(snapshot) + "\n";
}

/**
 * The configuration and digest in a snapshot, or undefined when the snapshot is stale (a file added, removed or
 * changed since), foreign or damaged. `sources` are the files' contents: bytes, or text where it reads back exactly
 * (compared with the snapshot's copies natively).
 */
export function decodeSnapshot(
  text: string,
  sources: ReadonlyMap<string, string | Uint8Array>,
): Pick<Snapshot, "config" | "digest"> | undefined {
  let snapshot: Partial<Snapshot>;
  try {
    snapshot = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { config, digest } = snapshot;
  const usable = snapshot.format === FORMAT && snapshot.generator === `clusterboot ${VERSION}` &&
    typeof digest === "string" && typeof config === "object" && config !== null && sameFiles(snapshot.sources, sources);
  return usable ? { config, digest } : undefined;
}

function sameFiles(
  copies: Record<string, string> | undefined,
  sources: ReadonlyMap<string, string | Uint8Array>,
): boolean {
  if (typeof copies !== "object" || copies === null || Object.keys(copies).length !== sources.size) return false;
  for (const [name, content] of sources) {
    const copy = copies[name];
    if (typeof copy !== "string" || !sameContent(content, copy)) return false;
  }
  return true;
}
