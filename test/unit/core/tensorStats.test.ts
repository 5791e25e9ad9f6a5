import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { readModelBytes, readModelFile } from '../../../src/core/onnx/reader';
import { HISTOGRAM_BINS, MAX_PAGE_ELEMENTS, numericStats, readStoredValues, tensorPage, tensorStats } from '../../../src/core/tensorStats';
import { attr, graph, model, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';

/** A model whose only purpose is to hold the given initializers and Constant nodes. */
function holder(initializers: ReturnType<typeof tensor>[], constants: ReturnType<typeof node>[] = []) {
  const bytes = model({ graph: graph({
    inputs: [tensorValue('x', 'float32', [1])],
    initializers,
    nodes: [...constants, node('Identity', ['x'], ['y'])],
    outputs: [tensorValue('y', 'float32', [1])],
  }) });
  const m = readModelBytes(bytes, 'holder.onnx');
  return { m, g: analyzeModel(m, 'holder.onnx').graph };
}

describe('tensor statistics', () => {
  it('computes min, max, mean, population std, zeros and a 64-bin histogram like numpy', async () => {
    const { m, g } = holder([tensor('w', 'float32', [2, 3], [0, 1, 2, 3, 4, 0])]);
    const s = await tensorStats(m, g, 'w');
    assert.equal(s.elemType, 'float32');
    assert.deepEqual(s.shape, [2, 3]);
    assert.equal(s.elements, 6);
    assert.equal(s.bytes, 24);
    assert.equal(s.storage, 'raw');
    const n = s.numeric!;
    assert.equal(n.min, 0);
    assert.equal(n.max, 4);
    assert.equal(n.mean, 10 / 6);
    // numpy.std([0, 1, 2, 3, 4, 0]) = sqrt(mean of squared deviations)
    const mean = 10 / 6;
    const expectedStd = Math.sqrt([0, 1, 2, 3, 4, 0].reduce((a, x) => a + (x - mean) ** 2, 0) / 6);
    assert.ok(Math.abs(n.std - expectedStd) < 1e-12);
    assert.equal(n.zeros, 2 / 6);
    assert.equal(n.histogram.counts.length, HISTOGRAM_BINS);
    assert.equal(n.histogram.edges.length, HISTOGRAM_BINS + 1);
    assert.equal(n.histogram.edges[0], 0);
    assert.equal(n.histogram.edges[HISTOGRAM_BINS], 4);
    // Width 4/64: 0 → bin 0 (twice), 1 → 16, 2 → 32, 3 → 48, the maximum 4 → the last bin.
    assert.equal(n.histogram.counts[0], 2);
    assert.equal(n.histogram.counts[16], 1);
    assert.equal(n.histogram.counts[32], 1);
    assert.equal(n.histogram.counts[48], 1);
    assert.equal(n.histogram.counts[63], 1);
    assert.equal(n.histogram.counts.reduce((a, b) => a + b, 0), 6);
  });

  it('reads float16 values widened to numbers', async () => {
    const { m, g } = holder([tensor('h', 'float16', [4], [0.5, -1.5, 2, 0])]);
    const s = await tensorStats(m, g, 'h');
    assert.equal(s.elemType, 'float16');
    assert.equal(s.bytes, 8);
    assert.equal(s.numeric!.min, -1.5);
    assert.equal(s.numeric!.max, 2);
    assert.equal(s.numeric!.mean, 0.25);
    assert.equal(s.numeric!.zeros, 0.25);
  });

  it('turns int64 elements (BigInt64Array) into numbers, from raw and typed storage', async () => {
    for (const storage of ['raw', 'typed'] as const) {
      const { m, g } = holder([tensor('ids', 'int64', [3], [-7n, 0n, 10n], { storage })]);
      const s = await tensorStats(m, g, 'ids');
      assert.equal(s.storage, storage === 'raw' ? 'raw' : 'typed fields');
      assert.equal(s.numeric!.min, -7);
      assert.equal(s.numeric!.max, 10);
      assert.equal(s.numeric!.mean, 1);
      const page = new Float64Array(tensorPage(readStoredValues(m, g, 'ids'), 1, 5).buffer);
      assert.deepEqual([...page], [0, 10]);
    }
  });

  it('reads int8 values', async () => {
    const { m, g } = holder([tensor('q', 'int8', [4], [-128, 127, 0, 1])]);
    const n = (await tensorStats(m, g, 'q')).numeric!;
    assert.deepEqual([n.min, n.max, n.mean, n.zeros], [-128, 127, 0, 0.25]);
  });

  it('puts an all-zero tensor in one middle bin with std 0 and sparsity 1', async () => {
    const { m, g } = holder([tensor('z', 'float32', [10], new Array(10).fill(0))]);
    const n = (await tensorStats(m, g, 'z')).numeric!;
    assert.deepEqual([n.min, n.max, n.mean, n.std, n.zeros], [0, 0, 0, 0, 1]);
    assert.equal(n.histogram.counts[HISTOGRAM_BINS / 2], 10);
    assert.equal(n.histogram.edges[0], -0.5);
    assert.equal(n.histogram.edges[HISTOGRAM_BINS], 0.5);
  });

  it('counts NaN and ±Inf and leaves them out of min/max/mean/std and the histogram', async () => {
    const n = await numericStats(Float32Array.of(1, NaN, Infinity, 3, -Infinity, NaN));
    assert.equal(n.nan, 2);
    assert.equal(n.inf, 2);
    assert.deepEqual([n.min, n.max, n.mean, n.std], [1, 3, 2, 1]);
    assert.equal(n.histogram.counts.reduce((a, b) => a + b, 0), 2);
    assert.equal(n.zeros, 0);
  });

  it('gives NaN statistics and an empty histogram when no element is finite', async () => {
    const n = await numericStats(Float64Array.of(NaN, Infinity));
    assert.ok(Number.isNaN(n.mean) && Number.isNaN(n.min));
    assert.deepEqual(n.histogram, { edges: [], counts: [] });
  });

  it('reads Constant-node values found by their output name, including value_ints', async () => {
    const { m, g } = holder([], [
      node('Constant', [], ['k'], { attrs: { value: tensor('kt', 'float32', [2], [1.5, 2.5]) } }),
      node('Constant', [], ['axes'], { attrs: { value_ints: attr.ints([0, 2, 4]) } }),
    ]);
    const k = await tensorStats(m, g, 'k');
    assert.equal(k.storage, 'Constant node');
    assert.equal(k.numeric!.mean, 2);
    const axes = await tensorStats(m, g, 'axes');
    assert.equal(axes.elemType, 'int64');
    assert.deepEqual(axes.shape, [3]);
    assert.equal(axes.numeric!.max, 4);
  });

  it('gives strings no numeric statistics', async () => {
    const { m, g } = holder([tensor('labels', 'string', [2], ['cat', 'dog'])]);
    const s = await tensorStats(m, g, 'labels');
    assert.equal(s.numeric, null);
    assert.equal(s.elements, 2);
  });

  it('says in one sentence when a value is not stored, or its external file is missing', async () => {
    const { m, g } = holder([]);
    await assert.rejects(tensorStats(m, g, 'x'), /'x' is not a stored tensor/);
    const w = writeModel({ graph: graph({
      initializers: [tensor('big', 'float32', [4], [1, 2, 3, 4], { storage: 'external' })],
      nodes: [node('Identity', ['big'], ['y'])], outputs: [tensorValue('y', 'float32', [4])],
    }) });
    try {
      const ok = readModelFile(w.modelPath);
      const okStats = await tensorStats(ok, analyzeModel(ok, w.modelPath).graph, 'big');
      assert.equal(okStats.storage, 'external: weights.bin');
      assert.equal(okStats.numeric!.mean, 2.5);
      ok.close();
      fs.rmSync(path.join(w.dir, 'weights.bin'));
      const gone = readModelFile(w.modelPath);
      await assert.rejects(tensorStats(gone, analyzeModel(gone, w.modelPath).graph, 'big'), (e: Error) => {
        assert.match(e.message, /weights\.bin/);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
      gone.close();
    } finally {
      w.cleanup();
    }
  });

  it('pages elements as float64, capped at 65536 per page and at the end', () => {
    const count = MAX_PAGE_ELEMENTS + 10;
    const { m, g } = holder([tensor('w', 'float32', [count], Array.from({ length: count }, (_, i) => i))]);
    const stored = readStoredValues(m, g, 'w');
    const first = tensorPage(stored, 0, 1_000_000);
    assert.equal(first.buffer.byteLength, MAX_PAGE_ELEMENTS * 8);
    assert.equal(first.totalBytes, count * 8);
    const last = tensorPage(stored, MAX_PAGE_ELEMENTS, MAX_PAGE_ELEMENTS);
    assert.equal(last.offset, MAX_PAGE_ELEMENTS * 8);
    assert.deepEqual([...new Float64Array(last.buffer)], Array.from({ length: 10 }, (_, i) => MAX_PAGE_ELEMENTS + i));
    assert.throws(() => tensorPage(stored, count + 1, 1), /outside 'w'/);
  });

  it('summarises 16M float32 elements exactly while yielding to the event loop', async function () {
    this.timeout(60_000);
    const n = 16 * 1024 * 1024;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (i % 1000) - 500;
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const t0 = performance.now();
    const s = await numericStats(values);
    const ms = performance.now() - t0;
    clearInterval(ticker);
    assert.equal(s.min, -500);
    assert.equal(s.max, 499);
    assert.ok(ticks > 0, 'timers ran while the statistics were computed');
    console.log(`      16M float32 elements: ${ms.toFixed(0)} ms, ${ticks} timer ticks in between`);
  });
});
