import assert from "node:assert/strict";
import type { NodeEntry } from "../config/model.ts";
import { candidatesFor, pickCandidate } from "./candidates.ts";
import { identify } from "./match.ts";

const entries = [
  { name: "a", hostname: "a", mac: "52:54:00:00:00:01", ip: "10.0.0.1", roles: ["worker"] },
  { name: "b", hostname: "b", mac: "52:54:00:00:00:02", ip: "10.0.0.2", roles: ["worker"] },
  { name: "c", hostname: "c", mac: "52:54:00:00:00:03", ip: "10.0.0.3", roles: ["mqtt-broker"] },
] as NodeEntry[];
const facts = (...macs: string[]) => ({
  cmdline: "",
  dmi: {},
  interfaces: macs.map((mac, i) => ({ name: `eth${i}`, mac, addresses: [] })),
});

Deno.test("candidates: only the matching nodes when several match, every node when none does", () => {
  const ambiguous = identify(entries, {}, facts("52:54:00:00:00:01", "52:54:00:00:00:03"));
  assert.deepEqual(candidatesFor(ambiguous, entries).map((c) => c.node), ["a", "c"]);
  assert.match(candidatesFor(ambiguous, entries)[1].evidence[0], /^matched by MAC 52:54:00:00:00:03 on eth1$/);
  const none = identify(entries, {}, facts("52:54:00:99:99:99"));
  assert.deepEqual(candidatesFor(none, entries).map((c) => c.node), ["a", "b", "c"]);
  assert.match(candidatesFor(none, entries)[2].evidence[0], /address 10\.0\.0\.3, roles mqtt-broker/);
});

Deno.test("pickCandidate: a number from the list or a listed name, nothing else", () => {
  const candidates = [{ node: "a", evidence: [] }, { node: "c", evidence: [] }];
  assert.equal(pickCandidate("2", candidates), "c");
  assert.equal(pickCandidate(" a ", candidates), "a");
  assert.equal(pickCandidate("3", candidates), undefined);
  assert.equal(pickCandidate("0", candidates), undefined);
  assert.equal(pickCandidate("b", candidates), undefined);
  assert.equal(pickCandidate("1.0", candidates), undefined);
});
