import assert from "node:assert/strict";
import type { NodeEntry, NodeFile } from "../config/model.ts";
import type { Facts } from "./facts.ts";
import { cmdlineNode, identify } from "./match.ts";
import { explain } from "./explain.ts";

const node = (name: string, last: number): NodeEntry => ({
  name,
  hostname: name,
  mac: `52:54:00:20:00:${last}`,
  ip: `10.20.0.${last}`,
  roles: ["worker"],
});
const ENTRIES = [node("a", 11), node("b", 12), node("c", 13)];
const FILES: Record<string, NodeFile> = {
  a: { apiVersion: "clusterboot/v1", hardware: { uuid: "4c4c4544-0000-1010-8000-000000000001" } },
  b: { apiVersion: "clusterboot/v1", hardware: { serial: "SN-B" } },
  c: { apiVersion: "clusterboot/v1" },
};
const facts = (f: Partial<Facts>): Facts => ({ cmdline: "", dmi: {}, interfaces: [], ...f });

Deno.test("a MAC decides when nothing stronger is offered", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({ interfaces: [{ name: "eth0", mac: "52:54:00:20:00:12", addresses: [] }] }),
  );
  assert.equal(d.node, "b");
  assert.equal(d.tier, "mac");
});

Deno.test("the kernel command line beats every other piece of evidence", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({
      cmdline: "BOOT_IMAGE=/vmlinuz quiet clusterboot.node=c",
      interfaces: [{ name: "eth0", mac: "52:54:00:20:00:12", addresses: ["10.20.0.11"] }],
    }),
  );
  assert.equal(d.node, "c");
  assert.equal(d.tier, "cmdline");
});

Deno.test("--node beats the kernel command line", () => {
  const d = identify(ENTRIES, FILES, facts({ cmdline: "clusterboot.node=c" }), { override: "a" });
  assert.deepEqual([d.node, d.tier], ["a", "override"]);
});

Deno.test("an explicit name that is no node stops detection instead of guessing", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({ cmdline: "clusterboot.node=zz", interfaces: [{ name: "e", mac: "52:54:00:20:00:11", addresses: [] }] }),
  );
  assert.equal(d.node, undefined);
  assert.equal(d.problem, "unknown");
});

Deno.test("DMI identity beats a MAC, case-insensitively for the UUID", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({
      dmi: { uuid: "4C4C4544-0000-1010-8000-000000000001" },
      interfaces: [{ name: "eth0", mac: "52:54:00:20:00:12", addresses: [] }],
    }),
  );
  assert.deepEqual([d.node, d.tier], ["a", "dmi"]);
  const serial = identify(ENTRIES, FILES, facts({ dmi: { serial: "SN-B" } }));
  assert.deepEqual([serial.node, serial.tier], ["b", "dmi"]);
});

Deno.test("two nodes matching in one tier is ambiguous, with the evidence", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({
      interfaces: [
        { name: "eth0", mac: "52:54:00:20:00:11", addresses: [] },
        { name: "eth1", mac: "52:54:00:20:00:13", addresses: [] },
      ],
    }),
  );
  assert.equal(d.node, undefined);
  assert.equal(d.problem, "ambiguous");
  const text = explain(d);
  assert.match(text, /several nodes match by MAC address: a, c/);
  assert.match(text, /eth1 52:54:00:20:00:13/);
});

Deno.test("nothing matching is reported with what the machine offered", () => {
  const d = identify(
    ENTRIES,
    FILES,
    facts({ hostname: "debian", interfaces: [{ name: "eth0", mac: "52:54:00:99:99:99", addresses: ["10.0.2.15"] }] }),
  );
  assert.equal(d.problem, "none");
  const text = explain(d);
  assert.match(text, /52:54:00:99:99:99 -> no node/);
  assert.match(text, /10\.0\.2\.15 -> no node/);
  assert.match(text, /hint:/);
});

Deno.test("weaker tiers decide when stronger ones offer nothing that matches", () => {
  const ip = identify(ENTRIES, FILES, facts({ interfaces: [{ name: "eth0", addresses: ["10.20.0.13"] }] }));
  assert.deepEqual([ip.node, ip.tier], ["c", "ip"]);
  const host = identify(ENTRIES, FILES, facts({ hostname: "b.lab.internal" }));
  assert.deepEqual([host.node, host.tier], ["b", "hostname"]);
});

Deno.test("cmdlineNode reads the last clusterboot.node= and quoted values", () => {
  assert.equal(cmdlineNode("quiet splash"), undefined);
  assert.equal(cmdlineNode("clusterboot.node=a x clusterboot.node=b"), "b");
  assert.equal(cmdlineNode('x clusterboot.node="c" y'), "c");
  assert.equal(cmdlineNode("xclusterboot.node=a"), undefined);
});
