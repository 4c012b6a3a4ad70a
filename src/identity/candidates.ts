/**
 * The nodes an operator may pick from when the evidence decided nothing: the ones that matched when several did,
 * every node otherwise, each with what it is known by. Pure.
 *
 * @example
 * ```ts
 * const decision = identify(entries, files, facts);
 * if (!decision.node) candidatesFor(decision, entries); // [{ node: "worker-01", evidence: [...] }, ...]
 * ```
 * @module
 */
import type { NodeEntry } from "../config/model.ts";
import type { Decision } from "./match.ts";

export interface Candidate {
  node: string;
  /** Why it is offered: what matched, or what the node is known by (hostname, MAC, address, roles). */
  evidence: string[];
}

export function candidatesFor(decision: Decision, entries: readonly NodeEntry[]): Candidate[] {
  const described = (entry: NodeEntry) =>
    `hostname ${entry.hostname}, MAC ${entry.mac}, address ${entry.ip}, roles ${entry.roles.join(" ")}`;
  if (decision.problem === "ambiguous") {
    const tier = decision.tiers.find((t) => t.tier === decision.tier)!;
    const nodes = [...new Set(tier.matches.map((m) => m.node))];
    return nodes.map((node) => ({
      node,
      evidence: [
        `matched by ${tier.matches.filter((m) => m.node === node).map((m) => m.because).join(", ")}`,
        described(entries.find((e) => e.name === node)!),
      ],
    }));
  }
  return entries.map((entry) => ({ node: entry.name, evidence: [described(entry)] }));
}

/**
 * The node an operator's answer names: a number from the list or a node name; undefined when it names none.
 */
export function pickCandidate(answer: string, candidates: readonly Candidate[]): string | undefined {
  const text = answer.trim();
  const number = Number(text);
  if (/^\d+$/.test(text) && number >= 1 && number <= candidates.length) return candidates[number - 1].node;
  return candidates.find((c) => c.node === text)?.node;
}
