import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildGraph } from '../../../src/core/graph/build';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { computeScene } from '../../../src/core/graphLayout/computeScene';
import { decodeFirstView, encodeFirstView, firstViewScene, layOutFirstView } from '../../../src/core/graphLayout/firstView';
import { buildHierarchy, initialExpanded } from '../../../src/core/graphLayout/hierarchy';
import { ItemKind } from '../../../src/core/graphLayout/scene';
import { readModelBytes, readModelFile, type OnnxModel } from '../../../src/core/onnx/reader';
import type { GraphPayload } from '../../../src/shared/graphPayload';
import { decodeGraphPayload, encodeGraphPayload } from '../../../src/shared/payloadCodec';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';
import { LIGHT_MODELS } from './payloadFromModel';
import { syntheticPayload } from './synthetic';

/** The structure as the analysis process builds it on open: no shape inference yet. */
function structureOf(opened: OnnxModel, fileName: string): GraphPayload {
  try {
    return buildGraphPayload({ graph: buildGraph(opened.info.graph), inference: null }, fileName, `test:${fileName}`);
  } finally {
    opened.close();
  }
}

/** What the page's layout worker lays out for the same view: the posted bytes decoded, names read lazily. */
function workerScene(p: GraphPayload) {
  const posted = decodeGraphPayload(encodeGraphPayload(p), { lazyNames: true });
  const h = buildHierarchy(posted);
  return computeScene(posted, h, initialExpanded(h, null));
}

describe("a first open's first view, laid out by the analysis process (firstView.ts)", () => {
  const cases: [string, () => GraphPayload][] = [
    ['DenseNet-121', () => structureOf(readModelFile(path.join(LIGHT_MODELS, 'light_densenet121.onnx')), 'light_densenet121.onnx')],
    ['a generated 20k-node transformer (collapsed groups)', () => structureOf(readModelBytes(model(transformerLike({ nodes: 20000, shareWeights: true })), 't.onnx'), 't.onnx')],
  ];
  for (const [name, load] of cases) {
    it(`${name}: through its text form, is the scene the page's worker lays out, refs and all`, function () {
      this.timeout(120_000);
      const payload = load();
      const view = decodeFirstView(encodeFirstView(layOutFirstView(payload)));
      assert.ok(view, 'the text form decodes');
      const h = buildHierarchy(payload);
      assert.deepEqual(view.expanded, [...initialExpanded(h, null)].sort((a, b) => a - b));
      assert.deepEqual(firstViewScene(view), workerScene(payload));
      assert.ok(view.labels.nodeNames.length <= payload.nodeCount && view.labels.groupNames.length <= payload.groupCount);
    });
  }

  it('carries only the labels its items and edges use, and marks the nodes with problems', () => {
    const p = syntheticPayload({
      nodes: [
        { op: 'Relu', name: 'a', inputs: ['x'], outputs: ['y'] },
        { op: 'Add', name: 'b', inputs: ['y', 'lost'], outputs: ['z'] },
      ],
      inputs: ['x'],
      outputs: ['z'],
    });
    const view = layOutFirstView(p);
    assert.deepEqual(view.labels.nodeNames.sort(), ['a', 'b']);
    const add = Array.from(view.scene.ref).findIndex((r, i) => view.scene.kind[i] === ItemKind.Node && view.labels.nodeNames[r] === 'b');
    assert.deepEqual(view.problemItems, [add], 'the node reading a missing value');
  });

  it('reads back damaged or foreign text as no first view', () => {
    const text = encodeFirstView(layOutFirstView(syntheticPayload({ nodes: [{ op: 'Relu', name: 'a', inputs: ['x'], outputs: ['y'] }], inputs: ['x'], outputs: ['y'] })));
    assert.ok(decodeFirstView(text));
    assert.equal(decodeFirstView(text.slice(0, -3)), null, 'cut short');
    assert.equal(decodeFirstView('{"scene":{}}'), null, 'not one');
    const raw = JSON.parse(text) as { refs: { nodes: number[] }; problemItems: number[] };
    assert.equal(decodeFirstView(JSON.stringify({ ...raw, refs: { ...raw.refs, nodes: [] } })), null, 'a ref without its table entry');
    assert.equal(decodeFirstView(JSON.stringify({ ...raw, problemItems: [99] })), null, 'a problem item that is not an item');
  });
});
