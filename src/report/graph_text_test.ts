import assert from "node:assert/strict";
import { quorumSummary, wrapList, wrapText } from "./graph_text.ts";

Deno.test("a list wraps at the width, later lines indented as far as the prefix", () => {
  assert.deepEqual(wrapList("roles ", ["worker", "kafka-broker", "ceph-osd", "mqtt-broker"], 30), [
    "roles worker, kafka-broker,",
    "      ceph-osd, mqtt-broker",
  ]);
  assert.deepEqual(wrapList("roles ", ["worker"], 30), ["roles worker"]);
  // An item longer than the width gets a line of its own rather than being cut.
  assert.deepEqual(wrapList("a: ", ["x".repeat(12), "y"], 8), ["a: xxxxxxxxxxxx,", "   y"]);
});

Deno.test("text wraps at spaces; every word survives", () => {
  const text = "a node stands in the column of its first role among these";
  const lines = wrapText(text, 20);
  assert.ok(lines.every((l) => l.length <= 20), lines.join("|"));
  assert.equal(lines.join(" "), text);
  assert.deepEqual(wrapText("short", 20), ["short"]);
});

Deno.test("a quorum's summary says its size, whether it is odd and what it survives", () => {
  const quorum = { id: "etcd", label: "etcd members", badge: "etcd", odd: true, tolerates: 1 } as const;
  assert.equal(quorumSummary({ ...quorum, members: ["a", "b", "c"] }), "3 members, odd: survives 1 down");
  assert.equal(
    quorumSummary({ ...quorum, members: ["a", "b"], odd: false, tolerates: 0 }),
    "2 members, EVEN: survives 0 down, no more than 1 would",
  );
  assert.equal(quorumSummary({ ...quorum, members: ["a"], tolerates: 0 }), "1 member, odd: survives 0 down");
});
