/**
 * Every command of clusterboot. Each command's module is imported only when that command runs, so `validate` never
 * pays for what `pki` or `iso` load; `boot` and `render` come with the table (every_boot.ts). At a node's boot the
 * launcher runs those two from boot_main.ts instead, whose bundle holds nothing else.
 *
 * @example
 * ```ts
 * const code = await run(["validate", "--config", "configs"]);
 * ```
 * @module
 */
import { VERSION } from "../version.ts";
import { type Command, dispatch } from "./dispatch.ts";
import { BOOT, RENDER } from "./every_boot.ts";
import { OPTIONS } from "./options.ts";

export type { Command, CommandModule } from "./dispatch.ts";

export const COMMANDS: readonly Command[] = [
  BOOT,
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
  RENDER,
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
export function run(argv: string[]): Promise<number> {
  return dispatch(argv, COMMANDS, USAGE);
}
