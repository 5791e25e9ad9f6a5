/**
 * Cross-check against the official implementation: onnx.shape_inference.infer_shapes
 * (Debian python3-onnx) on the public "light" test models. Every value onnx gives a shape
 * must get the same element type and dims from us; dims onnx invents names for
 * ('unk__N') only need to be non-fixed on our side or equal.
 */
import { strict as assert } from 'node:assert';
import { buildGraph } from '../../../src/core/graph/build';
import { elemTypeName } from '../../../src/core/onnx/elemTypes';
import { readModelFile } from '../../../src/core/onnx/reader';
import type { Dim } from '../../../src/shared/tensorTypes';
import { inferShapes } from '../../../src/core/shapes';
import { oracle, requireOracle } from '../../fixtures/oracle';
import { LIGHT_MODEL_FILES, lightModel } from '../../fixtures/prerequisites';


function dimMatches(ours: Dim, theirs: Dim): boolean {
  if (typeof theirs === 'string' && theirs.startsWith('unk__')) return typeof ours !== 'number' || ours >= 0;
  return ours === theirs;
}

describe('shape inference cross-check with onnx.shape_inference (onnx-light models)', function () {
  before(() => requireOracle());

  for (const file of LIGHT_MODEL_FILES) {
    it(`agrees on every value onnx infers in ${file}`, async function () {
      this.timeout(120_000);
      const modelPath = lightModel(file);
      const reference = await oracle('shapes', modelPath);
      const model = readModelFile(modelPath);
      try {
        const graph = buildGraph(model.info.graph);
        const r = inferShapes(graph, model.info.opsets, (t, max) => model.tensorNumbers(t, max));
        const mismatches: string[] = [];
        let compared = 0;
        for (const v of reference.values) {
          if (v.shape === null) continue;
          compared++;
          const ours = r.types.get(v.name);
          const ourShape = ours?.shape ?? null;
          const sameType = ours !== undefined && elemTypeName(ours.elemType) === v.elemType;
          const sameShape = ourShape !== null && ourShape.length === v.shape.length && ourShape.every((d, i) => dimMatches(d, v.shape![i]));
          if (!sameType || !sameShape) {
            mismatches.push(`${v.name}: onnx ${v.elemType}[${v.shape.join(', ')}], ours ${ours ? `${elemTypeName(ours.elemType)}[${ourShape?.join(', ') ?? '?'}]` : 'nothing'}`);
          }
        }
        assert.ok(compared > 0, 'onnx inferred nothing to compare');
        assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${compared} values differ`);
        assert.equal(r.warnings.filter((w) => w.startsWith('no shape function')).length, 0, r.warnings.join('\n'));
        assert.ok(r.totalMacs !== null && r.totalMacs > 0, 'a CNN has countable MACs');
      } finally {
        model.close();
      }
    });
  }
});

describe('MAC totals on well-known architectures', () => {
  // Published conv + fully-connected multiply-accumulates at 224×224 (e.g. as reported by
  // thop / ptflops): ResNet-50 4.09 G, VGG-19 19.63 G.
  const cases: [string, number][] = [['light_resnet50.onnx', 4089184256], ['light_vgg19.onnx', 19632062464]];
  for (const [file, macs] of cases) {
    it(`counts ${macs.toLocaleString('en')} MACs for ${file}`, function () {
      const modelPath = lightModel(file);
      const model = readModelFile(modelPath);
      try {
        const r = inferShapes(buildGraph(model.info.graph), model.info.opsets, (t, max) => model.tensorNumbers(t, max));
        assert.equal(r.totalMacs, macs);
        assert.equal(r.totalMacsBatch1, macs);
      } finally {
        model.close();
      }
    });
  }
});
