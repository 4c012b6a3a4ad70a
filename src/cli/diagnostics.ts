/**
 * Printing diagnostics for people (compiler style, with the offending line) or as JSON.
 *
 * @module
 */
import { type Diagnostic, formatDiagnostic, tally } from "../config/diagnostic.ts";
import type { Output } from "./output.ts";

/** Prints every diagnostic through `print`, then a count. */
export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  texts: ReadonlyMap<string, string>,
  out: Output,
  print: (line: string) => void,
  note?: string,
): void {
  for (const d of diagnostics) print(formatDiagnostic(d, { sources: texts, color: out.color }) + "\n");
  const { errors, warnings } = tally(diagnostics);
  if (diagnostics.length) {
    print(`${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
  }
  if (note) print(`note: ${note}`);
}

/** The JSON document `validate --json` prints. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], note?: string): string {
  const { errors, warnings } = tally(diagnostics);
  return JSON.stringify({ valid: errors === 0, errors, warnings, diagnostics, ...(note ? { note } : {}) }, null, 2);
}
