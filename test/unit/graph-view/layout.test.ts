import * as assert from 'node:assert/strict';
import { mulberry32 } from '../../fixtures/bigModels';
import { layeredLayout, type LayoutInput, type LayoutResult } from '../../../src/core/graphLayout/layered';

/** A random DAG in topological index order: a spine, skip edges of every length, fan-in and fan-out. */
function randomDag(n: number, seed: number): LayoutInput {
  const rand = mulberry32(seed);
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 1; i < n; i++) {
    if (rand() < 0.8) {
      from.push(i - 1);
      to.push(i);
    }
    const extra = Math.floor(rand() * 3);
    for (let k = 0; k < extra; k++) {
      from.push(Math.floor(rand() * i));
      to.push(i);
    }
  }
  return {
    widths: Array.from({ length: n }, () => 40 + Math.floor(rand() * 160)),
    heights: Array.from({ length: n }, () => 30 + Math.floor(rand() * 30)),
    from,
    to,
  };
}

function assertNoOverlap(g: LayoutInput, r: LayoutResult, gap: number): void {
  const n = g.widths.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const apartX = r.x[a] + g.widths[a] + gap <= r.x[b] + 1e-6 || r.x[b] + g.widths[b] + gap <= r.x[a] + 1e-6;
      const apartY = r.y[a] + g.heights[a] <= r.y[b] + 1e-6 || r.y[b] + g.heights[b] <= r.y[a] + 1e-6;
      assert.ok(apartX || apartY, `boxes ${a} and ${b} overlap`);
    }
  }
}

function assertPorts(g: LayoutInput, r: LayoutResult): void {
  for (let e = 0; e < g.from.length; e++) {
    const u = g.from[e];
    const v = g.to[e];
    const a = r.pointStart[e];
    const b = r.pointStart[e + 1];
    assert.ok(b - a >= 4, `edge ${e} has at least two points`);
    assert.deepEqual([r.points[a], r.points[a + 1]], [r.x[u] + g.widths[u] / 2, r.y[u] + g.heights[u]], `edge ${e} leaves the bottom centre of ${u}`);
    assert.deepEqual([r.points[b - 2], r.points[b - 1]], [r.x[v] + g.widths[v] / 2, r.y[v]], `edge ${e} enters the top centre of ${v}`);
  }
}

describe('graph view: layered layout', () => {
  for (const seed of [1, 2, 3]) {
    it(`never overlaps two boxes, with at least the node gap between neighbours (random DAG, seed ${seed})`, () => {
      const g = randomDag(250, seed);
      assertNoOverlap(g, layeredLayout(g, { nodeGap: 24 }), 24);
    });
  }

  it('starts every edge at the bottom centre of its source and ends it at the top centre of its target', () => {
    const g = randomDag(400, 4);
    assertPorts(g, layeredLayout(g));
  });

  it('puts every target on a lower layer than its source, and each layer below the one before', () => {
    const g = randomDag(400, 5);
    const r = layeredLayout(g);
    for (let e = 0; e < g.from.length; e++) {
      const u = g.from[e];
      const v = g.to[e];
      assert.ok(r.layer[v] > r.layer[u], `edge ${u}→${v}`);
      assert.ok(r.y[v] >= r.y[u] + g.heights[u], `edge ${u}→${v} points down`);
    }
  });

  it('keeps edges monotone downwards through their dummy chains', () => {
    const g = randomDag(300, 6);
    const r = layeredLayout(g);
    for (let e = 0; e < g.from.length; e++) {
      for (let k = r.pointStart[e] + 3; k < r.pointStart[e + 1]; k += 2) assert.ok(r.points[k] >= r.points[k - 2]);
    }
  });

  it('is deterministic', () => {
    const g = randomDag(500, 7);
    const a = layeredLayout(g);
    const b = layeredLayout(g);
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.y, b.y);
    assert.deepEqual(a.points, b.points);
  });

  it('draws a chain as one straight vertical line', () => {
    const n = 30;
    const g: LayoutInput = {
      widths: Array.from({ length: n }, (_, i) => 60 + (i % 4) * 30),
      heights: Array.from({ length: n }, () => 40),
      from: Array.from({ length: n - 1 }, (_, i) => i),
      to: Array.from({ length: n - 1 }, (_, i) => i + 1),
    };
    const r = layeredLayout(g);
    for (let i = 0; i < n; i++) assert.equal(r.x[i] + g.widths[i] / 2, r.x[0] + g.widths[0] / 2);
  });

  it('places a constant just above its consumer, not at the top', () => {
    // 0 → 1 → 2 → 3, and a source 4 feeding 3.
    const g: LayoutInput = { widths: [50, 50, 50, 50, 50], heights: [40, 40, 40, 40, 40], from: [0, 1, 2, 4], to: [1, 2, 3, 3] };
    const r = layeredLayout(g);
    assert.equal(r.layer[4], r.layer[3] - 1);
  });

  it('survives cycles and self-loops: every node placed, every edge drawn between its ports', () => {
    const g: LayoutInput = { widths: [50, 60, 70, 80], heights: [40, 40, 40, 40], from: [0, 1, 2, 2, 3], to: [1, 2, 0, 2, 1] };
    const r = layeredLayout(g);
    assert.ok(r.x.every(Number.isFinite) && r.y.every(Number.isFinite));
    assertPorts(g, r);
    assertNoOverlap(g, r, 24);
  });

  it('lays out an empty graph and a single node', () => {
    const empty = layeredLayout({ widths: [], heights: [], from: [], to: [] });
    assert.equal(empty.width, 0);
    assert.equal(empty.height, 0);
    const one = layeredLayout({ widths: [80], heights: [40], from: [], to: [] });
    assert.deepEqual([one.x[0], one.y[0], one.width, one.height], [0, 0, 80, 40]);
  });

  it('handles a 100k-deep chain and a 20k fan-out without recursion', () => {
    const n = 100000;
    const chain = layeredLayout({
      widths: new Float64Array(n).fill(60),
      heights: new Float64Array(n).fill(40),
      from: Int32Array.from({ length: n - 1 }, (_, i) => i),
      to: Int32Array.from({ length: n - 1 }, (_, i) => i + 1),
    });
    assert.equal(chain.layer[n - 1], n - 1);
    const fan = 20000;
    const star = layeredLayout({
      widths: new Float64Array(fan + 1).fill(60),
      heights: new Float64Array(fan + 1).fill(40),
      from: new Int32Array(fan),
      to: Int32Array.from({ length: fan }, (_, i) => i + 1),
    });
    assert.equal(star.height, 40 + 40 + 40);
  });

  it('routes a value read on many layers along one shared chain of bends', () => {
    // Node 0 feeds every node of a 200-long chain 1..200: one dummy chain, not 200.
    const n = 201;
    const from: number[] = [];
    const to: number[] = [];
    for (let i = 1; i < n; i++) {
      from.push(0, i - 1);
      to.push(i, i);
    }
    const g: LayoutInput = { widths: new Float64Array(n).fill(60), heights: new Float64Array(n).fill(40), from: from.slice(1), to: to.slice(1) };
    const r = layeredLayout(g);
    assertPorts(g, r);
    assert.ok(r.points.length < 40 * g.from.length, `${r.points.length} numbers for ${g.from.length} edges`);
  });
});
