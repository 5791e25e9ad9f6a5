/**
 * Per-scene data the renderer derives once when a scene arrives (DOM-free, so Node tests cover it):
 * each edge's bounding box, for culling, and each item's colour category.
 */
import type { RenderLabels } from '../../../src/core/graphLayout/renderLabels';
import { ItemKind, type Scene, firstPair } from '../../../src/core/graphLayout/scene';

/** Per-scene data derived once: edge bounds and the category of every item. */
export interface PreparedScene {
  scene: Scene;
  edgeBounds: Float32Array;
  category: Uint8Array;
}

export function prepareScene(scene: Scene, payload: Pick<RenderLabels, 'nodeOp'>, categoryOfOp: Uint8Array): PreparedScene {
  const category = new Uint8Array(scene.itemCount).fill(6);
  for (let i = 0; i < scene.itemCount; i++) {
    if (scene.kind[i] === ItemKind.Node) category[i] = categoryOfOp[payload.nodeOp[scene.ref[i]]];
  }
  return { scene, edgeBounds: edgeBoundsOf(scene), category };
}

/** Each edge's bounding box (x0, y0, x1, y1 per edge), from the points computeScene routed for it. */
export function edgeBoundsOf(scene: Scene): Float32Array {
  const edgeBounds = new Float32Array(scene.edgeCount * 4);
  for (let e = 0; e < scene.edgeCount; e++) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let p = firstPair(scene, e); p < firstPair(scene, e + 1); p++) {
      const x = scene.points[2 * p], y = scene.points[2 * p + 1];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    edgeBounds.set([x0, y0, x1, y1], e * 4);
  }
  return edgeBounds;
}

