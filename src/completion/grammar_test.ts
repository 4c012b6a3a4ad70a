import assert from "node:assert/strict";
import { assertPlainWords, type Grammar, optionWords, subcommandsOf } from "./grammar.ts";
import { bashCompletion } from "./bash.ts";
import { COMMANDS } from "../cli/main.ts";

Deno.test("a command's options come first, then --no-NAME where it is offered, then the options of every command", () => {
  const words = optionWords({
    options: {
      config: { about: "the configuration directory", value: "dir" },
      activate: { about: "call systemctl", negation: "call no systemctl" },
    },
  });
  assert.deepEqual(words.map((w) => w.name), ["config", "activate", "no-activate", "help", "no-color"]);
  assert.equal(words[0].value, "dir");
  assert.equal(words[2].about, "call no systemctl");
  assert.deepEqual(subcommandsOf({ options: {}, subcommands: { init: "make", check: "look" } }), [
    ["init", "make"],
    ["check", "look"],
  ]);
});

Deno.test("the command table is made of plain words, safe to write into scripts unquoted", () => {
  assertPlainWords({ program: "clusterboot", commands: COMMANDS });
});

Deno.test("a word that would need quoting in a script is refused, not escaped", () => {
  const grammar = (value: string): Grammar => ({
    program: "clusterboot",
    commands: [{ name: "render", summary: "", options: { options: { service: { about: "", value: [value] } } } }],
  });
  assertPlainWords(grammar("ceph-osd@0"));
  for (const bad of ["$(reboot)", "a b", "x;y", "-flag", ""]) {
    assert.throws(() => bashCompletion(grammar(bad)), /is not a plain word/, JSON.stringify(bad));
  }
});
