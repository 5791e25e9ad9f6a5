import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeScene } from '../../../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../src/core/graphLayout/hierarchy';
import { prepareScene } from '../../../webview/graph/render/prepareScene';
import { firstPair } from '../../../src/core/graphLayout/scene';
import { LIGHT_MODELS, payloadFromFile } from './payloadFromModel';

describe('what the renderer reads from a scene', () => {
  it('bounds every edge by exactly the points computeScene routed for it', () => {
    const payload = payloadFromFile(path.join(LIGHT_MODELS, 'light_densenet121.onnx'));
    const h = buildHierarchy(payload);
    const scene = computeScene(payload, h, defaultExpanded(h, 300));
    const { edgeBounds } = prepareScene(scene, payload, new Uint8Array(payload.ops.length));
    assert.ok(scene.edgeCount > 100);
    for (let e = 0; e < scene.edgeCount; e++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let k = scene.pointStart[e]; k < scene.pointStart[e + 1]; k += 2) {
        xs.push(scene.points[k]);
        ys.push(scene.points[k + 1]);
      }
      assert.equal(firstPair(scene, e + 1) - firstPair(scene, e), xs.length, `edge ${e}: pair count`);
      const got = Array.from(edgeBounds.subarray(e * 4, e * 4 + 4));
      const want = Array.from(Float32Array.from([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]));
      assert.deepEqual(got, want, `edge ${e}`);
    }
  });
});
