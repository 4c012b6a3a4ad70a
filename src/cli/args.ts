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

/** What an option's value is, so shell completions can offer it: a directory, a file, one of a few words, or anything. */
export type OptionValue = "dir" | "file" | "text" | readonly string[];

/** One option of a command, as data: the parser, the shell completions and the help test all read it. */
export interface OptionSpec {
  /** What it does, in a few words (shown beside it by zsh and fish completions). */
  about: string;
  /** The value it takes; absent for an on/off flag. */
  value?: OptionValue;
  /** What `--no-NAME` does, when that is worth offering too (every on/off flag accepts it). */
  negation?: string;
}

/**
 * A command's grammar: its options and sub-commands. Kept in a table apart from the command's code (see
 * options.ts), so completions and help checks read it without loading what the command needs to run.
 */
export interface CommandSpec {
  /** Options by name, without the leading `--`. */
  options: Readonly<Record<string, OptionSpec>>;
  /** Sub-commands (`pki init`), or the words of a command's one argument (`completions bash`), with a few words each. */
  subcommands?: Readonly<Record<string, string>>;
}

export interface Parsed {
  _: string[];
  [flag: string]: unknown;
}

/** Flags every command accepts (`--no-color` is mri's negation of `color`). */
const COMMON_BOOLEAN = ["help", "color"];

/** The parser's view of a command's grammar: value options are strings, the others booleans, one positional for a sub-command. */
export function flagSpecOf(spec: CommandSpec): FlagSpec {
  const entries = Object.entries(spec.options);
  return {
    string: entries.filter(([, option]) => option.value !== undefined).map(([name]) => name),
    boolean: entries.filter(([, option]) => option.value === undefined).map(([name]) => name),
    positionals: spec.subcommands ? 1 : 0,
  };
}

/**
 * Parses `argv` strictly: an unknown option, a value option without its value or given twice, or a surplus argument is
 * a {@link UsageError}.
 *
 * @example
 * ```ts
 * const parsed = parseFlags(["--config", "configs", "--json"], { string: ["config"], boolean: ["json"] });
 * ```
 */
export function parseFlags(argv: readonly string[], grammar: FlagSpec | CommandSpec): Parsed {
  const spec = "options" in grammar ? flagSpecOf(grammar) : grammar;
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
