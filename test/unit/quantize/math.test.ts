import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import {
  cosineSimilarity, dequantizeTensor, packQuantized, quantizeTensor, quantizeValue, quantRange, roundHalfEven,
  scaleZeroPoint, sqnrDb,
} from '../../../src/core/quantize/math';
import { createRng } from '../../../src/core/metrics/rng';
import { attr, graph, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';

/** Seeded uniform numbers in [lo, hi). */
function seeded(seed: number, n: number, lo: number, hi: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (rng.nextUint32() / 4294967296) * (hi - lo));
}

async function runOrt(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('quantization maths', () => {
  it('rounds halves to the even neighbour, as ONNX QuantizeLinear does', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, -7].map(roundHalfEven).map((x) => x + 0), [0, 2, 2, 4, 0, -2, -2, 2, 3, -7]);
  });

  it('uses full ranges for asymmetric types, drops the lowest value for symmetric signed ones, and one bit less with reduceRange', () => {
    assert.deepEqual(quantRange('uint8', false), { qmin: 0, qmax: 255 });
    assert.deepEqual(quantRange('int8', false), { qmin: -128, qmax: 127 });
    assert.deepEqual(quantRange('int8', true), { qmin: -127, qmax: 127 });
    assert.deepEqual(quantRange('int4', true), { qmin: -7, qmax: 7 });
    assert.deepEqual(quantRange('uint4', false), { qmin: 0, qmax: 15 });
    assert.deepEqual(quantRange('int8', true, true), { qmin: -63, qmax: 63 });
    assert.deepEqual(quantRange('uint8', false, true), { qmin: 0, qmax: 127 });
  });

  it('computes asymmetric uint8 scale and zero point by hand: [-1, 3] → 4/255 and 64', () => {
    const { scale, zeroPoint } = scaleZeroPoint(-1, 3, 'uint8', false);
    assert.equal(scale, Math.fround(4 / 255));
    assert.equal(zeroPoint, 64); // round(1 / (4/255)) = round(63.75)
  });

  it('widens a range to include zero, so zero stays exact', () => {
    const { scale, zeroPoint } = scaleZeroPoint(0.5, 2, 'uint8', false);
    assert.equal(scale, Math.fround(2 / 255));
    assert.equal(zeroPoint, 0);
    assert.equal(quantizeValue(0, scale, zeroPoint, 'uint8'), 0);
    const neg = scaleZeroPoint(-4, -1, 'int8', false);
    assert.equal(neg.zeroPoint, 127);
    assert.equal(quantizeValue(0, neg.scale, neg.zeroPoint, 'int8'), 127);
  });

  it('makes symmetric ranges from the larger magnitude with the zero point in the middle (0, or 128 for uint8)', () => {
    assert.deepEqual(scaleZeroPoint(-0.5, 63.5, 'int8', true), { scale: 0.5, zeroPoint: 0 });
    assert.deepEqual(scaleZeroPoint(-3.5, 1, 'int4', true), { scale: 0.5, zeroPoint: 0 });
    const u = scaleZeroPoint(-2, 1, 'uint8', true);
    assert.equal(u.zeroPoint, 128); // 127.5 rounds to even
    assert.equal(u.scale, Math.fround(4 / 255));
  });

  it('gives an all-zero range scale 1, so dequantized values stay finite', () => {
    assert.deepEqual(scaleZeroPoint(0, 0, 'int8', true), { scale: 1, zeroPoint: 0 });
    assert.deepEqual(scaleZeroPoint(0, 0, 'uint8', false), { scale: 1, zeroPoint: 0 });
  });

  it('quantizes ties to even and saturates to the type range', () => {
    const q = (x: number) => quantizeValue(x, 0.5, 0, 'int4');
    assert.deepEqual([0.25, 0.75, 1.25, -0.25, -0.75, 3.5, 10, -10].map(q).map((x) => x + 0), [0, 2, 2, 0, -2, 7, 7, -8]);
    assert.equal(quantizeValue(1000, 1, 10, 'uint8'), 255);
    assert.equal(quantizeValue(-1000, 1, 10, 'uint8'), 0);
    assert.equal(quantizeValue(NaN, 1, 10, 'uint8'), 10);
  });

  it('quantizes per channel along axis 0 (Conv weights) with one scale per output channel', () => {
    // Channel 0 spans ±63.5 (scale 0.5), channel 1 ±12.7 (scale 0.1).
    const w = Float32Array.from([63.5, -0.25, 0.75, 12.7, 0.05, -0.15]);
    const q = quantizeTensor(w, [2, 3], { type: 'int8', symmetric: true, granularity: { kind: 'axis', axis: 0 } });
    assert.deepEqual(q.scaleDims, [2]);
    assert.deepEqual(Array.from(q.scales), [0.5, Math.fround(12.7 / 127)]);
    assert.deepEqual(Array.from(q.zeroPoints), [0, 0]);
    assert.deepEqual(Array.from(q.values).slice(0, 3).map((x) => x + 0), [127, 0, 2]);
    assert.deepEqual(Array.from(q.values).slice(3), [127, 0, -2]);
  });

  it('quantizes per column along axis 1 (MatMul weights [K, N])', () => {
    const w = Float32Array.from([1, -10, 2, 5, -4, 0]); // [[1, -10], [2, 5], [-4, 0]]
    const q = quantizeTensor(w, [3, 2], { type: 'int8', symmetric: true, granularity: { kind: 'axis', axis: 1 } });
    assert.deepEqual(Array.from(q.scales), [Math.fround(4 / 127), Math.fround(10 / 127)]);
    assert.deepEqual(Array.from(q.values), [32, -127, 64, 64, -127, 0]);
  });

  it('quantizes blocks along the K axis with a scale per block and column, the last block shorter', () => {
    const w = Float32Array.from([1, 7, -2, 1, 3.5, -14, 0.5, 1]); // [4, 2], blocks of 3 rows: rows 0-2, row 3
    const q = quantizeTensor(w, [4, 2], { type: 'int4', symmetric: true, granularity: { kind: 'block', axis: 0, blockSize: 3 } });
    assert.deepEqual(q.scaleDims, [2, 2]);
    assert.deepEqual(Array.from(q.scales), [0.5, 2, Math.fround(0.5 / 7), Math.fround(1 / 7)]);
    assert.deepEqual(Array.from(q.values), [2, 4, -4, 0, 7, -7, 7, 7]);
    const back = dequantizeTensor(q);
    assert.deepEqual(Array.from(back).slice(0, 6), [1, 8, -2, 0, 3.5, -14]);
  });

  it('packs 4-bit values two per byte, low nibble first', () => {
    assert.deepEqual(Array.from(packQuantized(Int8Array.from([1, -1, -8, 7, 3]), 'int4')), [0xf1, 0x78, 0x03]);
    assert.deepEqual(Array.from(packQuantized(Uint8Array.from([15, 0, 2]), 'uint4')), [0x0f, 0x02]);
  });

  it('agrees with onnxruntime QuantizeLinear element for element (per tensor uint8 and per axis int8)', async () => {
    const x = seeded(1, 4 * 6, -3, 5);
    for (const [type, granularity] of [['uint8', { kind: 'tensor' }], ['int8', { kind: 'axis', axis: 1 }]] as const) {
      const q = quantizeTensor(x, [4, 6], { type, symmetric: type === 'int8', granularity });
      const scaleDims = granularity.kind === 'tensor' ? [] : [6];
      const bytes = model({
        opset: 13,
        graph: graph({
          inputs: [tensorValue('x', 'float32', [4, 6])],
          nodes: [node('QuantizeLinear', ['x', 's', 'z'], ['q'], { attrs: granularity.kind === 'axis' ? { axis: 1 } : {} })],
          initializers: [tensor('s', 'float32', scaleDims, Array.from(q.scales)), tensor('z', type, scaleDims, Array.from(q.zeroPoints))],
          outputs: [tensorValue('q', type, [4, 6])],
        }),
      });
      const out = await runOrt(bytes, { x: new ort.Tensor('float32', x, [4, 6]) });
      assert.deepEqual(Array.from(out.q.data as Int8Array), Array.from(q.values), `${type} ${granularity.kind}`);
    }
  });

  it('lays out blocked int4 scales the way onnxruntime DequantizeLinear (opset 21) reads them', async () => {
    const w = seeded(2, 64 * 3, -1, 1);
    const q = quantizeTensor(w, [64, 3], { type: 'int4', symmetric: true, granularity: { kind: 'block', axis: 0, blockSize: 32 } });
    const bytes = model({
      opset: 21, irVersion: 10,
      graph: graph({
        nodes: [node('DequantizeLinear', ['q', 's'], ['w'], { attrs: { axis: 0, block_size: attr.int(32) } })],
        initializers: [tensor('q', 'int4', [64, 3], Array.from(q.values)), tensor('s', 'float32', q.scaleDims, Array.from(q.scales))],
        outputs: [tensorValue('w', 'float32', [64, 3])],
      }),
    });
    const out = await runOrt(bytes, {});
    assert.deepEqual(Array.from(out.w.data as Float32Array), Array.from(dequantizeTensor(q)));
    assert.ok(sqnrDb(w, dequantizeTensor(q)) > 15);
  });

  it('measures SQNR in dB and cosine similarity', () => {
    assert.equal(sqnrDb([1, 2, 3], [1, 2, 3]), Infinity);
    assert.ok(Math.abs(sqnrDb([3, 4], [3, 4.5]) - 10 * Math.log10(25 / 0.25)) < 1e-12);
    assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
    assert.ok(Math.abs(cosineSimilarity([1, 2], [2, 4]) - 1) < 1e-15);
    assert.equal(cosineSimilarity([0, 0], [0, 0]), 1);
  });
});
