/**
 * `clusterboot graph`, the built executable: its SVG rendered by a real renderer (rsvg-convert) and looked at pixel
 * by pixel, its DOT read by Graphviz's dot, odd names through both, a larger cluster, and invalid configurations.
 *
 * @module
 */
import assert from "node:assert/strict";
import { clusterboot, copyTree, EXAMPLE_CONFIG, listTree, tempDir } from "./support/cli.ts";
import { decodePng, type Picture } from "./support/png.ts";
import { writeSyntheticCluster } from "./support/synthetic.ts";
import { ODD_NAME, withOddName } from "./support/topologies.ts";
import { loadConfig } from "../src/config/load.ts";
import { topologyOf } from "../src/report/topology.ts";
import { renderSvg } from "../src/report/graph_svg.ts";
import { renderDot } from "../src/report/graph_dot.ts";
import { QUORUM_COLOURS } from "../src/report/graph_style.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BAD = `${ROOT}tests/fixtures/bad/`;
const TRIO = `${ROOT}tests/fixtures/clusters/trio`;
const example = topologyOf((await loadConfig(EXAMPLE_CONFIG, { full: true })).config);

interface ToolResult {
  code: number;
  stdout: Uint8Array;
  stderr: string;
}

/** Runs a tool of this machine, `input` on its stdin. */
async function tool(cmd: string, args: string[], input?: string): Promise<ToolResult> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const output = await child.output();
  return { code: output.code, stdout: output.stdout, stderr: new TextDecoder().decode(output.stderr) };
}

/**
 * The text of Graphviz's SVG with its character references resolved (it writes `-` as `&#45;`, a second space as
 * `&#160;`) and runs of spaces made one.
 */
function resolveEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return named[ref] ?? whole;
  }).replace(/[ \u00a0]+/g, " ");
}

/** The width and height an SVG declares on its root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = svg.match(/<svg [^>]*>/)?.[0] ?? "";
  return { width: Number(root.match(/ width="(\d+)"/)?.[1]), height: Number(root.match(/ height="(\d+)"/)?.[1]) };
}

/**
 * How many pixels, composed over white, are drawn (darker than the tier panels' light grey); with `colour` (#rrggbb),
 * how many are close to it.
 */
function countPixels(picture: Picture, colour?: string): number {
  const want = colour ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) : undefined;
  let count = 0;
  for (let p = 0; p < picture.rgba.length; p += 4) {
    const alpha = picture.rgba[p + 3] / 255;
    const rgb = [0, 1, 2].map((c) => Math.round(picture.rgba[p + c] * alpha + 255 * (1 - alpha)));
    if (want) {
      if (rgb.every((v, c) => Math.abs(v - want[c]) <= 24)) count++;
    } else if (rgb.some((v) => v < 230)) count++;
  }
  return count;
}

/** Renders an SVG file to PNG with rsvg-convert and decodes it. */
async function rasterise(svgFile: string): Promise<Picture> {
  const png = `${svgFile}.png`;
  const result = await tool("rsvg-convert", ["--format", "png", "--output", png, svgFile]);
  assert.equal(result.code, 0, `rsvg-convert failed: ${result.stderr}`);
  return await decodePng(await Deno.readFile(png));
}

