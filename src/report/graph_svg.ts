/**
 * The topology as a standalone SVG picture, readable without Graphviz: drawn from {@link layoutTopology}'s geometry
 * with one fixed monospaced font, every text escaped, attributes in a fixed order, no timestamp — the same topology
 * gives the same bytes.
 *
 * @example
 * ```ts
 * await Deno.writeTextFile("topology.svg", renderSvg(topologyOf(config)));
 * ```
 * @module
 */
import { COLOURS, FONT_FAMILY, GENERATED_BY, QUORUM_COLOURS } from "./graph_style.ts";
import { layoutTopology, METRICS, type Rect, type TextLine } from "./graph_layout.ts";
import type { Quorum, Topology } from "./topology.ts";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Text for XML content or a quoted attribute. Characters XML 1.0 cannot carry at all (most control characters)
 * become U+FFFD, so the document stays well-formed whatever the text.
 */
export function escapeXml(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, "\ufffd")
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A number as SVG text: integers as they are, anything else to one decimal. */
function num(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** An element with attributes in the given order; values are escaped here. */
function element(name: string, attributes: [string, string | number][], content?: string): string {
  const attrs = attributes.map(([k, v]) => ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v)}"`).join("");
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

function rect(r: Rect, extra: [string, string | number][]): string {
  return element("rect", [["x", r.x], ["y", r.y], ["width", r.width], ["height", r.height], ...extra]);
}

function line(x1: number, y1: number, x2: number, y2: number, extra: [string, string | number][]): string {
  return element("line", [["x1", x1], ["y1", y1], ["x2", x2], ["y2", y2], ...extra]);
}

const TEXT_STYLES: Record<TextLine["style"], [string, string | number][]> = {
  title: [["font-size", METRICS.titleSize], ["font-weight", "bold"], ["fill", COLOURS.text]],
  heading: [["font-weight", "bold"], ["fill", COLOURS.text]],
  name: [["font-weight", "bold"], ["fill", COLOURS.text]],
  body: [["fill", COLOURS.text]],
  muted: [["fill", COLOURS.muted]],
  warning: [["fill", COLOURS.warning]],
};

/** A text element; `extra` attributes replace the style's of the same name. */
function text(t: TextLine, extra: [string, string | number][] = []): string {
  const style = TEXT_STYLES[t.style].filter(([name]) => !extra.some(([other]) => other === name));
  return element("text", [["x", t.x], ["y", t.y], ...style, ...extra], escapeXml(t.text));
}

/** An even quorum's outline is dashed and its colour the warning colour. */
function quorumStroke(quorum: Quorum): [string, string | number][] {
  return quorum.odd
    ? [["stroke", QUORUM_COLOURS[quorum.id]]]
    : [["stroke", COLOURS.warning], ["stroke-dasharray", "6 3"]];
}

/** The SVG document of a topology, ending in a newline. */
export function renderSvg(topology: Topology): string {
  const layout = layoutTopology(topology);
  const { network } = layout;
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- ${escapeXml(GENERATED_BY)} -->`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${
      escapeXml(FONT_FAMILY)
    }" font-size="${METRICS.fontSize}" xml:space="preserve">`,
    element("title", [], escapeXml(`topology of cluster ${topology.cluster}`)),
    rect({ x: 0, y: 0, width: layout.width, height: layout.height }, [["fill", COLOURS.background]]),
    `<g class="header">`,
    ...layout.header.map((t) => text(t)),
    `</g>`,
    `<g class="tiers">`,
    ...layout.tiers.flatMap((tier) => [
      rect(tier.panel, [["rx", 10], ["fill", COLOURS.tierFill], ["stroke", COLOURS.tierStroke]]),
      text(tier.heading),
    ]),
    `</g>`,
    `<g class="network" stroke="${COLOURS.network}">`,
    line(network.bus.x1, network.bus.y, network.bus.x2, network.bus.y, [["stroke-width", 4]]),
    text(network.label, [["stroke", "none"]]),
    line(network.gateway.link.x, network.gateway.link.y1, network.gateway.link.x, network.gateway.link.y2, [[
      "stroke-width",
      2,
    ]]),
    rect(network.gateway.box, [["rx", 4], ["fill", COLOURS.networkFill], ["stroke-width", 1.5]]),
    text(network.gateway.text, [["stroke", "none"]]),
    ...network.risers.map((r) => line(r.x, r.y1, r.x, r.y2, [["stroke-width", 2]])),
    ...layout.nodes.flatMap((n) =>
      n.stub
        ? [
          line(n.stub.x1, n.stub.y, n.stub.x2, n.stub.y, [["stroke-width", 2]]),
          element("circle", [["cx", n.stub.x1], ["cy", n.stub.y], ["r", 3], ["fill", COLOURS.network]]),
        ]
        : []
    ),
    `</g>`,
  ];
  for (const placed of layout.nodes) {
    out.push(
      `<g class="node">`,
      element("title", [], escapeXml(placed.node.name)),
      ...placed.rings.map((ring) =>
        rect(ring.rect, [["rx", 8], ["fill", "none"], ["stroke-width", 2], ...quorumStroke(ring.quorum)])
      ),
      rect(placed.box, [["rx", 6], ["fill", COLOURS.nodeFill], ["stroke", COLOURS.nodeStroke], ["stroke-width", 1.5]]),
      ...placed.lines.map((t) => text(t)),
      ...placed.badges.flatMap((badge) => [
        rect(badge.rect, [["rx", 3], ["fill", badge.quorum.odd ? QUORUM_COLOURS[badge.quorum.id] : COLOURS.warning]]),
        text(badge.text, [["font-size", METRICS.badgeSize], ["fill", COLOURS.background]]),
      ]),
      `</g>`,
    );
  }
  out.push(
    `<g class="legend">`,
    ...layout.legend.swatches.map((s) =>
      rect(s.rect, [["rx", 3], ["fill", s.quorum.odd ? QUORUM_COLOURS[s.quorum.id] : COLOURS.warning]])
    ),
    ...layout.legend.lines.map((t) => text(t)),
    `</g>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}
