/**
 * The compiled snapshot: a validated configuration stored as JSON beside the YAML it came from, keyed by a digest
 * of those files. Boot reads it instead of parsing and validating YAML again, which keeps the YAML parser and the
 * schema off the boot path; any edit to the YAML changes the digest and sends loading back to full validation.
 *
 * @example
 * ```ts
 * const text = encodeSnapshot(config, digest);
 * decodeSnapshot(text, digest); // config
 * ```
 * @module
 */
import type { Config } from "./model.ts";
import { VERSION } from "../version.ts";

/** File name of the snapshot inside a config directory. */
export const SNAPSHOT_FILE = "compiled.json";

const FORMAT = 1;

interface Snapshot {
  format: number;
  /** The clusterboot that validated it: another version validates again. */
  generator: string;
  digest: string;
  config: Config;
}

/** The snapshot of a validated configuration, as stable JSON text. */
export function encodeSnapshot(config: Config, digest: string): string {
  const snapshot: Snapshot = { format: FORMAT, generator: `clusterboot ${VERSION}`, digest, config };
  return JSON.stringify(snapshot) + "\n";
}

/** The configuration in a snapshot, or undefined when the snapshot is stale, foreign or damaged. */
export function decodeSnapshot(text: string, digest: string): Config | undefined {
  try {
    const snapshot = JSON.parse(text) as Partial<Snapshot>;
    const fresh = snapshot.format === FORMAT && snapshot.generator === `clusterboot ${VERSION}` &&
      snapshot.digest === digest && typeof snapshot.config === "object" && snapshot.config !== null;
    return fresh ? snapshot.config : undefined;
  } catch {
    return undefined;
  }
}