Deno.test("graph --out writes an SVG that rsvg-convert draws: the declared size, not blank, every quorum's colour", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/topology.svg`;
  const result = await clusterboot(["graph", "--config", EXAMPLE_CONFIG, "--out", file]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.match(result.stderr, /wrote .*topology\.svg \(svg, \d+ bytes\)/);
  const svg = await Deno.readTextFile(file);

  // Every node by name and every quorum by its label, as text of the picture.
  for (const node of example.nodes) assert.ok(svg.includes(`>${node.name}</text>`), `${node.name} is missing`);
  assert.equal(example.quorums.length, 3);
  for (const quorum of example.quorums) {
    assert.ok(svg.includes(`>${quorum.label}: `), `quorum "${quorum.label}" is missing`);
    assert.ok(svg.includes(`>${quorum.badge}</text>`), `badge "${quorum.badge}" is missing`);
  }

  const picture = await rasterise(file);
  const declared = svgSize(svg);
  assert.deepEqual({ width: picture.width, height: picture.height }, declared);
  assert.ok(picture.width >= 600 && picture.width <= 3000, `width ${picture.width}`);
  assert.ok(picture.height >= 300 && picture.height <= 3000, `height ${picture.height}`);
  const inked = countPixels(picture) / (picture.width * picture.height);
  assert.ok(inked > 0.02 && inked < 0.4, `${(inked * 100).toFixed(1)}% of the picture is drawn`);
  for (const quorum of example.quorums) {
    const pixels = countPixels(picture, QUORUM_COLOURS[quorum.id]);
    assert.ok(pixels > 200, `${quorum.label}: only ${pixels} pixels in ${QUORUM_COLOURS[quorum.id]}`);
  }
  // Text was drawn with a font: many dark pixels (the text colour), beyond the lines and outlines.
  assert.ok(countPixels(picture, "#111827") > 2000, "hardly any text drawn");
});

Deno.test("stdout carries the same bytes as --out; two runs agree; --out replaces a file and leaves no temporary", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/t.svg`;
  await Deno.writeTextFile(file, "old picture\n");
  const written = await clusterboot(["graph", "--config", EXAMPLE_CONFIG, "--out", file]);
  assert.equal(written.code, 0, written.stderr);
  const printed = await clusterboot(["graph", "--config", EXAMPLE_CONFIG]);
  assert.equal(printed.code, 0, printed.stderr);
  assert.equal(printed.stdout, await Deno.readTextFile(file));
  const again = await clusterboot(["graph", "--config", EXAMPLE_CONFIG, "--format", "svg"]);
  assert.equal(again.stdout, printed.stdout);
  assert.deepEqual(await listTree(dir.path), ["/t.svg"]);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o644);
});

Deno.test("graph --format dot is read by Graphviz: dot -Tsvg exits 0 and its picture names every node and quorum", async () => {
  const result = await clusterboot(["graph", "--config", EXAMPLE_CONFIG, "--format", "dot"]);
  assert.equal(result.code, 0, result.stderr);
  const rendered = await tool("dot", ["-Tsvg"], result.stdout);
  assert.equal(rendered.code, 0, `dot failed: ${rendered.stderr}`);
  assert.equal(rendered.stderr, "", "dot warned");
  const svg = resolveEntities(new TextDecoder().decode(rendered.stdout));
  for (const node of example.nodes) {
    assert.ok(svg.includes(`<title>node:${node.name}</title>`), `${node.name} is not a node of the graph`);
    assert.ok(svg.includes(`>${node.name}</text>`), `${node.name} is not written`);
    assert.ok(svg.includes(`>ip ${node.ip}</text>`), `${node.ip} is not written`);
  }
  for (const quorum of example.quorums) {
    assert.ok(svg.includes(`>${quorum.label}</text>`), `quorum ${quorum.label} is not written`);
    for (const member of quorum.members) {
      assert.ok(svg.includes(`<title>node:${member}--quorum:${quorum.id}</title>`), `${member} not linked`);
    }
  }
});

Deno.test("odd names survive the real parsers: rsvg-convert takes the SVG, dot shows the DOT's name as written", async () => {
  await using dir = await tempDir();
  const odd = withOddName(example, "worker-01");
  const file = `${dir.path}/odd.svg`;
  await Deno.writeTextFile(file, renderSvg(odd));
  const picture = await rasterise(file);
  assert.ok(countPixels(picture) > 1000);

  const rendered = await tool("dot", ["-Tsvg"], renderDot(odd));
  assert.equal(rendered.code, 0, `dot failed: ${rendered.stderr}`);
  const svg = resolveEntities(new TextDecoder().decode(rendered.stdout));
  // No \N or \l of the name was taken for a Graphviz escape, no quote ended a string early.
  const shown = ODD_NAME.replace("\u0001", " ");
  assert.ok(svg.includes(`>${shown}</text>`), `the name is not shown as written:\n${svg}`);
  assert.ok(svg.includes(`>host ${shown}</text>`));
});

