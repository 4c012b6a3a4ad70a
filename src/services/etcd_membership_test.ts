import assert from "node:assert/strict";
import { decideEtcd, type Etcdctl, observeEtcd, parseMemberList } from "./etcd_membership.ts";

const me = { name: "master-3", peerUrl: "https://10.30.0.13:2380" };
const LIST = `8e9e05c52164694d, started, master-1, https://10.30.0.11:2380, https://10.30.0.11:2379, false
91bc3c398fb3c146, started, master-2, https://10.30.0.12:2380, https://10.30.0.12:2379, false
fd422379fda50e48, started, master-3, https://10.30.0.13:2380, https://10.30.0.13:2379, false
`;

Deno.test("a member with data rejoins as existing without asking anyone", () => {
  assert.deepEqual(decideEtcd({ dataPresent: true }, me).state, "existing");
});

Deno.test("no reachable cluster: bootstrap as new", () => {
  const d = decideEtcd({ dataPresent: false }, me);
  assert.deepEqual([d.state, d.add, d.remove], ["new", false, undefined]);
});

Deno.test("a member that lost its data is removed and added again, then starts as existing", () => {
  const d = decideEtcd({ dataPresent: false, members: parseMemberList(LIST) }, me);
  assert.deepEqual([d.state, d.remove, d.add], ["existing", "fd422379fda50e48", true]);
});

Deno.test("a member added but never started joins as existing, without membership changes", () => {
  const unstarted = LIST.replace(
    "fd422379fda50e48, started, master-3, https://10.30.0.13:2380, https://10.30.0.13:2379",
    "fd422379fda50e48, unstarted, , https://10.30.0.13:2380, ",
  );
  const d = decideEtcd({ dataPresent: false, members: parseMemberList(unstarted) }, me);
  assert.deepEqual([d.state, d.remove, d.add], ["existing", undefined, false]);
});

Deno.test("a member of the initial cluster that never ran (no client URLs) joins, and is not taken for lost", () => {
  const late = LIST.replace(
    "master-3, https://10.30.0.13:2380, https://10.30.0.13:2379",
    "master-3, https://10.30.0.13:2380, ",
  );
  const d = decideEtcd({ dataPresent: false, members: parseMemberList(late) }, me);
  assert.deepEqual([d.state, d.remove, d.add], ["existing", undefined, false]);
});

Deno.test("a master new to the configuration is added to the running cluster", () => {
  const two = LIST.split("\n").slice(0, 2).join("\n");
  const d = decideEtcd({ dataPresent: false, members: parseMemberList(two) }, me);
  assert.deepEqual([d.state, d.remove, d.add], ["existing", undefined, true]);
});

Deno.test("observe asks for a member list only from a member that has a quorum", async () => {
  const calls: string[] = [];
  const etcdctl: Etcdctl = {
    run(endpoints, args) {
      calls.push(`${endpoints[0]} ${args.join(" ")}`);
      const healthy = endpoints[0].includes(".12");
      if (args[0] === "endpoint") return Promise.resolve({ code: healthy ? 0 : 1, stdout: "", stderr: "" });
      return Promise.resolve({ code: 0, stdout: LIST, stderr: "" });
    },
  };
  const view = await observeEtcd(etcdctl, ["https://10.30.0.11:2379", "https://10.30.0.12:2379"], false);
  assert.equal(view.members?.length, 3);
  assert.deepEqual(calls, [
    "https://10.30.0.11:2379 endpoint health",
    "https://10.30.0.12:2379 endpoint health",
    "https://10.30.0.12:2379 member list",
  ]);
});
