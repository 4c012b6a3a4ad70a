/**
 * Every command of the COMMANDS table explains itself: `--help` (and `-h`) exits 0 with a usage line, an options
 * section naming each option the command parses (and no other), and examples; an unknown option exits 2. A command
 * added to the table is checked without touching this file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Command, COMMANDS } from "../src/cli/main.ts";
import { clusterboot } from "./support/cli.ts";

const VERSION = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))).version as string;

/** The text between `heading:` on a line of its own and the next blank line followed by unindented text, or the end. */
/** Every option a command parses, as typed after `--`: its own, `no-NAME` where offered, `help` and `no-color`. */
function knownOptions(command: Command): string[] {
  const own = Object.entries(command.options.options)
    .flatMap(([name, option]) => option.negation ? [name, `no-${name}`] : [name]);
  return [...own, "help", "no-color"];
}

function section(help: string, heading: string): string | undefined {
  const start = help.search(new RegExp(`^${heading}:$`, "m"));
  if (start < 0) return undefined;
  const body = help.slice(start + heading.length + 2);
  const end = body.search(/\n\n(?=\S)/);
  return end < 0 ? body : body.slice(0, end);
}

for (const command of COMMANDS) {
  Deno.test(`clusterboot ${command.name} --help: usage, every option, examples; exit 0`, async () => {
    const result = await clusterboot([command.name, "--help"]);
    assert.equal(result.code, 0, result.stderr);
    const help = result.stdout;
    assert.match(help, new RegExp(`^usage: clusterboot ${command.name}\\b`));

    const options = section(help, "options");
    assert.ok(options !== undefined, `no "options:" section:\n${help}`);
    const known = knownOptions(command);
    for (const name of known.filter((n) => n !== "help" && n !== "no-color")) {
      assert.match(help, new RegExp(`--${name}\\b`), `--${name} is parsed but not in the help`);
    }
    for (const [, name] of options.matchAll(/^\s+--([a-z][a-z-]*)/gm)) {
      assert.ok(known.includes(name), `the help documents --${name}, which the command does not parse`);
    }

    const examples = section(help, "examples");
    assert.ok(examples !== undefined, `no "examples:" section:\n${help}`);
    assert.match(examples, new RegExp(`clusterboot ${command.name}\\b`), "no example runs the command");

    const short = await clusterboot([command.name, "-h"]);
    assert.equal(short.code, 0, short.stderr);
    assert.equal(short.stdout, help);
  });

  Deno.test(`clusterboot ${command.name} with an unknown option exits 2 and names it`, async () => {
    const result = await clusterboot([command.name, "--no-such-option"]);
    assert.equal(result.code, 2, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
    assert.match(result.stderr, /unknown option --no-such-option/);
    assert.equal(result.stdout, "");
  });
}

Deno.test("clusterboot --help lists every command, with examples; no command is a usage error", async () => {
  const help = await clusterboot(["--help"]);
  assert.equal(help.code, 0);
  for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${command.name} +\\S`, "m"));
  assert.match(section(help.stdout, "examples") ?? "", /clusterboot \w+/);
  const bare = await clusterboot([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, help.stdout);
});

Deno.test("clusterboot --version prints the version of deno.json", async () => {
  const result = await clusterboot(["--version"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `clusterboot ${VERSION}\n`);
  assert.equal((await clusterboot(["--version", "--bogus"])).code, 2);
});
