import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { summarizeModelFile } from '../../../src/core/modelAnalysis';
import { openDataset } from '../../../src/core/data/dataset';
import { batchInputs, inputPlan } from '../../../src/core/data/batchInputs';
import { autoMapping, batchSizeFor, modelInputs } from '../../../src/core/data/mapping';
import type { DatasetReader } from '../../../src/core/data/types';
import { DIGITS_CSV, DIGITS_MODEL, syntheticCsv, writeText } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';

/** The evaluation loop the data layer is built for: dataset → mapping → feeds → ONNX Runtime. */
async function evaluate(session: ort.InferenceSession, reader: DatasetReader, inputs: ReturnType<typeof modelInputs>, batchSize: number) {
  const mapping = autoMapping(reader.columns, inputs, reader.labelColumn, reader.file);
  const plan = inputPlan(mapping, reader.columns);
  let correct = 0;
  let total = 0;
  for await (const batch of reader.batches(batchSizeFor(mapping, batchSize))) {
    const feeds = batchInputs(batch, plan);
    const x = feeds.inputs.get('input')!;
    const out = await session.run({ input: new ort.Tensor('float32', x.data as Float32Array, x.shape) });
    const predicted = out.label.data as BigInt64Array;
    for (let i = 0; i < feeds.count; i++) if (Number(predicted[i]) === batch.labels![i]) correct++;
    total += feeds.count;
  }
  return { accuracy: correct / total, total };
}

describe('data: evaluation with ONNX Runtime', () => {
  const tmp = makeTempDir('eval');
  after(() => tmp.cleanup());
  let session: ort.InferenceSession;
  let inputs: ReturnType<typeof modelInputs>;
  before(async () => {
    session = await ort.InferenceSession.create(DIGITS_MODEL);
    inputs = modelInputs((await summarizeModelFile(DIGITS_MODEL)).inputs);
  });
  after(async () => session?.release());

  it('classifies the digits test split through the data layer as well as the model was trained to', async () => {
    assert.deepEqual(inputs, [{ name: 'input', elemType: 'float32', dims: ['batch', 64] }]);
    const { accuracy, total } = await evaluate(session, await openDataset(DIGITS_CSV), inputs, 64);
    assert.equal(total, 450);
    assert.ok(accuracy > 0.95, `accuracy ${accuracy}`);
  });

  // How it keeps up with a bare inference loop is a ratio in bench/eval.bench.ts (target >= 90%).
  it('scores 10k samples read in batches exactly as a bare loop over the same tensors does', async function () {
    this.timeout(60_000);
    const file = writeText(tmp.file('10k.csv'), syntheticCsv(10_000, 64, 10));
    const reader = await openDataset(file, { numClasses: 10 });
    const mapping = autoMapping(reader.columns, inputs, reader.labelColumn);
    const plan = inputPlan(mapping, reader.columns);
    let correct = 0;
    for await (const b of reader.batches(64)) {
      // A copy: the reader may hand the next batch in the same buffer.
      const x = batchInputs(b, plan).inputs.get('input')!;
      const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data as Float32Array), x.shape) });
      const predicted = out.label.data as BigInt64Array;
      for (let i = 0; i < b.size; i++) if (Number(predicted[i]) === b.labels![i]) correct++;
    }
    const r = await evaluate(session, await openDataset(file, { numClasses: 10 }), inputs, 64);
    assert.equal(r.total, 10_000);
    assert.equal(r.accuracy, correct / 10_000);
  });
});
