import * as assert from 'node:assert/strict';
import { computeScene } from '../../../webview/graph/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../webview/graph/hierarchy';
import { ItemKind } from '../../../webview/graph/scene';
import { buildSceneIndex, edgesInRect, hitTest, hitTestEdge, itemsInRect } from '../../../webview/graph/sceneIndex';
import { transformerPayload } from './models';

function scene() {
  const p = transformerPayload(2000);
  const h = buildHierarchy(p);
  return computeScene(p, h, defaultExpanded(h, 300));
}

describe('graph view: scene index', () => {
  it('finds exactly the items a rectangle meets (same as a linear scan)', () => {
    const s = scene();
    const index = buildSceneIndex(s);
    for (const [x0, y0, x1, y1] of [[0, 0, 300, 300], [100, 1000, 700, 2500], [-50, -50, s.width + 50, s.height + 50]]) {
      const expected = Array.from({ length: s.itemCount }, (_, i) => i).filter((i) => s.x[i] <= x1 && s.x[i] + s.w[i] >= x0 && s.y[i] <= y1 && s.y[i] + s.h[i] >= y0);
      assert.deepEqual(itemsInRect(index, x0, y0, x1, y1), expected);
    }
  });

  it('hits the node, not the frame around it, and the frame in its padding', () => {
    const s = scene();
    const index = buildSceneIndex(s);
    const node = Array.from({ length: s.itemCount }, (_, i) => i).find((i) => s.kind[i] === ItemKind.Node && s.depth[i] > 0)!;
    assert.equal(hitTest(index, s.x[node] + s.w[node] / 2, s.y[node] + s.h[node] / 2), node);
    const frame = Array.from({ length: s.itemCount }, (_, i) => i).find((i) => s.kind[i] === ItemKind.Frame)!;
    assert.equal(hitTest(index, s.x[frame] + 2, s.y[frame] + 2), frame);
    assert.equal(hitTest(index, -100, -100), -1);
  });

  it('hits an edge near the middle of one of its segments', () => {
    const s = scene();
    const index = buildSceneIndex(s);
    for (let e = 0; e < s.edgeCount; e += 17) {
      const k = s.pointStart[e];
      const mx = (s.points[k] + s.points[k + 2]) / 2;
      const my = (s.points[k + 1] + s.points[k + 3]) / 2;
      const hit = hitTestEdge(index, mx + 1, my, 4);
      assert.ok(hit >= 0, `edge ${e}`);
      assert.ok(edgesInRect(index, mx - 1, my - 1, mx + 1, my + 1).includes(e));
    }
  });
});
