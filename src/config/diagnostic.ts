/**
 * A problem found in the config files, located at file:line:col, with a hint on how to fix it.
 *
 * @example
 * ```ts
 * formatDiagnostic({ severity: "error", code: "duplicate-mac", file: "configs/cluster.yaml", line: 20, col: 10,
 *   message: 'MAC address "52:54:00:20:00:11" is used twice', hint: "every node needs a MAC of its own" });
 * ```
 * @module
 */

export interface Diagnostic {
  severity: "error" | "warning";
  /** A stable, machine-readable name of the problem, e.g. `duplicate-mac`. */
  code: string;
  /** The file as the user named it: the config directory joined with the file's relative path. */
  file: string;
  /** 1-based line and column; 1:1 when the problem concerns a whole file. */
  line: number;
  col: number;
  /** Where in the file's data the problem is, e.g. `nodes[1].mac`; empty for the whole file. */
  path?: string;
  message: string;
  hint?: string;
}

/** Counts of errors and warnings. */
export function tally(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

/**
 * Orders diagnostics by file, then position, so output is stable from run to run. The sort is stable: problems at
 * one position keep the order the checks found them in, most basic first.
 */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col);
}

/** Renders a data path such as `["nodes", 1, "mac"]` as `nodes[1].mac`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export interface FormatOptions {
  /** The text of each file by its displayed name, to quote the offending line under the message. */
  sources?: ReadonlyMap<string, string>;
  /** Paint severity words with ANSI colours. */
  color?: boolean;
}

/** One diagnostic as compilers print them: `file:line:col: error: message`, the line, a caret and the hint. */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const paint = (code: string, text: string) => options.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const severity = d.severity === "error" ? paint("1;31", "error") : paint("1;33", "warning");
  const lines = [`${printable(d.file)}:${d.line}:${d.col}: ${severity}: ${printable(d.message)}`];
  const text = options.sources?.get(d.file);
  const quoted = text === undefined ? undefined : lineOf(text, d.line);
  if (quoted !== undefined && quoted.trim() !== "") {
    // One column per character, so the caret stays under its column: a tab is a space, other controls a mark.
    const { shown, caret } = excerpt(quoted.replace(/\t/g, " ").replace(CONTROLS, "\uFFFD"), d.col);
    lines.push(`  ${shown}`, `  ${" ".repeat(caret)}${paint("1;32", "^")}`);
  }
  if (d.hint) lines.push(`  ${paint("1;36", "hint")}: ${printable(d.hint)}`);
  return lines.join("\n");
}

/** Control characters (C0, DEL, C1): a file name or value holding them could move the cursor or recolour a terminal. */
// deno-lint-ignore no-control-regex -- control characters are what this looks for
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * `text` with control characters written as escapes (`\x1b`, `\n`), so what a configuration holds, file names
 * included, is shown on a terminal or in the journal as text and never acts on it.
 *
 * @example
 * ```ts
 * printable("nodes/a\x1b[2J.yaml"); // "nodes/a\\x1b[2J.yaml"
 * ```
 */
export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => c === "\n" ? "\\n" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Where each line of the last text asked about starts: a file with thousands of problems is split once. */
let lineStarts: { text: string; starts: number[] } | undefined;

/** Line `line` (1-based) of `text`, without its end of line; undefined past the end. */
function lineOf(text: string, line: number): string | undefined {
  if (lineStarts?.text !== text) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    lineStarts = { text, starts };
  }
  const start = lineStarts.starts[line - 1];
  if (start === undefined) return undefined;
  const end = lineStarts.starts[line] ?? text.length + 1;
  return text.slice(start, end - 1).replace(/\r$/, "");
}

/** Quoted lines longer than this are cut to a window around the column. */
const QUOTE_WIDTH = 100;

/** The part of `line` to quote, and how far in the caret under column `col` goes. */
function excerpt(line: string, col: number): { shown: string; caret: number } {
  const index = Math.max(0, Math.min(col - 1, line.length));
  if (line.length <= QUOTE_WIDTH) return { shown: line, caret: index };
  const from = Math.max(0, Math.min(index - QUOTE_WIDTH / 2, line.length - QUOTE_WIDTH));
  const head = from > 0 ? "…" : "";
  const tail = from + QUOTE_WIDTH < line.length ? "…" : "";
  return { shown: head + line.slice(from, from + QUOTE_WIDTH) + tail, caret: index - from + head.length };
}
