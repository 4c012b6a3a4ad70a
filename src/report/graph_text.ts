/**
 * The words of the topology pictures, shared by the DOT and the SVG renderer so both say the same: titles, node
 * lines, quorum summaries, network lines, and wrapping of lists to a width in characters.
 *
 * @example
 * ```ts
 * wrapList("roles ", ["worker", "kafka-broker", "ceph-osd"], 24);
 * // ["roles worker,", "      kafka-broker,", "      ceph-osd"]
 * ```
 * @module
 */
import type { Quorum, Topology, TopologyNode } from "./topology.ts";

/** The picture's title: cluster, domain and release. */
export function titleLine(topology: Topology): string {
  return `cluster ${topology.cluster} (${topology.domain}), release ${topology.version}`;
}

/** The enabled services. */
export function servicesLine(topology: Topology): string {
  return `services: ${topology.services.length ? topology.services.join(", ") : "none"}`;
}

/** The networks in words: the node network's lines, and one line each for the pod and service networks. */
export function networkLines(topology: Topology): { node: string[]; pod: string; service: string } {
  const net = topology.networks;
  return {
    node: [`node network ${net.cidr}`, `gateway ${net.gateway}`, `DNS ${net.nameservers.join(", ")}`],
    pod: `pod network ${net.podCidr}`,
    service: `service network ${net.serviceCidr}`,
  };
}

/** How big a quorum is and what it survives. */
export function quorumSummary(quorum: Quorum): string {
  const size = quorum.members.length;
  const members = `${size} member${size === 1 ? "" : "s"}`;
  return quorum.odd
    ? `${members}, odd: survives ${quorum.tolerates} down`
    : `${members}, EVEN: survives ${quorum.tolerates} down, no more than ${size - 1} would`;
}

/** A node's lines: name, hostname, address, MAC and roles, the roles wrapped to `width` characters. */
export function nodeLines(node: TopologyNode, width: number): string[] {
  return [
    node.name,
    `host  ${node.hostname}`,
    `ip    ${node.ip}`,
    `mac   ${node.mac}`,
    ...wrapList("roles ", node.roles, width),
  ];
}

/**
 * `prefix` and the items separated by ", ", broken into lines of at most `width` characters where possible (an
 * item longer than a line gets a line of its own); later lines are indented as far as the prefix.
 */
export function wrapList(prefix: string, items: readonly string[], width: number): string[] {
  const indent = " ".repeat(prefix.length);
  const lines: string[] = [];
  let line = prefix;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    const fresh = line === prefix || line === indent;
    const candidate = fresh ? line + piece : `${line} ${piece}`;
    if (candidate.length <= width || fresh) line = candidate;
    else {
      lines.push(line);
      line = indent + piece;
    }
  });
  lines.push(line);
  return lines;
}

/** Text broken at spaces into lines of at most `width` characters where possible (a longer word stays whole). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ").filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
