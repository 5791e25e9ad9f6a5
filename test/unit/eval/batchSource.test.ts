/**
 * Which thread reads an evaluation's data (src/runtime/child/eval/batchSource.ts): uncompressed
 * .npy and IDX files on the calling thread, everything else in the dataset worker (text files
 * through the decoded-batch cache: decodedCache.test.ts); both hand out the same batches.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelInputs } from '../../../src/core/data/mapping';
import { encodeNpy } from '../../../src/core/data/npy';
import { openBatches, type BatchSource } from '../../../src/runtime/child/eval/batchSource';
import { BatchStream } from '../../../src/runtime/child/eval/batchStream';
import { Recording } from '../../../src/runtime/child/eval/decodedCache';
import { InlineBatches } from '../../../src/runtime/child/eval/inlineBatches';
import type { DatasetWorkerInit, FeedBatch } from '../../../src/runtime/child/eval/workerMessages';
import { writeIdxPair } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';
import { writeCsv } from './models';

const INPUTS = modelInputs([{ name: 'x', elemType: 'float32', shape: ['N', 16] }]);
const init = (file: string): DatasetWorkerInit => ({ file, open: {}, inputs: INPUTS, batchSize: 4, credits: 4, readAheadBytes: 1 << 20 });

async function drain(source: BatchSource): Promise<FeedBatch[]> {
  const out: FeedBatch[] = [];
  try {
    await source.meta;
    for (let b = await source.next(); b; b = await source.next()) {
      out.push({ ...b, inputs: b.inputs.map((i) => ({ ...i, data: i.data.slice() })), labels: b.labels?.slice() ?? null });
      source.recycle(b);
    }
    return out;
  } finally {
    await source.close();
  }
}

describe('eval/batchSource: where the data is read', function () {
  this.timeout(60_000);
  const tmp = makeTempDir('batch-source');
  after(() => tmp.cleanup());
  const pixels = Uint8Array.from({ length: 10 * 16 }, (_, i) => (i * 7) % 256);
  const labels = Uint8Array.from({ length: 10 }, (_, i) => i % 3);
  const raw = writeIdxPair(tmp.file('raw'), 'train', pixels, labels, 4, 4, false).images;
  const gz = writeIdxPair(tmp.file('gz'), 'train', pixels, labels, 4, 4, true).images;
  const npy = tmp.file('x.npy');
  fs.writeFileSync(npy, encodeNpy({ dtype: 'uint8', shape: [10, 16], data: pixels }));
  fs.writeFileSync(tmp.file('y.npy'), encodeNpy({ dtype: 'uint8', shape: [10], data: labels }));
  const csv = writeCsv(tmp.file('same.csv'), [...Array.from({ length: 16 }, (_, i) => `f${i}`), 'label'], Array.from({ length: 10 }, (_, r) => [...pixels.subarray(r * 16, r * 16 + 16)].concat(labels[r])));

  it('reads uncompressed .npy and IDX files on this thread, gzipped IDX and text in the worker (text kept for the next pass)', async () => {
    const kinds = await Promise.all([raw, npy, gz, csv].map(async (file) => {
      const source = await openBatches(init(file));
      await source.close();
      return source instanceof InlineBatches ? 'inline' : source instanceof BatchStream ? 'worker' : source instanceof Recording ? 'worker, kept' : 'other';
    }));
    assert.deepEqual(kinds, ['inline', 'inline', 'worker', 'worker, kept']);
  });

  it('hands out the same batches either way', async () => {
    const [inline, worker, fromCsv] = await Promise.all([drain(await openBatches(init(raw))), drain(await openBatches(init(gz))), drain(await openBatches(init(csv)))]);
    assert.equal(inline.length, 3);
    for (const other of [worker, fromCsv]) {
      assert.deepEqual(other.map((b) => [b.rowIndex, b.count, [...b.inputs[0].data], [...b.labels!]]), inline.map((b) => [b.rowIndex, b.count, [...b.inputs[0].data], [...b.labels!]]));
    }
  });

  it('names the file when it cannot be read', async () => {
    await assert.rejects(openBatches(init(path.join(tmp.dir, 'missing.idx'))), { message: 'missing.idx: cannot be read: no such file.' });
  });
});
