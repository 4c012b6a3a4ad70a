/**
 * Every command's options, as data. Each command parses its argv with its entry here; the shell completions and the
 * help test read the same entries, without loading the commands' modules. Pure data: it costs `boot` nothing.
 *
 * A new command adds its entry here and names it in the COMMANDS table of main.ts.
 *
 * @example
 * ```ts
 * const parsed = parseFlags(argv, OPTIONS.validate);
 * ```
 * @module
 */
import { FILE_KINDS } from "../config/model.ts";
import { DAEMON_NAMES } from "../services/roles.ts";
import type { CommandSpec, OptionSpec } from "./args.ts";

const config: OptionSpec = { about: "the configuration directory", value: "dir" };
const root: OptionSpec = { about: "the root to read and write under", value: "dir" };
const node: OptionSpec = { about: "be this node, whatever the facts say", value: "text" };
const facts: OptionSpec = { about: "this machine's facts from a JSON file", value: "file" };
const secrets: OptionSpec = { about: 'the secrets made by "clusterboot pki init"', value: "dir" };
const json: OptionSpec = { about: "print the result as JSON" };
/**
 * What schema's --file takes. Spread here, not inside OPTIONS: the bundler keeps an unused table whose initializer
 * spreads an array (iterating might have effects), and the boot-time bundle needs none of OPTIONS.
 */
const SCHEMA_FILES = [...FILE_KINDS, "service"] as const;

/**
 * boot's and render's grammars stand alone: the boot-time entry names only these two, so its bundle does not build
 * every command's table at each start (creating those objects took about 0.6 million instructions of boot's start).
 */
export const BOOT_OPTIONS = {
  options: {
    config,
    root,
    node,
    facts,
    secrets,
    "dry-run": { about: "print the plan and change nothing" },
    activate: { about: "call systemctl even under another root", negation: "write files but call no systemctl" },
    prompt: { about: "ask at a terminal when no node is decided", negation: "stop with exit 3 instead of asking" },
    "lock-timeout": { about: "seconds to wait for another boot under the same root", value: "text" },
  },
} as const satisfies CommandSpec;

export const RENDER_OPTIONS = {
  options: {
    service: { about: "the daemon, with its instance for template units", value: DAEMON_NAMES },
    config,
    root,
    node: { about: "render for this node instead of the recorded one", value: "text" },
  },
} as const satisfies CommandSpec;

/** The grammar of each command, by command name. */
export const OPTIONS = {
  boot: BOOT_OPTIONS,
  status: {
    options: { config, root, node, facts, secrets, json, units: { about: "ask systemctl even under another root" } },
  },
  analyze: { options: { root, all: { about: "one line for each boot kept" }, json } },
  graph: {
    options: {
      config,
      root,
      format: { about: "the picture's format", value: ["svg", "dot"] },
      out: { about: "write the picture to this file", value: "file" },
    },
  },
  rollback: {
    options: {
      root,
      to: { about: "undo change N and every later one", value: "text" },
      "dry-run": { about: "show what would change and change nothing" },
      json,
      activate: { about: "call systemctl even under another root", negation: "restore files but call no systemctl" },
    },
  },
  generations: { options: { root, json } },
  validate: { options: { config, root, json } },
  detect: {
    options: { config, root, node, facts, explain: { about: "show every piece of evidence" }, json },
  },
  plan: {
    options: {
      config,
      root,
      node,
      facts,
      secrets,
      diff: { about: "show unified diffs of the files that would change" },
      all: { about: "list unchanged files too" },
      json,
    },
  },
  render: RENDER_OPTIONS,
  addons: {
    options: {
      config,
      root,
      kubeconfig: { about: "an admin kubeconfig", value: "file" },
      timeout: { about: "seconds to wait for the API server", value: "text" },
    },
  },
  iso: {
    subcommands: { build: "build the bootable ISO" },
    options: {
      config,
      root,
      out: { about: "the ISO to write", value: "file" },
      secrets: { about: "the secrets to embed", value: "dir" },
      extra: { about: "files copied over the image last", value: "dir" },
      cache: { about: "the base layer cache", value: "dir" },
      mirror: { about: "the Debian mirror", value: "text" },
      clusterboot: { about: "this program: its dist directory or one executable", value: "file" },
      kubernetes: { about: "the directory of the Kubernetes binaries", value: "dir" },
      coredns: { about: "the coredns binary", value: "file" },
      kafka: { about: "the directory of Kafka's jars", value: "dir" },
    },
  },
  pki: {
    subcommands: {
      init: "make every key and certificate the configuration needs",
      check: "validity and expiry of every item",
      rotate: "renew one item",
    },
    options: {
      config,
      root,
      out: { about: "(init) where the secrets go", value: "dir" },
      secrets: { about: "(check, rotate) the secrets directory", value: "dir" },
      days: { about: "(check) warn about expiry within N days", value: "text" },
      item: { about: "(rotate) the item, as check lists it", value: "text" },
      json,
    },
  },
  schema: {
    options: {
      file: { about: "one kind of config file, or all service files", value: SCHEMA_FILES },
      out: { about: "write <kind>.schema.json files into this directory", value: "dir" },
    },
  },
  completions: {
    subcommands: { bash: "the script for bash", zsh: "the script for zsh", fish: "the script for fish" },
    options: {},
  },
} as const satisfies Record<string, CommandSpec>;
