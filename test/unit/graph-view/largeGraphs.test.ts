// Large graphs come out whole and in order. Their speed is measured in bench/ as ratios against
// same-run baselines (bench/hotPaths.bench.ts: flat layout 10k vs 1k nodes; bench/layout.bench.ts:
// the 100k default view vs a flat dagre layout), not asserted here in milliseconds.
import * as assert from 'node:assert/strict';
import { computeScene, LayoutCache } from '../../../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../src/core/graphLayout/hierarchy';
import { layeredLayout } from '../../../src/core/graphLayout/layered';
import { chainLayoutInput } from '../../fixtures/layoutGraphs';
import { transformerPayload } from './models';

describe('graph view: large graphs', () => {
  it('lays out 10k nodes flat: every node placed, every edge pointing down a layer, no overlap in a layer', () => {
    const n = 10000;
    const input = chainLayoutInput(n);
    const { widths, from, to } = input;
    const r = layeredLayout(input);
    assert.equal(r.x.length, n);
    assert.ok(r.x.every(Number.isFinite) && r.y.every(Number.isFinite));
    for (let e = 0; e < from.length; e++) assert.ok(r.layer[to[e]] > r.layer[from[e]], `edge ${from[e]} → ${to[e]}`);
    const byLayer = new Map<number, number[]>();
    for (let i = 0; i < n; i++) byLayer.set(r.layer[i], [...(byLayer.get(r.layer[i]) ?? []), i]);
    for (const nodes of byLayer.values()) {
      nodes.sort((a, b) => r.x[a] - r.x[b]);
      for (let k = 1; k < nodes.length; k++) assert.ok(r.x[nodes[k]] >= r.x[nodes[k - 1]] + widths[nodes[k - 1]], `nodes ${nodes[k - 1]} and ${nodes[k]} overlap`);
    }
  });

  it('computes the default scene of a 100k-node transformer', function () {
    this.timeout(120000);
    const p = transformerPayload(100000);
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h, 300), new LayoutCache());
    assert.ok(s.itemCount > 0);
  });
});
