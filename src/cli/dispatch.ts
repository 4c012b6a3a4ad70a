/**
 * Running one command line against a command table: help, version, the command's module, and every failure turned
 * into its message and exit code. Both entries use it: main.ts with every command, boot_main.ts with the two that
 * every node runs at every boot.
 *
 * @example
 * ```ts
 * const code = await dispatch(["validate", "--config", "configs"], COMMANDS, USAGE);
 * ```
 * @module
 */
import { ConfigError, exitCodeOf, IdentityError, UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { type CommandSpec, parseFlags } from "./args.ts";
import { printDiagnostics } from "./diagnostics.ts";
import { consoleOutput, type Output } from "./output.ts";
import { suggestWord } from "../text/suggest.ts";

export interface CommandModule {
  /** Runs the command; `commands` is this table, for the commands that describe the others (completions). */
  run(argv: string[], out: Output, commands: readonly Command[]): Promise<number>;
}

export interface Command {
  name: string;
  summary: string;
  /** The command's options and sub-commands, readable without loading the command (for completions). */
  options: CommandSpec;
  load(): Promise<CommandModule>;
}

/** Runs the command line `argv` with `commands` and returns the exit code; never exits the process itself. */
export async function dispatch(argv: string[], commands: readonly Command[], usage: string): Promise<number> {
  const out = consoleOutput({ noColor: argv.includes("--no-color") });
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      out.result(usage);
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "version") {
      parseFlags(rest, {});
      out.result(`clusterboot ${VERSION}`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(
        `unknown command "${name}"`,
        suggestWord(name, commands.map((c) => c.name)) ?? 'run "clusterboot --help" for the list',
      );
    }
    const module = await command.load();
    return await module.run(rest, out, commands);
  } catch (error) {
    report(error, out);
    return exitCodeOf(error);
  }
}

function report(error: unknown, out: Output): void {
  if (error instanceof ConfigError) {
    printDiagnostics(error.diagnostics, error.texts, out, (line) => out.info(line), error.note);
    out.error(error.message);
  } else if (error instanceof IdentityError) {
    out.error(error.message);
    out.info(error.report);
  } else if (error instanceof Error && "exitCode" in error) {
    out.error(error.message);
    const hint = (error as { hint?: string }).hint;
    if (hint) out.info(`hint: ${hint}`);
  } else {
    // An unexpected failure: say what it was, with the stack, since it is a bug worth reporting.
    out.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
