/**
 * Permutation importance has scikit-learn's definition: on the bundled sample (the digits MLP and
 * its test split) the baseline accuracy equals sklearn's and every feature's mean drop lies within
 * the repeats' spread of `sklearn.inspection.permutation_importance`'s (the shuffles themselves
 * differ: numpy's generator is not ours); a seed repeats the result exactly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { permutationImportance } from '../../../src/core/explain/permutation';
import { scorer } from '../../../src/core/explain/scoring';
import type { BlackBox } from '../../../src/core/explain/blackBox';
import { explainOracle } from './oracle';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const TEST_CSV = path.join(ROOT, 'media/sample/digits-test.csv');

function readCsv(): { x: Float32Array; y: Float64Array; n: number } {
  const rows = fs.readFileSync(TEST_CSV, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  return { x: Float32Array.from(rows.flatMap((r) => r.slice(0, 64))), y: Float64Array.from(rows, (r) => r[64]), n: rows.length };
}

describe('permutation importance', function () {
  this.timeout(120_000);
  let session: ort.InferenceSession;
  let box: BlackBox;
  before(async () => {
    session = await ort.InferenceSession.create(SAMPLE);
    box = {
      sampleSize: 64, outputs: 10, batchSize: 512,
      run: async (batch, count) => Float64Array.from((await session.run({ input: new ort.Tensor('float32', Float32Array.from(batch), [count, 64]) })).probabilities.data as Float32Array),
    };
  });
  after(() => session.release());

  it('agrees with sklearn.inspection.permutation_importance on the sample within the repeats\' spread', async () => {
    const { x, y, n } = readCsv();
    const groups = Array.from({ length: 64 }, (_, j) => ({ name: `f${j}`, columns: [j] }));
    const repeats = 10;
    const [ours, [sk]] = await Promise.all([
      permutationImportance(box, x, n, y, scorer('accuracy'), groups, { repeats, seed: 0 }),
      explainOracle<{ baseline: number; mean: number[]; std: number[] }>([{ kind: 'permutation', model: SAMPLE, data: TEST_CSV, label: 'label', scoring: 'accuracy', n_repeats: repeats, random_state: 0 }]),
    ]);
    assert.equal(ours.baseline, sk.baseline, 'the same accuracy on the unpermuted data');
    let compared = 0;
    ours.importances.forEach((imp, j) => {
      const spread = 2 * Math.max(imp.std, sk.std[j]) + 1 / n;
      assert.ok(Math.abs(imp.mean - sk.mean[j]) <= spread, `${imp.feature}: ${imp.mean} ± ${imp.std} vs scikit-learn ${sk.mean[j]} ± ${sk.std[j]}`);
      if (sk.mean[j] > 2 / n) compared++;
    });
    assert.ok(compared >= 5, `${compared} features matter on the sample (a drop of more than two samples)`);
    const top = (means: number[]) => means.map((m, j) => [m, j]).sort((a, b) => b[0] - a[0]).slice(0, 5).map((p) => p[1]);
    const shared = top(ours.importances.map((i) => i.mean)).filter((j) => top(sk.mean).includes(j));
    assert.ok(shared.length >= 3, `the five most important features overlap: ${shared.length}`);
  });

  it('permutes a group of columns together and repeats with a seed', async () => {
    const { x, y, n } = readCsv();
    const groups = [{ name: 'left half', columns: Array.from({ length: 32 }, (_, j) => (j >> 2) * 8 + (j & 3)) }, { name: 'corner', columns: [0] }];
    const run = () => permutationImportance(box, x, n, y, scorer('neg_log_loss'), groups, { repeats: 3, seed: 5 });
    const [a, b] = [await run(), await run()];
    assert.deepEqual(a, b);
    assert.ok(a.importances[0].mean > 0.5, `permuting half the image costs log loss: ${a.importances[0].mean}`);
    assert.equal(a.importances[1].mean, 0, 'pixel 0 is always 0 in the digits: permuting it changes nothing');
    assert.equal(a.evaluations, n * (1 + 2 * 3));
  });
});
