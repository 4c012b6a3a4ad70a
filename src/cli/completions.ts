/**
 * `clusterboot completions bash|zsh|fish`: a completion script made from the command table, so a new command or
 * option completes as soon as it is in the table.
 *
 * @module
 */
import { bashCompletion } from "../completion/bash.ts";
import { fishCompletion } from "../completion/fish.ts";
import type { Grammar } from "../completion/grammar.ts";
import { zshCompletion } from "../completion/zsh.ts";
import { UsageError } from "../errors.ts";
import { suggestWord } from "../text/suggest.ts";
import { parseFlags } from "./args.ts";
import type { Command } from "./main.ts";
import { OPTIONS } from "./options.ts";
import type { Output } from "./output.ts";

const GENERATORS: Record<string, (grammar: Grammar) => string> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

const HELP = `usage: clusterboot completions bash|zsh|fish

Prints the shell's completion script for clusterboot: commands, sub-commands, options, and option values where
they are known (directories, files, daemon names, file kinds).

options:
  (none but --help)

examples:
  source <(clusterboot completions bash)
  clusterboot completions bash > /usr/share/bash-completion/completions/clusterboot
  clusterboot completions zsh > "\${fpath[1]}/_clusterboot"
  clusterboot completions fish > ~/.config/fish/completions/clusterboot.fish`;

export function run(argv: string[], out: Output, commands: readonly Command[]): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.completions);
  if (parsed.help) return Promise.resolve((out.result(HELP), 0));
  const [shell] = parsed._;
  const shells = Object.keys(GENERATORS);
  if (shell === undefined) throw new UsageError("completions needs a shell", `one of: ${shells.join(", ")}`);
  const generate = Object.hasOwn(GENERATORS, shell) ? GENERATORS[shell] : undefined;
  if (!generate) {
    throw new UsageError(`unknown shell "${shell}"`, suggestWord(shell, shells) ?? `one of: ${shells.join(", ")}`);
  }
  out.result(generate({ program: "clusterboot", commands }).trimEnd());
  return Promise.resolve(0);
}
