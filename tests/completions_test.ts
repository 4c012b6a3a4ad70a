/**
 * `clusterboot completions bash|zsh|fish`, loaded into the real shells: bash's completion function with COMP_WORDS
 * set as readline sets them, zsh's compsys driven through a pseudo-terminal (zpty) with TAB pressed, and fish's
 * `complete -C`. The expected candidates come from the COMMANDS table, so a new command is checked as it is added.
 *
 * @module
 */
import assert from "node:assert/strict";
import { COMMANDS } from "../src/cli/main.ts";
import { OPTIONS } from "../src/cli/options.ts";
import { optionWords } from "../src/completion/grammar.ts";
import { FILE_KINDS } from "../src/config/model.ts";
import { clusterboot, tempDir } from "./support/cli.ts";

const COMMAND_NAMES = COMMANDS.map((c) => c.name);
const KUBE_DAEMONS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"];

async function script(shell: string): Promise<string> {
  const result = await clusterboot(["completions", shell]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

async function sh(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const out = await new Deno.Command(cmd, { args, env, stdin: "null", stdout: "piped", stderr: "piped" }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(out.code, 0, `${cmd} ${args.join(" ")} exited ${out.code}\n${decode(out.stdout)}${decode(out.stderr)}`);
  return decode(out.stdout);
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");
const sorted = (words: readonly string[]) => [...words].sort();
const optionsOf = (name: string) =>
  optionWords(COMMANDS.find((c) => c.name === name)!.options).map((w) => `--${w.name}`);

// --- bash ---

/** Loads the script, sets COMP_WORDS to `words` (the last one is being completed) and prints COMPREPLY. */
const BASH_DRIVER = `source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
complete -p clusterboot >/dev/null || exit 3
_clusterboot clusterboot "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;

Deno.test("bash completes commands, sub-commands, options and option values", async () => {
  await using tmp = await tempDir("clusterboot-bash-");
  const file = `${tmp.path}/clusterboot.bash`;
  await Deno.writeTextFile(file, await script("bash"));
  await sh("bash", ["-n", file]);
  const complete = async (...words: string[]) =>
    sorted(lines(await sh("bash", ["--norc", "--noprofile", "-c", BASH_DRIVER, "driver", file, ...words])));

  assert.deepEqual(await complete("clusterboot", ""), sorted(COMMAND_NAMES));
  assert.deepEqual(await complete("clusterboot", "p"), ["pki", "plan"]);
  assert.deepEqual(await complete("clusterboot", "--v"), ["--version"]);
  assert.deepEqual(await complete("clusterboot", "pki", ""), ["check", "init", "rotate"]);
  assert.deepEqual(await complete("clusterboot", "iso", ""), ["build"]);
  assert.deepEqual(await complete("clusterboot", "completions", ""), ["bash", "fish", "zsh"]);
  assert.deepEqual(await complete("clusterboot", "pki", "check", "--d"), ["--days"]);
  // The value of --config is not taken for the sub-command.
  assert.deepEqual(await complete("clusterboot", "pki", "--config", "init", ""), ["check", "init", "rotate"]);
  assert.deepEqual(await complete("clusterboot", "render", "--service", "kube-"), KUBE_DAEMONS);
  assert.deepEqual(await complete("clusterboot", "schema", "--file", ""), sorted([...FILE_KINDS, "service"]));
  // --file=no, as readline splits it at "=".
  assert.deepEqual(await complete("clusterboot", "schema", "--file", "=", "no"), ["node"]);
  assert.deepEqual(await complete("clusterboot", "boot", "--no"), [
    "--no-activate",
    "--no-color",
    "--no-prompt",
    "--node",
  ]);
  assert.deepEqual(await complete("clusterboot", "detect", "--node", ""), [], "a node name is not guessed");

  await Deno.mkdir(`${tmp.path}/configs`);
  await Deno.writeTextFile(`${tmp.path}/config-notes.txt`, "");
  assert.deepEqual(await complete("clusterboot", "validate", "--config", `${tmp.path}/con`), [`${tmp.path}/configs`]);
  assert.deepEqual(
    await complete("clusterboot", "detect", "--facts", `${tmp.path}/con`),
    [`${tmp.path}/config-notes.txt`, `${tmp.path}/configs`],
  );

  for (const name of COMMAND_NAMES) {
    assert.deepEqual(await complete("clusterboot", name, "--"), sorted(optionsOf(name)), `options of ${name}`);
  }
});

// --- zsh ---

/**
 * Runs an interactive zsh on a pseudo-terminal with compinit and the completion function on $fpath, types LINE and
 * TAB, and prints every candidate compsys offered (a compadd wrapper records them; a post-completion hook marks the
 * end). Usage: zsh -f capture.zsh FPATH_DIR OUT_FILE LINE
 */
const ZSH_CAPTURE = `zmodload zsh/zpty || exit 1
dir=$1 out=$2 line=$3
: >| $out
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($dir \\$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd() { if (( \${@[(I)-[OA]*]} )); then builtin compadd "$@"; return; fi; local -a _hits; builtin compadd -O _hits "$@"; print -rl -- $_hits >> '"$out"'; builtin compadd "$@"; }'
zpty -w z "_capture_done() { print -r -- '>>done' >> $out; }; comppostfuncs=(_capture_done)"
zpty -w -n z "$line"$'\\t'
for i in {1..200}; do
  grep -qx '>>done' $out 2>/dev/null && break
  sleep 0.05
done
zpty -d z
grep -qx '>>done' $out || { print -u2 "no completion within 10 s"; exit 1; }
grep -vx -e '>>done' -e '' $out | sort -u`;

Deno.test("zsh loads the completion with compinit and offers commands, sub-commands, options and values", async () => {
  await using tmp = await tempDir("clusterboot-zsh-");
  const functions = `${tmp.path}/functions`;
  await Deno.mkdir(functions);
  await Deno.writeTextFile(`${functions}/_clusterboot`, await script("zsh"));
  await Deno.writeTextFile(`${tmp.path}/capture.zsh`, ZSH_CAPTURE);
  await sh("zsh", ["-n", `${functions}/_clusterboot`]);

  // Sourced after compinit, it registers itself for clusterboot.
  const loaded = await sh("zsh", [
    "-f",
    "-c",
    `autoload -Uz compinit && compinit -u -D && source ${functions}/_clusterboot && print -r -- $_comps[clusterboot] && whence -w _clusterboot`,
  ]);
  assert.deepEqual(lines(loaded), ["_clusterboot", "_clusterboot: function"]);

  const complete = async (line: string) =>
    lines(await sh("zsh", ["-f", `${tmp.path}/capture.zsh`, functions, `${tmp.path}/out.txt`, line]));
  assert.deepEqual(await complete("clusterboot "), sorted(COMMAND_NAMES));
  assert.deepEqual(await complete("clusterboot pki "), ["check", "init", "rotate"]);
  assert.deepEqual(await complete("clusterboot render --service kube-"), KUBE_DAEMONS);
  assert.deepEqual(await complete("clusterboot schema --file="), sorted([...FILE_KINDS, "service"]));
  assert.deepEqual(await complete("clusterboot boot --no"), ["--no-activate", "--no-color", "--no-prompt", "--node"]);
  assert.deepEqual(await complete("clusterboot validate --"), sorted(optionsOf("validate")));
});

// --- fish ---

Deno.test("fish completes commands with their summaries, sub-commands, options and values", async () => {
  await using tmp = await tempDir("clusterboot-fish-");
  const file = `${tmp.path}/clusterboot.fish`;
  await Deno.writeTextFile(file, await script("fish"));
  await sh("fish", ["--no-config", "-n", file]);
  const complete = async (line: string) =>
    sorted(lines(await sh("fish", ["--no-config", "-c", `source ${file}; complete -C ${JSON.stringify(line)}`])));
  const words = (found: string[]) => found.map((l) => l.split("\t")[0]);

  const commands = await complete("clusterboot ");
  assert.deepEqual(commands, sorted(COMMANDS.map((c) => `${c.name}\t${c.summary}`)));
  assert.deepEqual(words(await complete("clusterboot pki ")), ["check", "init", "rotate"]);
  assert.deepEqual(words(await complete("clusterboot pki init ")), [], "a second sub-command is offered");
  assert.deepEqual(words(await complete("clusterboot render --service kube-")), KUBE_DAEMONS);
  assert.deepEqual(words(await complete("clusterboot schema --file ")), sorted([...FILE_KINDS, "service"]));
  assert.deepEqual(words(await complete("clusterboot boot --no")), [
    "--no-activate",
    "--no-color",
    "--no-prompt",
    "--node",
  ]);
  assert.ok(
    (await complete("clusterboot plan --")).includes(`--diff\t${OPTIONS.plan.options.diff.about}`),
    "options are described",
  );
  for (const name of COMMAND_NAMES) {
    assert.deepEqual(words(await complete(`clusterboot ${name} --`)), sorted(optionsOf(name)), `options of ${name}`);
  }
});

Deno.test("completions for an unknown shell is a usage error with a hint", async () => {
  const result = await clusterboot(["completions", "bsh"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown shell "bsh"/);
  assert.match(result.stderr, /did you mean "bash"\?/);
  assert.equal((await clusterboot(["completions"])).code, 2);
  assert.equal((await clusterboot(["completions", "toString"])).code, 2);
});
