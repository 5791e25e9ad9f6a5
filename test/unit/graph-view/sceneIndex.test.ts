import * as assert from 'node:assert/strict';
import { computeScene, LayoutCache } from '../../../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../src/core/graphLayout/hierarchy';
import { ItemKind, type Scene } from '../../../src/core/graphLayout/scene';
import { buildSceneIndex, hitTest } from '../../../webview/graph/sceneIndex';
import { mulberry32 } from '../../fixtures/bigModels';
import { transformerPayload } from './models';
import { scanHitTest } from './scanHitTest';


/** The 20k-node transformer with every group open: ~24k boxes in nested frames. */
function expandedScene(): Scene {
  const p = transformerPayload(20000);
  const h = buildHierarchy(p);
  return computeScene(p, h, new Set(Array.from({ length: h.groupCount }, (_, g) => g)), new LayoutCache());
}

const indices = (s: Scene) => Array.from({ length: s.itemCount }, (_, i) => i);

describe('graph view: scene index (the canvas hit test)', function () {
  this.timeout(120_000);
  let big: Scene;
  before(() => (big = expandedScene()));

  it('hits every node of a large expanded graph at its centre, not the frames around it', () => {
    assert.ok(big.itemCount > 20000, `${big.itemCount} items`);
    const index = buildSceneIndex(big);
    const nodes = indices(big).filter((i) => big.kind[i] === ItemKind.Node);
    for (const i of nodes) assert.equal(hitTest(index, big.x[i] + big.w[i] / 2, big.y[i] + big.h[i] / 2), i, `node item ${i}`);
  });

  it('answers like a scan of every item anywhere on a large graph: boxes, frame padding, empty canvas', () => {
    const index = buildSceneIndex(big);
    const rand = mulberry32(5);
    for (let q = 0; q < 20000; q++) {
      // Margins around the scene too: off-grid points look in the edge cells.
      const x = -50 + rand() * (big.width + 100), y = -50 + rand() * (big.height + 100);
      assert.equal(hitTest(index, x, y), scanHitTest(big, x, y), `point ${x}, ${y}`);
    }
  });

  it('hits the innermost frame in its padding and nothing outside the graph', () => {
    const p = transformerPayload(2000);
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h, 300));
    const index = buildSceneIndex(s);
    const frames = indices(s).filter((i) => s.kind[i] === ItemKind.Frame);
    assert.ok(frames.length > 1);
    for (const f of frames) assert.equal(hitTest(index, s.x[f] + 2, s.y[f] + 2), scanHitTest(s, s.x[f] + 2, s.y[f] + 2));
    const deepest = frames.reduce((a, b) => (s.depth[b] > s.depth[a] ? b : a));
    assert.equal(s.kind[hitTest(index, s.x[deepest] + 2, s.y[deepest] + 2)], ItemKind.Frame);
    assert.equal(hitTest(index, -100, -100), -1);
  });
});
