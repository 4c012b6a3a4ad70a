/**
 * `clusterboot graph`: the cluster's topology as a picture — nodes, roles, quorums, networks and services — as a
 * standalone SVG (the default) or as Graphviz DOT, on stdout or written atomically to a file.
 *
 * @module
 */
import { writeFileAtomic } from "../apply/write.ts";
import { EnvironmentError, UsageError } from "../errors.ts";
import { renderDot } from "../report/graph_dot.ts";
import { renderSvg } from "../report/graph_svg.ts";
import { type Topology, topologyOf } from "../report/topology.ts";
import { suggestWord } from "../text/suggest.ts";
import { parseFlags, stringFlag } from "./args.ts";
import { loadStep, LOCATION_HELP } from "./common.ts";
import type { Output } from "./output.ts";
import { OPTIONS } from "./options.ts";

/** The formats `--format` takes, each with its renderer. */
const RENDERERS: ReadonlyMap<string, (topology: Topology) => string> = new Map([
  ["svg", renderSvg],
  ["dot", renderDot],
]);
const FORMATS = [...RENDERERS.keys()];

const HELP = `usage: clusterboot graph [--config DIR] [--format svg|dot] [--out FILE]

Draws the cluster as configured: every node (name, hostname, address, MAC) and its roles, in columns by role; the
quorums (etcd members, Kafka controllers, Ceph monitors) as coloured outlines with their size and whether it is odd;
the node network as a bus with its gateway and name servers, the pod and service networks; the enabled services.
The SVG needs nothing else to be read; DOT is for Graphviz. The same configuration gives the same bytes.

options:
${LOCATION_HELP}
  --format F     svg (default) or dot
  --out FILE     write the picture to FILE (atomically: a temporary file renamed over it) instead of stdout

examples:
  clusterboot graph --config configs --out topology.svg
  clusterboot graph --config configs --format dot | dot -Tpng -o topology.png
  clusterboot graph --config configs | rsvg-convert -o topology.png`;

export async function run(argv: string[], out: Output): Promise<number> {
  const parsed = parseFlags(argv, OPTIONS.graph);
  if (parsed.help) return (out.result(HELP), 0);
  const format = stringFlag(parsed, "format", "svg");
  const render = RENDERERS.get(format);
  if (!render) {
    throw new UsageError(
      `unknown format "${format}"`,
      suggestWord(format, FORMATS) ?? `one of: ${FORMATS.join(", ")}`,
    );
  }
  const loaded = await loadStep(parsed, out);
  const text = render(topologyOf(loaded.config));
  const target = stringFlag(parsed, "out");
  if (target === undefined) {
    // out.result adds the final newline back, so stdout carries the same bytes as --out.
    out.result(text.replace(/\n$/, ""));
    return 0;
  }
  const bytes = new TextEncoder().encode(text);
  try {
    writeFileAtomic(target, bytes, { mode: 0o644 });
  } catch (error) {
    throw new EnvironmentError(`cannot write ${target}: ${(error as Error).message}`);
  }
  out.info(`wrote ${target} (${format}, ${bytes.length} bytes)`);
  return 0;
}
