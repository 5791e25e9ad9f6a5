import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffModelFiles, diffModels } from '../../../src/core/diff/diffModels';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { OnnxFormatError } from '../../../src/core/errors';
import { SAMPLE_MODEL, oneWeightChanged, renamedWithTwoInsertions, withOpset, writeExternal } from '../../fixtures/diffPairs';
import { graph, makeTempDir, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';

const VERSION = '0.0.0-test';
const sample = () => fs.readFileSync(SAMPLE_MODEL);

function diffBytes(a: Uint8Array, b: Uint8Array) {
  const [ma, mb] = [readModelBytes(a, 'a.onnx'), readModelBytes(b, 'b.onnx')];
  try {
    return diffModels(analyzeModel(ma, 'a.onnx'), analyzeModel(mb, 'b.onnx'), { version: VERSION });
  } finally {
    ma.close();
    mb.close();
  }
}

describe('model diff', () => {
  it('finds no change between the sample and itself', () => {
    const { report } = diffBytes(sample(), sample());
    assert.equal(report.schema, 'onnx-lens.diff/1');
    assert.equal(report.nodes.matched, 9);
    assert.equal(report.nodes.matchedByName, 9);
    assert.deepEqual([report.nodes.added, report.nodes.removed, report.nodes.changed, report.nodes.renamed], [[], [], [], []]);
    assert.deepEqual([report.weights.identical, report.weights.changed, report.weights.maxAbsDiff], [8, 0, 0]);
    assert.equal(report.signature.same, true);
    assert.equal(report.similarity, 1);
    assert.equal(report.totals.parameters.a, report.totals.parameters.b);
    assert.match(report.headline, /^No change: 9 nodes and 8 weights are the same\.$/);
  });

  it('matches a re-export that renamed every node, value and weight and inserted two nodes: exactly 2 added, 0 removed', () => {
    const { bytes, inserted } = renamedWithTwoInsertions(['Identity', 'Dropout']);
    const { report } = diffBytes(sample(), bytes);
    assert.deepEqual([...report.nodes.added].sort(), [...inserted].sort());
    assert.deepEqual(report.nodes.removed, []);
    assert.equal(report.nodes.matched, 9);
    assert.equal(report.nodes.matchedByName, 0);
    assert.equal(report.nodes.renamed.length, 9);
    assert.equal(report.nodes.renamed.find((r) => r.a === '/fc3/Gemm')?.b, 'node_106');
    // Renamed weights are the same weights, found through the nodes that read them.
    assert.deepEqual([report.weights.identical, report.weights.changed, report.weights.added, report.weights.removed], [8, 0, [], []]);
    // The two nodes after the insertions now read from them, and say so.
    assert.deepEqual(report.nodes.changed.map((c) => c.a).sort(), ['/fc2/Gemm', '/fc3/Gemm']);
    assert.ok(report.nodes.changed.every((c) => c.changes.every((x) => x.kind === 'input')));
  });

  it('still counts exactly 2 added when an inserted Relu follows a Relu (either of the two may be the new one)', () => {
    const { bytes } = renamedWithTwoInsertions(['Identity', 'Relu']);
    const { report } = diffBytes(sample(), bytes);
    assert.equal(report.nodes.added.length, 2);
    assert.ok(report.nodes.added.includes('inserted_Identity_0'));
    assert.deepEqual(report.nodes.removed, []);
  });

  it('reports one changed weight and nothing else, with its max abs diff, relative L2 and cosine', () => {
    const { report } = diffBytes(sample(), oneWeightChanged(0.5));
    assert.deepEqual([report.nodes.added, report.nodes.removed], [[], []]);
    assert.deepEqual([report.weights.identical, report.weights.changed], [7, 1]);
    const w = report.weights.list[0];
    assert.equal(w.a, 'fc2.weight');
    assert.ok(Math.abs(w.maxAbsDiff! - 0.5) < 1e-6, String(w.maxAbsDiff));
    assert.ok(w.relativeL2! > 0 && w.relativeL2! < 0.2);
    assert.ok(w.cosine! > 0.98 && w.cosine! < 1);
    assert.equal(report.nodes.changed.length, 1);
    assert.equal(report.nodes.changed[0].a, '/fc2/Gemm');
    assert.deepEqual(report.nodes.changed[0].changes.map((c) => [c.kind, c.name, c.before, c.after]), [['weight', 'fc2.weight', 'float32[32, 64]', 'float32[32, 64]']]);
    assert.equal(report.signature.same, true);
    assert.match(report.headline, /1 of 8 weights changed \(max abs diff 0\.5\)/);
  });

  it('reports an opset upgrade in the signature and no node change', () => {
    const { report } = diffBytes(withOpset(13), sample());
    assert.deepEqual(report.signature.opsets.changed, [{ name: '', before: { domain: '', version: 13 }, after: { domain: '', version: 17 } }]);
    assert.equal(report.signature.same, false);
    assert.deepEqual([report.nodes.changed, report.weights.changed], [[], 0]);
    assert.match(report.headline, /signature: opset 13 → 17/);
  });

  it('compares two external-data models window by window, and says why a weight it may not read is not compared', () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const a = writeExternal(dir, 'a.onnx');
      const b = writeExternal(dir, 'b.onnx', { 'fc1.bias': (v) => v.fill(0), 'fc3.weight': (v) => (v[3] = -v[3]) });
      const { report } = diffModelFiles(a, b, { version: VERSION });
      assert.deepEqual([report.weights.identical, report.weights.changed], [6, 2]);
      const names = report.weights.list.map((w) => w.a).sort();
      assert.deepEqual(names, ['fc1.bias', 'fc3.weight']);
      assert.equal(report.weights.list.find((w) => w.a === 'fc1.bias')!.relativeL2, 1);
      // The same data file read through a model that claims it lives outside its folder.
      const escaped = path.join(dir, 'sub');
      fs.mkdirSync(escaped);
      const bytes = fs.readFileSync(b).toString('latin1').replaceAll('b.onnx.data', '../b.onnx.d');
      fs.writeFileSync(path.join(escaped, 'c.onnx'), Buffer.from(bytes, 'latin1'));
      const refused = diffModelFiles(a, path.join(escaped, 'c.onnx'), { version: VERSION }).report;
      assert.equal(refused.weights.identical, 0);
      assert.ok(refused.weights.list.every((w) => w.note && /outside/.test(w.note)), JSON.stringify(refused.weights.list[0]));
    } finally {
      cleanup();
    }
  });

  it('says in one sentence how little matched when the models are unrelated', () => {
    const conv = model({ graph: graph({
      inputs: [tensorValue('image', 'float32', [1, 3, 8, 8])],
      initializers: [tensor('k', 'float32', [4, 3, 3, 3], new Array(108).fill(0.1))],
      nodes: [
        node('Conv', ['image', 'k'], ['c'], { name: 'conv' }), node('Sigmoid', ['c'], ['s'], { name: 'act' }),
        node('GlobalAveragePool', ['s'], ['p'], { name: 'pool' }), node('Flatten', ['p'], ['f'], { name: 'flat' }),
      ],
      outputs: [tensorValue('f', 'float32', [1, 4])],
    }) });
    const { report } = diffBytes(sample(), conv);
    assert.ok(report.similarity < 0.5);
    assert.match(report.headline, /^Only \d+ of 9 nodes in a and of 4 in b matched \(\d+% similar\): these look like different models/);
    assert.equal(report.signature.inputs.removed[0].name, 'input');
    assert.equal(report.signature.inputs.added[0].name, 'image');
  });

  it('names the file when one side cannot be read', () => {
    const { dir, cleanup } = makeTempDir();
    try {
      const broken = path.join(dir, 'broken.onnx');
      fs.writeFileSync(broken, Buffer.from('PK\u0003\u0004 not a model'));
      assert.throws(() => diffModelFiles(SAMPLE_MODEL, broken, { version: VERSION }), (e: Error) => e instanceof OnnxFormatError && e.message.includes('broken.onnx'));
      assert.throws(() => diffModelFiles(path.join(dir, 'missing.onnx'), SAMPLE_MODEL, { version: VERSION }), /missing\.onnx: cannot be read: no such file/);
    } finally {
      cleanup();
    }
  });
});
