/**
 * Command-line flags: parsed with mri (small, no Node built-ins, so it costs nothing at start-up), strictly — an
 * unknown flag is a usage error, not silently ignored.
 *
 * @module
 */
import mri from "mri";
import { UsageError } from "../errors.ts";
import { suggestWord } from "../text/suggest.ts";

export interface FlagSpec {
  /** Flags that take a value. */
  string?: readonly string[];
  /** Flags that are on or off; `--no-NAME` sets NAME to false. */
  boolean?: readonly string[];
  /** How many positional arguments the command takes at most (default 0). */
  positionals?: number;
}

export interface Parsed {
  _: string[];
  [flag: string]: unknown;
}

/** Flags every command accepts (`--no-color` is mri's negation of `color`). */
const COMMON_BOOLEAN = ["help", "color"];

export function parseFlags(argv: readonly string[], spec: FlagSpec): Parsed {
  const strings = [...(spec.string ?? [])];
  const booleans = [...COMMON_BOOLEAN, ...(spec.boolean ?? [])];
  const known = [...strings, ...booleans];
  // mri treats only names in `alias` as known when `unknown` is given, so every flag is listed there.
  const alias: Record<string, string[]> = Object.fromEntries(known.map((name) => [name, []]));
  alias.h = ["help"];
  const parsed = mri([...argv], {
    string: strings,
    boolean: booleans,
    alias,
    unknown: (flag: string) => {
      const name = flag.replace(/^-+/, "").split("=")[0];
      throw new UsageError(`unknown option ${flag.split("=")[0]}`, suggestWord(name, known, "--"));
    },
  }) as Parsed;
  for (const name of strings) {
    const value = parsed[name];
    if (Array.isArray(value)) throw new UsageError(`--${name} given more than once`);
    if (value === "" || value === true) throw new UsageError(`--${name} needs a value`);
  }
  const allowed = spec.positionals ?? 0;
  if (parsed._.length > allowed) throw new UsageError(`unexpected argument "${parsed._[allowed]}"`);
  return parsed;
}

/** A string flag's value, or `fallback`. */
export function stringFlag(parsed: Parsed, name: string, fallback: string): string;
export function stringFlag(parsed: Parsed, name: string): string | undefined;
export function stringFlag(parsed: Parsed, name: string, fallback?: string): string | undefined {
  const value = parsed[name];
  return typeof value === "string" ? value : fallback;
}
