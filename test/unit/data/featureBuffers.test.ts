/**
 * Reused feature arrays (core/data/featureBuffers.ts): what the evaluation's dataset worker gets
 * back from the main thread is filled again, never read as it was. Each test first fills the spare
 * buffers with a marker value, so any element a reader leaves unwritten shows up.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openDataset } from '../../../src/core/data/dataset';
import { dropSpareBuffers, giveBack, spareBufferBytes, takeFloat32 } from '../../../src/core/data/featureBuffers';
import { batchInputs, inputPlan } from '../../../src/core/data/batchInputs';
import { encodeIdx } from '../../../src/core/data/idx';
import { autoMapping } from '../../../src/core/data/mapping';
import type { DatasetReader } from '../../../src/core/data/types';
import { DIGITS_CSV } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';

const MARK = -12345;

/** Spare buffers of `bytes` each, full of MARK. */
function dirtySpares(bytes: number, count: number): void {
  for (let i = 0; i < count; i++) giveBack(new Float32Array(bytes / 4).fill(MARK).buffer);
}

/** Every batch's features, as arrays, read with the spares handed back after each batch (as the worker does). */
async function readRecycling(reader: DatasetReader, batchSize: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of reader.batches(batchSize)) {
    out.push(Array.from(b.features));
    giveBack(b.features.buffer as ArrayBuffer);
  }
  return out;
}

describe('data/featureBuffers', () => {
  const tmp = makeTempDir('feature-buffers');
  afterEach(() => dropSpareBuffers());
  after(() => tmp.cleanup());

  it('hands out a new zeroed array when none is spare, and a given-back buffer of the same size after', () => {
    const a = takeFloat32(8);
    assert.deepEqual(Array.from(a), new Array(8).fill(0));
    giveBack(a.buffer as ArrayBuffer);
    assert.equal(spareBufferBytes(), 32);
    assert.equal(takeFloat32(4).buffer === a.buffer, false, 'another size is a new array');
    const b = takeFloat32(8);
    assert.equal(b.buffer, a.buffer);
    assert.equal(spareBufferBytes(), 0);
  });

  it('keeps at most 16 MB, and nothing after dropSpareBuffers', () => {
    for (let i = 0; i < 40; i++) giveBack(new ArrayBuffer(1 << 20));
    assert.equal(spareBufferBytes(), 16 << 20);
    dropSpareBuffers();
    assert.equal(spareBufferBytes(), 0);
  });

  it('CSV rows fill every feature of a reused batch array', async () => {
    const fresh = await readRecycling(await openDataset(DIGITS_CSV), 64);
    dropSpareBuffers();
    dirtySpares(64 * 64 * 4, 4);
    const reused = await readRecycling(await openDataset(DIGITS_CSV), 64);
    assert.deepEqual(reused, fresh);
    assert.ok(reused.flat().every((v) => v !== MARK));
  });

  it('IDX samples fill every element of a reused batch array', async () => {
    const images = Uint8Array.from({ length: 10 * 4 * 4 }, (_, i) => (i * 7) % 256);
    const file = tmp.file('images-idx3-ubyte');
    fs.writeFileSync(file, encodeIdx({ dtype: 'uint8', shape: [10, 4, 4], data: images }));
    fs.writeFileSync(tmp.file('labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [10], data: Uint8Array.from({ length: 10 }, (_, i) => i % 3) }));
    dirtySpares(4 * 16 * 4, 3);
    const reused = await readRecycling(await openDataset(file), 4);
    assert.deepEqual(reused.flat(), Array.from(images));
  });

  it('pads a short batch for a fixed batch size with zeros, whatever the reused array held', () => {
    const columns = [{ name: 'a', shape: [], size: 1 }, { name: 'b', shape: [], size: 1 }];
    // A fixed batch of 4: two samples are copied into an array of four, the rest padding.
    const plan = inputPlan(autoMapping(columns, [{ name: 'x', dims: [4, 2], elemType: 'float32' }]), columns);
    dirtySpares(4 * 2 * 4, 2);
    const feeds = batchInputs({ size: 2, rowIndex: 0, features: Float32Array.from([1, 2, 3, 4]), bytesRead: 0 }, plan);
    assert.deepEqual(Array.from(feeds.inputs.get('x')!.data as Float32Array), [1, 2, 3, 4, 0, 0, 0, 0]);
  });
});
