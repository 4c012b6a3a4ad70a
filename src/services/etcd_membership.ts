/**
 * How an etcd member starts, decided before its unit starts: bootstrap a new cluster, rejoin with its data, join a
 * running cluster that expects it, or — when it lost its data — be removed and added again, which is the only way
 * back (restarting an emptied member as `existing` makes it panic: FACTS.md).
 *
 * The decision is pure ({@link decideEtcd}); looking at the cluster and changing its membership go through
 * etcdctl, behind {@link Etcdctl} so tests can stand in for it.
 *
 * @example
 * ```ts
 * decideEtcd({ dataPresent: false, cluster: undefined }, me); // { state: "new", ... }
 * ```
 * @module
 */
import { EnvironmentError } from "../errors.ts";

export interface EtcdMember {
  id: string;
  /** etcdctl's status: `unstarted` for a member added with `member add` that never ran. */
  status: "started" | "unstarted";
  name: string;
  peerUrls: string[];
  /** Published by the member once it has run; empty for a member of the initial cluster that never started. */
  clientUrls: string[];
}

export interface EtcdView {
  /** Whether this member's data directory holds a member. */
  dataPresent: boolean;
  /** The members, when another member answered with a quorum; undefined when no cluster could be reached. */
  members?: EtcdMember[];
}

export interface EtcdDecision {
  state: "new" | "existing";
  /** A member to remove first (this node's lost self). */
  remove?: string;
  /** Add this node as a member before it starts. */
  add: boolean;
  reason: string;
}

export function decideEtcd(view: EtcdView, me: { name: string; peerUrl: string }): EtcdDecision {
  if (view.dataPresent) return { state: "existing", add: false, reason: "its data directory holds a member" };
  if (!view.members) {
    return { state: "new", add: false, reason: "no running cluster answers: bootstrapping with the other masters" };
  }
  const mine = view.members.find((m) => m.peerUrls.includes(me.peerUrl));
  if (!mine) return { state: "existing", add: true, reason: "the running cluster lacks this member: joining it" };
  // etcdctl calls members of the initial cluster "started" from the outset (they have names); only a member that
  // ran has published its client URLs.
  if (mine.status === "unstarted" || mine.clientUrls.length === 0) {
    return { state: "existing", add: false, reason: "the running cluster expects this member, which never started" };
  }
  return {
    state: "existing",
    remove: mine.id,
    add: true,
    reason: `this member (${mine.id}) lost its data: removing it from the cluster and adding it again`,
  };
}

/** Runs etcdctl with the given arguments against `endpoints`. */
export interface Etcdctl {
  run(endpoints: string[], args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Parses `etcdctl member list` (simple format): `id, status, name, peer urls, client urls, learner`. */
export function parseMemberList(text: string): EtcdMember[] {
  return text.trim().split("\n").filter(Boolean).map((line) => {
    // Fields are separated by ", ", the URLs within a field by ",".
    const [id, status, name, peers, clients] = line.split(", ").map((field) => field.trim());
    const urls = (text?: string) => text ? text.split(",").filter(Boolean) : [];
    return {
      id,
      status: status === "unstarted" ? "unstarted" : "started",
      name,
      peerUrls: urls(peers),
      clientUrls: urls(clients),
    };
  });
}

/** Looks at the cluster through the other members: a member list only when one of them has a quorum. */
export async function observeEtcd(etcdctl: Etcdctl, others: string[], dataPresent: boolean): Promise<EtcdView> {
  if (dataPresent || others.length === 0) return { dataPresent };
  for (const endpoint of others) {
    // `endpoint health` reads through raft: it succeeds only with a quorum.
    const health = await etcdctl.run([endpoint], ["endpoint", "health"]);
    if (health.code !== 0) continue;
    const list = await etcdctl.run([endpoint], ["member", "list"]);
    if (list.code === 0) return { dataPresent, members: parseMemberList(list.stdout) };
  }
  return { dataPresent };
}

/** Carries out a decision's membership changes. */
export async function actOnEtcd(
  etcdctl: Etcdctl,
  others: string[],
  decision: EtcdDecision,
  me: { name: string; peerUrl: string },
  options: { retryMs?: number } = {},
): Promise<void> {
  // etcd refuses membership changes until its leader has been connected to every member for a few seconds
  // ("unhealthy cluster"), as after another member's restart: keep trying for a while.
  const must = async (args: string[]) => {
    let last = "";
    const deadline = Date.now() + (options.retryMs ?? 30_000);
    do {
      for (const endpoint of others) {
        const result = await etcdctl.run([endpoint], args);
        if (result.code === 0) return;
        last = result.stderr.trim().split("\n").at(-1) ?? "";
      }
      await new Promise((r) => setTimeout(r, 1000));
    } while (Date.now() < deadline);
    throw new EnvironmentError(
      `etcdctl ${args.join(" ")} failed on every other member (${others.join(", ")}): ${last}`,
    );
  };
  if (decision.remove) await must(["member", "remove", decision.remove]);
  if (decision.add) await must(["member", "add", me.name, `--peer-urls=${me.peerUrl}`]);
}
