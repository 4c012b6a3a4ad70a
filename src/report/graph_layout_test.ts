import assert from "node:assert/strict";
import { loadConfig } from "../config/load.ts";
import { bigTopology } from "../../tests/support/topologies.ts";
import { type Layout, layoutTopology, METRICS, type Rect, RING_REACH, rowsPerColumn } from "./graph_layout.ts";
import { topologyOf } from "./topology.ts";

const EXAMPLE = new URL("../../configs", import.meta.url).pathname;
const TRIO = new URL("../../tests/fixtures/clusters/trio", import.meta.url).pathname;

const grow = (r: Rect, by: number): Rect => ({
  x: r.x - by,
  y: r.y - by,
  width: r.width + 2 * by,
  height: r.height + 2 * by,
});
const intersects = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

/** Everything that must hold for a readable picture: nothing overlaps, everything fits. */
function assertReadable(layout: Layout, label: string): void {
  const canvas = { x: 0, y: 0, width: layout.width, height: layout.height };
  const reach = layout.nodes.map((n) => grow(n.box, RING_REACH));
  reach.forEach((r, i) => {
    assert.ok(inside(r, canvas), `${label}: ${layout.nodes[i].node.name} outside the canvas`);
    for (let j = i + 1; j < reach.length; j++) {
      assert.ok(
        !intersects(r, reach[j]),
        `${label}: ${layout.nodes[i].node.name} overlaps ${layout.nodes[j].node.name}`,
      );
    }
    for (const ring of layout.nodes[i].rings) assert.ok(inside(ring.rect, r), `${label}: a ring reaches too far`);
  });
  layout.tiers.forEach((tier, i) => {
    assert.ok(inside(tier.panel, canvas), `${label}: tier ${tier.heading.text} outside the canvas`);
    for (const other of layout.tiers.slice(i + 1)) {
      assert.ok(!intersects(tier.panel, other.panel), `${label}: tiers overlap`);
    }
  });
  for (const placed of layout.nodes) {
    const tier = layout.tiers.find((t) => inside(grow(placed.box, RING_REACH), t.panel));
    assert.ok(tier, `${label}: ${placed.node.name} is outside every tier panel`);
    for (const line of placed.lines) {
      const right = line.x + line.text.length * METRICS.charWidth;
      assert.ok(right <= placed.box.x + placed.box.width - 4, `${label}: "${line.text}" runs out of its box`);
      assert.ok(line.y < placed.box.y + placed.box.height, `${label}: "${line.text}" below its box`);
    }
    for (const badge of placed.badges) assert.ok(inside(badge.rect, placed.box), `${label}: a badge outside its box`);
    assert.ok(placed.badges.every((b) => placed.lines.every((l) => l.y < b.rect.y)), `${label}: a badge on text`);
  }
  // A riser crosses no box, ring or tier heading on its way down from the bus.
  for (const riser of layout.network.risers) {
    for (const r of reach) {
      const crosses = riser.x > r.x && riser.x < r.x + r.width && riser.y2 > r.y && riser.y1 < r.y + r.height;
      assert.ok(!crosses, `${label}: a riser at x=${riser.x} crosses a node`);
    }
    for (const tier of layout.tiers) {
      const h = tier.heading;
      assert.ok(
        riser.x < h.x || riser.x > h.x + h.text.length * METRICS.charWidth,
        `${label}: a riser crosses ${h.text}`,
      );
    }
  }
  const gridBottom = Math.max(...layout.tiers.map((t) => t.panel.y + t.panel.height));
  for (const line of layout.legend.lines) {
    assert.ok(line.y > gridBottom, `${label}: legend line "${line.text}" over the grid`);
    assert.ok(line.x + line.text.length * METRICS.charWidth <= layout.width, `${label}: "${line.text}" runs off`);
    assert.ok(line.y <= layout.height, `${label}: "${line.text}" below the canvas`);
  }
  const gateway = layout.network.gateway.box;
  const busLabel = layout.network.label;
  assert.ok(busLabel.x + busLabel.text.length * METRICS.charWidth < gateway.x, `${label}: bus label under the gateway`);
  assert.ok(gateway.x + gateway.width <= layout.width, `${label}: gateway off the canvas`);
}

Deno.test("the example cluster lays out without overlaps, one tier per column", async () => {
  const topology = topologyOf((await loadConfig(EXAMPLE, { full: true })).config);
  const layout = layoutTopology(topology);
  assertReadable(layout, "example");
  assert.deepEqual(layout.tiers.map((t) => t.heading.text), [
    "control plane (1)",
    "Kafka (1)",
    "Ceph (2)",
    "workers (1)",
  ]);
  assert.equal(layout.network.risers.length, 4);
  assert.equal(layout.nodes.filter((n) => n.stub).length, 5);
  const storage = layout.nodes.find((n) => n.node.name === "storage-01")!;
  assert.deepEqual(storage.badges.map((b) => b.text.text), ["ceph-mon"]);
  assert.deepEqual(storage.rings.map((r) => r.quorum.id), ["ceph-mon"]);
});

Deno.test("the trio cluster lays out without overlaps; masters carry the etcd and the Ceph monitor outline", async () => {
  const layout = layoutTopology(topologyOf((await loadConfig(TRIO, { full: true })).config));
  assertReadable(layout, "trio");
  const master = layout.nodes.find((n) => n.node.name === "master-1")!;
  assert.deepEqual(master.rings.map((r) => r.quorum.id), ["etcd", "ceph-mon"]);
  // Each quorum keeps its own distance from the box, so two outlines never coincide.
  assert.notEqual(master.rings[0].rect.x, master.rings[1].rect.x);
});

for (const count of [40, 300]) {
  Deno.test(`a cluster of ${count} nodes wraps its tiers into columns without overlaps`, () => {
    const topology = bigTopology(count);
    const layout = layoutTopology(topology);
    assertReadable(layout, `big-${count}`);
    assert.equal(layout.nodes.length, count);
    const rows = rowsPerColumn(count);
    const columns = Map.groupBy(layout.nodes, (n) => n.box.x);
    assert.ok([...columns.values()].every((c) => c.length <= rows), "a column holds more than its rows");
    const workers = layout.tiers.find((t) => t.heading.text.startsWith("workers"))!;
    assert.ok(workers.panel.width > 2 * layout.nodes[0].box.width, "the workers did not wrap into columns");
    // Every column of nodes hangs from the bus by one riser.
    assert.equal(layout.network.risers.length, columns.size);
    // About as wide as tall, not one long strip.
    assert.ok(layout.width < 6 * layout.height && layout.height < 6 * layout.width, `${layout.width}x${layout.height}`);
  });
}

Deno.test("the layout is the same every time", () => {
  assert.deepEqual(layoutTopology(bigTopology(60)), layoutTopology(bigTopology(60)));
});
