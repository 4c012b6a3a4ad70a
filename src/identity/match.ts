/**
 * Deciding which node this machine is, from its facts. Evidence is weighed in tiers, strongest first: an explicit
 * choice (`--node`, then `clusterboot.node=` on the kernel command line), DMI identity, MAC address, IP address,
 * hostname. The first tier that matches anything decides; it must match exactly one node.
 *
 * @example
 * ```ts
 * const decision = identify(config.cluster.nodes, config.nodes, facts);
 * if (decision.node) console.log(decision.node, decision.tier);
 * ```
 * @module
 */
import type { NodeEntry, NodeFile } from "../config/model.ts";
import type { Facts } from "./facts.ts";

export const TIERS = ["override", "cmdline", "dmi", "mac", "ip", "hostname"] as const;
export type Tier = typeof TIERS[number];

export interface Match {
  node: string;
  /** What matched, e.g. `mac 52:54:00:20:00:11 on eth0`. */
  because: string;
}

export interface TierResult {
  tier: Tier;
  /** What this machine offered for the tier, e.g. `eth0 52:54:00:20:00:11`; empty when it had nothing. */
  offered: string[];
  matches: Match[];
}

export interface Decision {
  /** The node, when exactly one matched in the deciding tier. */
  node?: string;
  /** The tier that decided, or that failed with several matches. */
  tier?: Tier;
  /** `none`: nothing matched; `ambiguous`: several nodes matched in one tier; `unknown`: an explicit name is not a node. */
  problem?: "none" | "ambiguous" | "unknown";
  tiers: TierResult[];
}

export interface IdentifyOptions {
  /** A node chosen by the operator (`--node`), above everything else. */
  override?: string;
}

/** The `clusterboot.node=` parameter of a kernel command line, if present (the last one wins, as in the kernel). */
export function cmdlineNode(cmdline: string): string | undefined {
  let node: string | undefined;
  for (const match of cmdline.matchAll(/(?:^|\s)clusterboot\.node=(?:"([^"]*)"|(\S*))/g)) node = match[1] ?? match[2];
  return node;
}

/** Matches the facts against every node. Pure. */
export function identify(
  entries: readonly NodeEntry[],
  files: Readonly<Record<string, NodeFile>>,
  facts: Facts,
  options: IdentifyOptions = {},
): Decision {
  const tiers: TierResult[] = [];
  const byName = (tier: Tier, name: string | undefined, source: string): TierResult => ({
    tier,
    offered: name === undefined ? [] : [`${source} ${name}`],
    matches: name !== undefined && entries.some((n) => n.name === name)
      ? [{ node: name, because: `${source} ${name}` }]
      : [],
  });

  tiers.push(byName("override", options.override, "--node"));
  tiers.push(byName("cmdline", cmdlineNode(facts.cmdline), "clusterboot.node="));

  const dmi: Match[] = [];
  for (const entry of entries) {
    const hardware = files[entry.name]?.hardware;
    if (hardware?.uuid && facts.dmi.uuid && hardware.uuid.toLowerCase() === facts.dmi.uuid.toLowerCase()) {
      dmi.push({ node: entry.name, because: `DMI product UUID ${facts.dmi.uuid}` });
    } else if (hardware?.serial && facts.dmi.serial && hardware.serial === facts.dmi.serial) {
      dmi.push({ node: entry.name, because: `DMI serial ${facts.dmi.serial}` });
    }
  }
  tiers.push({
    tier: "dmi",
    offered: [
      ...(facts.dmi.uuid ? [`product UUID ${facts.dmi.uuid}`] : []),
      ...(facts.dmi.serial ? [`serial ${facts.dmi.serial}`] : []),
    ],
    matches: dmi,
  });

  const nics = facts.interfaces;
  const macOwner = new Map(entries.map((n) => [n.mac.toLowerCase(), n.name]));
  tiers.push({
    tier: "mac",
    offered: nics.filter((i) => i.mac).map((i) => `${i.name} ${i.mac}`),
    matches: nics.flatMap((i) => {
      const node = i.mac && macOwner.get(i.mac);
      return node ? [{ node, because: `MAC ${i.mac} on ${i.name}` }] : [];
    }),
  });

  const ipOwner = new Map(entries.map((n) => [n.ip, n.name]));
  tiers.push({
    tier: "ip",
    offered: nics.flatMap((i) => i.addresses.map((a) => `${i.name} ${a}`)),
    matches: nics.flatMap((i) =>
      i.addresses.flatMap((a) =>
        ipOwner.has(a) ? [{ node: ipOwner.get(a)!, because: `address ${a} on ${i.name}` }] : []
      )
    ),
  });

  const hostname = facts.hostname?.toLowerCase();
  tiers.push({
    tier: "hostname",
    offered: facts.hostname ? [facts.hostname] : [],
    matches: hostname
      ? entries.filter((n) => n.hostname === hostname || hostname.startsWith(`${n.hostname}.`))
        .map((n) => ({ node: n.name, because: `hostname ${facts.hostname}` }))
      : [],
  });

  for (const result of tiers) {
    // An explicit name that is not a node stops here: falling back to other evidence would defy the operator.
    if ((result.tier === "override" || result.tier === "cmdline") && result.offered.length > 0) {
      if (result.matches.length === 0) return { tier: result.tier, problem: "unknown", tiers };
      return { node: result.matches[0].node, tier: result.tier, tiers };
    }
    const nodes = new Set(result.matches.map((m) => m.node));
    if (nodes.size === 1) return { node: result.matches[0].node, tier: result.tier, tiers };
    if (nodes.size > 1) return { tier: result.tier, problem: "ambiguous", tiers };
  }
  return { problem: "none", tiers };
}
