/**
 * The command table and dispatch. Each command's module is imported only when that command runs, so `boot` never
 * pays for what `validate`, `pki` or `iso` load; but `boot` and `render`, which every node runs at every boot, are
 * imported with the table itself: the runtime then loads their code with this module's rather than in a second round
 * (boot --dry-run 0.97×, render 0.98× of the lazy import, medians of 61 pairs; other commands unchanged).
 *
 * @example
 * ```ts
 * const code = await run(["validate", "--config", "configs"]);
 * ```
 * @module
 */
import { ConfigError, exitCodeOf, IdentityError, UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { type CommandSpec, parseFlags } from "./args.ts";
import { printDiagnostics } from "./diagnostics.ts";
import { consoleOutput, type Output } from "./output.ts";
import { suggestWord } from "../text/suggest.ts";
import { OPTIONS } from "./options.ts";
import * as bootCommand from "./boot.ts";
import * as renderCommand from "./render.ts";

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

export const COMMANDS: readonly Command[] = [
  {
    name: "boot",
    summary: "detect, generate, render, activate: what cluster-detect.service runs",
    options: OPTIONS.boot,
    load: () => Promise.resolve(bootCommand),
  },
  {
    name: "validate",
    summary: "check the configuration; every problem at file:line:col",
    options: OPTIONS.validate,
    load: () => import("./validate.ts"),
  },
  {
    name: "detect",
    summary: "which node this machine is, and why",
    options: OPTIONS.detect,
    load: () => import("./detect.ts"),
  },
  {
    name: "plan",
    summary: "what boot would write and start, without doing it",
    options: OPTIONS.plan,
    load: () => import("./plan.ts"),
  },
  {
    name: "render",
    summary: "one daemon's config files, for its unit's ExecStartPre",
    options: OPTIONS.render,
    load: () => Promise.resolve(renderCommand),
  },
  {
    name: "status",
    summary: "this node: identity, units, drift, certificate expiry, last boot",
    options: OPTIONS.status,
    load: () => import("./status.ts"),
  },
  {
    name: "analyze",
    summary: "how long the last boot took, step by step, slowest first",
    options: OPTIONS.analyze,
    load: () => import("./analyze.ts"),
  },
  {
    name: "addons",
    summary: "the objects every cluster needs in its API, once the API server answers",
    options: OPTIONS.addons,
    load: () => import("./addons.ts"),
  },
  {
    name: "graph",
    summary: "the cluster's topology as a picture (SVG or DOT)",
    options: OPTIONS.graph,
    load: () => import("./graph.ts"),
  },
  {
    name: "iso",
    summary: "the bootable image with clusterboot, its units, the configuration and secrets",
    options: OPTIONS.iso,
    load: () => import("./iso.ts"),
  },
  {
    name: "pki",
    summary: "every key and certificate of the cluster: init, check, rotate",
    options: OPTIONS.pki,
    load: () => import("./pki.ts"),
  },
  {
    name: "rollback",
    summary: "bring back the files as they were before the last change (or change N)",
    options: OPTIONS.rollback,
    load: () => import("./rollback.ts"),
  },
  {
    name: "generations",
    summary: "the changes boot and rollback kept undo records of",
    options: OPTIONS.generations,
    load: () => import("./generations.ts"),
  },
  {
    name: "schema",
    summary: "the JSON Schema of each kind of config file, for editors",
    options: OPTIONS.schema,
    load: () => import("./schema.ts"),
  },
  {
    name: "completions",
    summary: "a completion script for bash, zsh or fish",
    options: OPTIONS.completions,
    load: () => import("./completions.ts"),
  },
];

const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length)) + 1;

const USAGE = `clusterboot ${VERSION}: turn one bootable image into a node of a cluster

usage: clusterboot <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(NAME_WIDTH)} ${c.summary}`).join("\n")}

options:
  --help         this list; "clusterboot <command> --help" shows a command's options and examples
  --version      print the version
Every command also takes --no-color: no colour, even on a terminal (as when NO_COLOR is set).

examples:
  clusterboot validate --config configs
  clusterboot plan --config configs --node master-01 --root /tmp/root
  source <(clusterboot completions bash)

Exit codes: 0 ok, 1 environment failure, 2 invalid configuration or usage, 3 identity not determined.`;

/** Runs the command line `argv` and returns the exit code; never exits the process itself. */
export async function run(argv: string[]): Promise<number> {
  const out = consoleOutput({ noColor: argv.includes("--no-color") });
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      out.result(USAGE);
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "version") {
      parseFlags(rest, {});
      out.result(`clusterboot ${VERSION}`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      throw new UsageError(
        `unknown command "${name}"`,
        suggestWord(name, COMMANDS.map((c) => c.name)) ?? 'run "clusterboot --help" for the list',
      );
    }
    const module = await command.load();
    return await module.run(rest, out, COMMANDS);
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
