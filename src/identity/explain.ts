/**
 * The evidence behind an identity decision, as text for people (`detect --explain`, and the console when boot
 * cannot decide) and as data for `--json`.
 *
 * @example
 * ```ts
 * console.log(explain(identify(entries, files, facts)));
 * ```
 * @module
 */
import type { Decision, Tier } from "./match.ts";

const LABELS: Record<Tier, string> = {
  override: "--node",
  cmdline: "kernel command line",
  dmi: "DMI",
  mac: "MAC address",
  ip: "IP address",
  hostname: "hostname",
};

/** One line saying what was decided, e.g. `master-01 (MAC 52:54:00:20:00:11 on eth0)`. */
export function summary(decision: Decision): string {
  if (decision.node) {
    const match = decision.tiers.find((t) => t.tier === decision.tier)!.matches[0];
    return `${decision.node} (${match.because})`;
  }
  const tier = decision.tiers.find((t) => t.tier === decision.tier);
  switch (decision.problem) {
    case "unknown":
      return `${tier!.offered[0]} names no node of this cluster`;
    case "ambiguous":
      return `several nodes match by ${LABELS[decision.tier!]}: ${
        [...new Set(tier!.matches.map((m) => m.node))].join(", ")
      }`;
    default:
      return "no node of this cluster matches this machine";
  }
}

/** The whole evidence, tier by tier, strongest first, marking the tier that decided. */
export function explain(decision: Decision): string {
  const lines = [decision.node ? `node: ${summary(decision)}` : `identity not determined: ${summary(decision)}`];
  lines.push("evidence, strongest first:");
  for (const result of decision.tiers) {
    const offered = result.offered.length ? result.offered.join(", ") : "(nothing)";
    const matched = result.matches.length
      ? result.matches.map((m) => `${m.node} by ${m.because}`).join("; ")
      : result.offered.length
      ? "no node"
      : "";
    const mark = result.tier === decision.tier ? (decision.node ? "  <- decided" : "  <- stopped here") : "";
    lines.push(`  ${LABELS[result.tier].padEnd(20)} ${offered}${matched ? ` -> ${matched}` : ""}${mark}`);
  }
  if (!decision.node) lines.push(`hint: ${hintFor(decision)}`);
  return lines.join("\n");
}

function hintFor(decision: Decision): string {
  switch (decision.problem) {
    case "unknown":
      return "use a node name from cluster.yaml";
    case "ambiguous":
      return "each node's MAC, address, hostname and DMI identity must belong to it alone; boot with " +
        "clusterboot.node=NAME to choose";
    default:
      return "add one of this machine's MAC addresses to its node in cluster.yaml, or boot with clusterboot.node=NAME";
  }
}
