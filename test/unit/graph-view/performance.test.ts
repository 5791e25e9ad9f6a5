import * as assert from 'node:assert/strict';
import { computeScene, LayoutCache } from '../../../webview/graph/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../webview/graph/hierarchy';
import { layeredLayout } from '../../../webview/graph/layout/layered';
import { mulberry32 } from '../../fixtures/bigModels';
import { transformerPayload } from './models';

describe('graph view: performance smoke', () => {
  it('lays out 10k nodes flat in under 2 s', () => {
    const n = 10000;
    const rand = mulberry32(11);
    const from: number[] = [];
    const to: number[] = [];
    for (let i = 1; i < n; i++) {
      from.push(i - 1);
      to.push(i);
      if (rand() < 0.4) {
        from.push(Math.max(0, i - 2 - Math.floor(rand() * 30)));
        to.push(i);
      }
    }
    const t0 = performance.now();
    const r = layeredLayout({ widths: Float64Array.from({ length: n }, () => 60 + rand() * 120), heights: new Float64Array(n).fill(40), from, to });
    const ms = performance.now() - t0;
    assert.equal(r.x.length, n);
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });

  it('computes the default scene of a 100k-node transformer in under 2 s', function () {
    this.timeout(120000);
    const p = transformerPayload(100000);
    const t0 = performance.now();
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h, 300), new LayoutCache());
    const ms = performance.now() - t0;
    assert.ok(s.itemCount > 0);
    assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  });
});