Deno.test("larger clusters draw with every node: 60 synthetic nodes and the trio", async () => {
  await using dir = await tempDir();
  const synthetic = `${dir.path}/synthetic`;
  await writeSyntheticCluster(synthetic, { nodes: 60, seed: 5 });
  for (const [name, config] of [["synthetic", synthetic], ["trio", TRIO]]) {
    const file = `${dir.path}/${name}.svg`;
    const result = await clusterboot(["graph", "--config", config, "--out", file]);
    assert.equal(result.code, 0, result.stderr);
    const svg = await Deno.readTextFile(file);
    const topology = topologyOf((await loadConfig(config, { full: true })).config);
    for (const node of topology.nodes) assert.ok(svg.includes(`>${node.name}</text>`), `${name}: ${node.name}`);
    assert.equal(svg.match(/<g class="node">/g)?.length, topology.nodes.length);
    const picture = await rasterise(file);
    assert.deepEqual({ width: picture.width, height: picture.height }, svgSize(svg));
    const inked = countPixels(picture) / (picture.width * picture.height);
    assert.ok(inked > 0.02 && inked < 0.4, `${name}: ${(inked * 100).toFixed(1)}% drawn`);
  }
});

for (const fixture of ["invalid-ip", "even-masters"]) {
  Deno.test(`an invalid configuration (${fixture}) exits 2 with file:line:col and writes no picture`, async () => {
    await using dir = await tempDir();
    const config = `${dir.path}/config`;
    await copyTree(EXAMPLE_CONFIG, config);
    await copyTree(`${BAD}${fixture}`, config);
    await Deno.remove(`${config}/expect.json`);
    const expect = JSON.parse(await Deno.readTextFile(`${BAD}${fixture}/expect.json`));
    const first = expect.diagnostics[0];
    const out = `${dir.path}/t.svg`;
    const result = await clusterboot(["graph", "--config", config, "--out", out]);
    assert.equal(result.code, 2, result.stderr);
    assert.ok(
      result.stderr.includes(`${config}/${first.file}:${first.line}:${first.col}: error:`),
      `no ${first.file}:${first.line}:${first.col} in:\n${result.stderr}`,
    );
    assert.doesNotMatch(result.stderr, /^ {4}at /m);
    assert.equal(result.stdout, "");
    await assert.rejects(Deno.stat(out), Deno.errors.NotFound);
  });
}

Deno.test("graph --help shows usage and examples; an unknown format is a usage error", async () => {
  const help = await clusterboot(["graph", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: clusterboot graph \[--config DIR\] \[--format svg\|dot\] \[--out FILE\]/);
  assert.match(help.stdout, /examples:\n {2}clusterboot graph --config configs --out topology.svg/);
  const bad = await clusterboot(["graph", "--config", EXAMPLE_CONFIG, "--format", "dott"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown format "dott"/);
  assert.match(bad.stderr, /did you mean "dot"\?/);
  const listed = await clusterboot(["--help"]);
  assert.match(listed.stdout, /^ {2}graph {6}/m);
});

Deno.test("docs/topology.svg is what graph draws for configs/", async () => {
  const result = await clusterboot(["graph", "--config", EXAMPLE_CONFIG]);
  assert.equal(result.code, 0, result.stderr);
  const committed = await Deno.readTextFile(`${ROOT}docs/topology.svg`);
  assert.ok(
    committed === result.stdout,
    "docs/topology.svg is stale: clusterboot graph --config configs --out docs/topology.svg",
  );
});
