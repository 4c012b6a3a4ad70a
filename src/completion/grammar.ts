/**
 * The command line as the completion scripts see it: the program's commands, each with its options (its own, the
 * `--no-NAME` forms worth offering, and the ones every command takes) and its sub-commands. Each shell's generator
 * turns this into a script; nothing here knows a shell.
 *
 * @example
 * ```ts
 * const words = optionWords({ options: { json: { about: "print JSON" } } });
 * words.map((w) => w.name); // ["json", "help", "no-color"]
 * ```
 * @module
 */
import type { CommandSpec, OptionValue } from "../cli/args.ts";

/** A command as the completions need it: the COMMANDS table's entries fit. */
export interface CompletionCommand {
  name: string;
  summary: string;
  options: CommandSpec;
}

/** What a completion script is generated from. */
export interface Grammar {
  /** The program's name, as typed. */
  program: string;
  commands: readonly CompletionCommand[];
}

/** One option as typed after `--`, with its few words of explanation and its value, when it takes one. */
export interface OptionWord {
  name: string;
  about: string;
  value?: OptionValue;
}

/** Options every command takes (parsed for all of them in args.ts). */
const COMMON_WORDS: readonly OptionWord[] = [
  { name: "help", about: "show the usage, options and examples" },
  { name: "no-color", about: "no colour, even on a terminal" },
];

/** Options of the program itself, before any command. */
export const PROGRAM_WORDS: readonly OptionWord[] = [
  { name: "help", about: "list the commands" },
  { name: "version", about: "print the version" },
];

/** Every option a command's completion offers, its own first. */
export function optionWords(spec: CommandSpec): OptionWord[] {
  const words: OptionWord[] = [];
  for (const [name, option] of Object.entries(spec.options)) {
    words.push({ name, about: option.about, value: option.value });
    if (option.negation) words.push({ name: `no-${name}`, about: option.negation });
  }
  return [...words, ...COMMON_WORDS];
}

/** The sub-commands of a command, as name and summary pairs (none for most). */
export function subcommandsOf(spec: CommandSpec): [string, string][] {
  return Object.entries(spec.subcommands ?? {});
}

/** The values of an option that takes one of a few words. */
export function valueWords(value: OptionValue | undefined): readonly string[] | undefined {
  return typeof value === "object" ? value : undefined;
}

const WORD = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/**
 * Throws unless every name and value of `grammar` is a plain word: the generators write them into scripts
 * unquoted, so anything else would be a bug in the table, not something to escape.
 */
export function assertPlainWords(grammar: Grammar): void {
  const check = (word: string, where: string) => {
    if (!WORD.test(word)) throw new Error(`completion word ${JSON.stringify(word)} of ${where} is not a plain word`);
  };
  check(grammar.program, "the program");
  for (const command of grammar.commands) {
    check(command.name, "the command table");
    for (const [name] of subcommandsOf(command.options)) check(name, command.name);
    for (const option of optionWords(command.options)) {
      check(option.name, command.name);
      for (const value of valueWords(option.value) ?? []) check(value, `${command.name} --${option.name}`);
    }
  }
}
