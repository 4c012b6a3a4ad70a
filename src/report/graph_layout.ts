/**
 * Where everything of the topology picture goes: pure arithmetic over a {@link Topology}, no SVG yet, so the layout
 * can be tested (nothing overlaps, everything is inside the canvas) apart from the drawing.
 *
 * The picture, top to bottom: the title and services; the node network as a bus line with its gateway; one column
 * group per tier (control plane, Kafka, Ceph, workers, MQTT and DNS), its nodes stacked as boxes and wrapped into
 * further columns past a height, each column hanging from the bus by a riser in the gutter on its left; each quorum
 * a coloured outline around its members' boxes and a badge inside them; a legend with every quorum's members and
 * size, the networks and how nodes are put in columns. Text widths come from the monospaced font's fixed advance.
 *
 * @example
 * ```ts
 * const layout = layoutTopology(topologyOf(config));
 * layout.nodes[0].box; // { x: 68, y: 176, width: 238, height: 138 }
 * ```
 * @module
 */
import { networkLines, nodeLines, quorumSummary, servicesLine, titleLine, wrapList, wrapText } from "./graph_text.ts";
import { type Quorum, TIERS, type Topology, type TopologyNode } from "./topology.ts";

/** Font sizes and advances (DejaVu Sans Mono advances 0.602 em; a little more leaves room for other fonts). */
export const METRICS = {
  fontSize: 12,
  charWidth: 7.25,
  lineHeight: 16,
  titleSize: 16,
  titleCharWidth: 9.7,
  badgeSize: 10,
  badgeCharWidth: 6.1,
} as const;

const MARGIN = 24;
/** Padding inside node boxes. */
const PAD = 10;
/** Left of each column: the riser runs in its middle, clear of the quorum outlines on both sides. */
const GUTTER = 44;
/** Right of each column: room for the quorum outlines. */
const TRAIL = 16;
const TIER_GAP = 20;
const ROW_GAP = 34;
/** How far outside a box its quorum outlines reach: one outline every 4 px from 4 px out, 2 px wide. */
export const RING_REACH = 14;
const RING_FIRST = 4;
const RING_STEP = 4;
const BADGE_HEIGHT = 16;
const BADGE_GAP = 6;
const MIN_BOX_CHARS = 30;
/** Columns hold at least this many nodes before wrapping; bigger clusters get taller columns (about square). */
const MIN_ROWS = 6;
const MIN_WIDTH = 760;
const SWATCH = 14;
const LEGEND_INDENT = 22;

/** A rectangle in picture coordinates (y grows downwards). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One line of text at a baseline. */
export interface TextLine {
  x: number;
  y: number;
  text: string;
  style: "title" | "heading" | "body" | "muted" | "name" | "warning";
}

/** A node's box and what is drawn in and around it. */
export interface PlacedNode {
  node: TopologyNode;
  box: Rect;
  lines: TextLine[];
  badges: { rect: Rect; quorum: Quorum; text: TextLine }[];
  /** Outlines, one per quorum the node is in, each at its quorum's distance from the box. */
  rings: { rect: Rect; quorum: Quorum }[];
  /** The link from the column's riser to the box; absent when the node is not on the node network. */
  stub?: { x1: number; x2: number; y: number };
}

/** The whole picture's geometry. */
export interface Layout {
  width: number;
  height: number;
  header: TextLine[];
  network: {
    bus: { x1: number; x2: number; y: number };
    label: TextLine;
    gateway: { box: Rect; text: TextLine; link: { x: number; y1: number; y2: number } };
    risers: { x: number; y1: number; y2: number }[];
  };
  tiers: { panel: Rect; heading: TextLine }[];
  nodes: PlacedNode[];
  legend: { lines: TextLine[]; swatches: { rect: Rect; quorum: Quorum }[] };
}

const textWidth = (text: string, charWidth: number = METRICS.charWidth) => Math.ceil(text.length * charWidth);

/** How many nodes a column holds before the tier wraps into another column. */
export function rowsPerColumn(nodes: number): number {
  return Math.max(MIN_ROWS, Math.ceil(Math.sqrt(nodes)));
}

