/**
 * The topology as Graphviz DOT: each node a box (name, hostname, address, MAC, roles) inside the cluster of its tier;
 * the node network a box every attached node links to; each quorum a hexagon linked to its members in the quorum's
 * colour. Pure and stable: the same topology gives the same bytes.
 *
 * @example
 * ```ts
 * const dot = renderDot(topologyOf(config));
 * // dot -Tpng -o topology.png <<< "$dot"
 * ```
 * @module
 */
import { COLOURS, FONT_FAMILY, GENERATED_BY, QUORUM_COLOURS } from "./graph_style.ts";
import { networkLines, nodeLines, quorumSummary, servicesLine, titleLine } from "./graph_text.ts";
import { TIERS, type Topology } from "./topology.ts";

/**
 * Text for inside a DOT double-quoted string. Backslashes are doubled, so no escape sequence of Graphviz (`\N`,
 * `\l`, ...) comes from the data; line breaks and other control characters become spaces.
 */
export function escapeDot(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** A DOT double-quoted string of `text`. */
export function dotString(text: string): string {
  return `"${escapeDot(text)}"`;
}

/** A label of several lines, each left-aligned (Graphviz's `\l` ends each one). */
function leftLines(texts: readonly string[]): string {
  return `"${texts.map((t) => `${escapeDot(t)}\\l`).join("")}"`;
}

/** A label of several centred lines. */
function centredLines(texts: readonly string[]): string {
  return `"${texts.map(escapeDot).join("\\n")}"`;
}

/** Attributes as DOT text, in the given order; values are already DOT strings or plain numbers. */
function attrs(pairs: readonly (readonly [string, string])[]): string {
  return `[${pairs.map(([key, value]) => `${key}=${value}`).join(", ")}]`;
}

const nodeId = (name: string) => dotString(`node:${name}`);
const quorumId = (id: string) => dotString(`quorum:${id}`);
const NODE_NETWORK = dotString("network:node");

/** The DOT text of a topology, ending in a newline. */
export function renderDot(topology: Topology): string {
  const font = dotString(FONT_FAMILY);
  const net = topology.networks;
  const out: string[] = [
    `// ${GENERATED_BY}`,
    `graph ${dotString(topology.cluster)} {`,
    `  graph ${
      attrs([
        ["label", leftLines([titleLine(topology), servicesLine(topology)])],
        ["labelloc", "t"],
        ["labeljust", "l"],
        ["fontname", font],
        ["nodesep", "0.3"],
        ["ranksep", "0.7"],
      ])
    };`,
    `  node ${attrs([["fontname", font], ["fontsize", "10"]])};`,
    `  edge ${attrs([["fontname", font], ["fontsize", "9"]])};`,
    "",
    `  subgraph "cluster_networks" {`,
    `    label="networks";`,
    `    ${NODE_NETWORK} ${
      attrs([
        ["shape", "box"],
        ["style", '"rounded,filled"'],
        ["fillcolor", dotString(COLOURS.networkFill)],
        ["label", leftLines(networkLines(topology).node)],
      ])
    };`,
    `    ${dotString("network:pod")} ${attrs([["shape", "note"], ["label", dotString(networkLines(topology).pod)]])};`,
    `    ${dotString("network:service")} ${
      attrs([["shape", "note"], ["label", dotString(networkLines(topology).service)]])
    };`,
    "  }",
  ];
  for (const tier of TIERS) {
    const members = topology.nodes.filter((n) => n.tier === tier.id);
    if (!members.length) continue;
    out.push("", `  subgraph ${dotString(`cluster_tier_${tier.id}`)} {`, `    label=${dotString(tier.label)};`);
    for (const node of members) {
      const label = leftLines(nodeLines(node, Infinity));
      out.push(`    ${nodeId(node.name)} ${attrs([["shape", "box"], ["style", "rounded"], ["label", label]])};`);
    }
    out.push("  }");
  }
  for (const quorum of topology.quorums) {
    // An even quorum is drawn dashed and red: it tolerates no more failures than one member fewer.
    const link = quorum.odd
      ? [["color", dotString(QUORUM_COLOURS[quorum.id])], ["penwidth", "2"]] as const
      : [["color", dotString(COLOURS.warning)], ["penwidth", "2"], ["style", "dashed"]] as const;
    out.push(
      "",
      `  ${quorumId(quorum.id)} ${
        attrs([
          ["shape", "hexagon"],
          ["style", "filled"],
          ["fillcolor", dotString(QUORUM_COLOURS[quorum.id])],
          ["fontcolor", dotString(COLOURS.background)],
          ["label", centredLines([quorum.label, quorumSummary(quorum)])],
        ])
      };`,
      ...quorum.members.map((member) => `  ${nodeId(member)} -- ${quorumId(quorum.id)} ${attrs(link)};`),
    );
  }
  out.push(
    "",
    ...net.attached.map((name) =>
      `  ${NODE_NETWORK} -- ${nodeId(name)} ${attrs([["color", dotString(COLOURS.network)]])};`
    ),
  );
  out.push("}");
  return out.join("\n") + "\n";
}