/** The layout of a topology; the same topology always gives the same layout. */
export function layoutTopology(topology: Topology): Layout {
  const { quorums } = topology;
  const net = networkLines(topology);

  // Node boxes are all the same size: wide enough for the longest line, tall enough for the most roles.
  const badgeWidth = (q: Quorum) => textWidth(q.badge, METRICS.badgeCharWidth) + 10;
  const badgesWidth = quorums.reduce((sum, q) => sum + badgeWidth(q) + BADGE_GAP, 0);
  const innerChars = Math.max(
    MIN_BOX_CHARS,
    Math.ceil(badgesWidth / METRICS.charWidth),
    ...topology.nodes.flatMap((n) => nodeLines(n, 0).slice(0, 4).map((line) => line.length)),
    ...topology.nodes.flatMap((n) => n.roles.map((role) => `roles ${role},`.length)),
  );
  const linesOf = new Map(topology.nodes.map((n) => [n.name, nodeLines(n, innerChars)]));
  const lineCount = Math.max(1, ...[...linesOf.values()].map((lines) => lines.length));
  const boxWidth = textWidth("x".repeat(innerChars)) + 2 * PAD;
  const badgeRow = quorums.length ? BADGE_GAP + BADGE_HEIGHT : 0;
  const boxHeight = PAD + lineCount * METRICS.lineHeight + badgeRow + PAD;

  // Header, then the bus with the gateway above its right end.
  const header: TextLine[] = [
    { x: MARGIN, y: MARGIN + 14, text: titleLine(topology), style: "title" },
    { x: MARGIN, y: MARGIN + 36, text: servicesLine(topology), style: "muted" },
  ];
  const busLabelText = `${net.node[0]}, ${
    net.node[2]
  }; ${topology.networks.attached.length} of ${topology.nodes.length} nodes on it`;
  const gatewayText = net.node[1];
  const gatewayWidth = textWidth(gatewayText) + 2 * 8;
  const gatewayTop = MARGIN + 52;
  const busY = gatewayTop + 22 + 12;
  const panelTop = busY + 26;
  const firstRowTop = panelTop + 40;

  // Tiers side by side; each wraps into columns of at most `rows` nodes.
  const rows = rowsPerColumn(topology.nodes.length);
  const tierNodes = TIERS.map((tier) => ({ tier, nodes: topology.nodes.filter((n) => n.tier === tier.id) }))
    .filter((t) => t.nodes.length > 0);
  const rowsUsed = Math.min(rows, Math.max(1, ...tierNodes.map((t) => t.nodes.length)));
  const panelHeight = firstRowTop - panelTop + rowsUsed * boxHeight + (rowsUsed - 1) * ROW_GAP + RING_REACH + 10;
  const attached = new Set(topology.networks.attached);
  const tiers: Layout["tiers"] = [];
  const nodes: PlacedNode[] = [];
  const risers: Layout["network"]["risers"] = [];
  let x = MARGIN;
  for (const { tier, nodes: members } of tierNodes) {
    const tierStart = x;
    for (let first = 0; first < members.length; first += rows) {
      const riserX = x + GUTTER / 2;
      const boxX = x + GUTTER;
      let lowest: number | undefined;
      members.slice(first, first + rows).forEach((node, row) => {
        const box = { x: boxX, y: firstRowTop + row * (boxHeight + ROW_GAP), width: boxWidth, height: boxHeight };
        const stubY = box.y + PAD + 8;
        const placed = placeNode(node, box, linesOf.get(node.name)!, quorums, badgeWidth);
        if (attached.has(node.name)) {
          placed.stub = { x1: riserX, x2: box.x, y: stubY };
          lowest = stubY;
        }
        nodes.push(placed);
      });
      if (lowest !== undefined) risers.push({ x: riserX, y1: busY, y2: lowest });
      x = boxX + boxWidth + TRAIL;
    }
    tiers.push({
      panel: { x: tierStart, y: panelTop, width: x - tierStart, height: panelHeight },
      // Beside the first riser, which runs down through the panel's top.
      heading: { x: tierStart + GUTTER, y: panelTop + 20, text: `${tier.label} (${members.length})`, style: "heading" },
    });
    x += TIER_GAP;
  }
  const gridRight = x - TIER_GAP;

  const width = Math.max(
    MIN_WIDTH,
    gridRight + MARGIN,
    2 * MARGIN + textWidth(header[0].text, METRICS.titleCharWidth),
    2 * MARGIN + textWidth(header[1].text),
    2 * MARGIN + textWidth(busLabelText) + 24 + gatewayWidth,
  );
  const gatewayBox = { x: width - MARGIN - gatewayWidth, y: gatewayTop, width: gatewayWidth, height: 22 };

  // The legend, wrapped to the width of the picture.
  const legendChars = Math.floor((width - 2 * MARGIN - LEGEND_INDENT) / METRICS.charWidth);
  const legendLines: TextLine[] = [];
  const swatches: Layout["legend"]["swatches"] = [];
  let y = panelTop + panelHeight + 34;
  const heading = (text: string) => {
    legendLines.push({ x: MARGIN, y, text, style: "heading" });
    y += METRICS.lineHeight + 4;
  };
  const para = (lines: string[], style: TextLine["style"] = "body") => {
    for (const text of lines) {
      legendLines.push({ x: MARGIN + LEGEND_INDENT, y, text, style });
      y += METRICS.lineHeight;
    }
  };
  heading("quorums");
  if (!quorums.length) para(["none: no etcd members, Kafka controllers or Ceph monitors"], "muted");
  for (const quorum of quorums) {
    swatches.push({ quorum, rect: { x: MARGIN, y: y - 11, width: SWATCH, height: SWATCH } });
    para(
      wrapList(`${quorum.label}: ${quorumSummary(quorum)}: `, quorum.members, legendChars),
      quorum.odd ? "body" : "warning",
    );
    y += 4;
  }
  y += 10;
  heading("networks");
  const unattached = topology.nodes.filter((n) => !attached.has(n.name)).map((n) => n.name).sort();
  para(wrapText(`${net.node.join(", ")}; ${attached.size} of ${topology.nodes.length} nodes on it`, legendChars));
  if (unattached.length) para(wrapList("not on the node network: ", unattached, legendChars), "warning");
  para(wrapText(`${net.pod}; ${net.service}`, legendChars));
  y += 10;
  heading("columns");
  para(
    wrapText(
      `a node stands in the column of its first role among: ${
        TIERS.map((t) => `${t.label} (${t.roles.join(", ")})`).join(", ")
      }`,
      legendChars,
    ),
    "muted",
  );
  const height = y - METRICS.lineHeight + 6 + MARGIN;

  return {
    width,
    height,
    header,
    network: {
      bus: { x1: MARGIN, x2: width - MARGIN, y: busY },
      label: { x: MARGIN, y: busY - 8, text: busLabelText, style: "body" },
      gateway: {
        box: gatewayBox,
        text: { x: gatewayBox.x + 8, y: gatewayBox.y + 15, text: gatewayText, style: "body" },
        link: { x: gatewayBox.x + Math.round(gatewayWidth / 2), y1: gatewayBox.y + gatewayBox.height, y2: busY },
      },
      risers,
    },
    tiers,
    nodes,
    legend: { lines: legendLines, swatches },
  };
}

/** A node's box with its text lines, quorum badges and quorum outlines. */
function placeNode(
  node: TopologyNode,
  box: Rect,
  lines: string[],
  quorums: readonly Quorum[],
  badgeWidth: (q: Quorum) => number,
): PlacedNode {
  const placedLines = lines.map((text, i): TextLine => ({
    x: box.x + PAD,
    y: box.y + PAD + 12 + i * METRICS.lineHeight,
    text,
    style: i === 0 ? "name" : "body",
  }));
  const mine = quorums.filter((q) => node.quorums.includes(q.id));
  const badges: PlacedNode["badges"] = [];
  let bx = box.x + PAD;
  const by = box.y + box.height - PAD - BADGE_HEIGHT;
  for (const quorum of mine) {
    const rect = { x: bx, y: by, width: badgeWidth(quorum), height: BADGE_HEIGHT };
    badges.push({ rect, quorum, text: { x: bx + 5, y: by + 12, text: quorum.badge, style: "body" } });
    bx += rect.width + BADGE_GAP;
  }
  // Each quorum keeps its distance from the box on every node, so an outline's colour and place both tell it.
  const rings = mine.map((quorum) => {
    const out = RING_FIRST + RING_STEP * quorums.indexOf(quorum);
    return {
      quorum,
      rect: { x: box.x - out, y: box.y - out, width: box.width + 2 * out, height: box.height + 2 * out },
    };
  });
  return { node, box, lines: placedLines, badges, rings };
}
