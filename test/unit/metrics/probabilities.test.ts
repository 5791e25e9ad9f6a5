import * as assert from 'node:assert/strict';
import { evaluateClassification, MetricsInputError, toProbabilities } from '../../../src/core/metrics';
import { argmaxRows } from '../../../src/core/metrics/probabilities';
import { descendingOrder } from '../../../src/core/metrics/sort';
import { Gen } from './cases';

describe('scores to probabilities', () => {
  it('uses probability rows unchanged, bit for bit, so tied scores stay tied', () => {
    const scores = Float64Array.of(0.1, 0.2, 0.7, 0.2, 0.1, 0.7);
    const p = toProbabilities(scores, 2, 3);
    assert.equal(p.source, 'probabilities');
    assert.deepEqual(p.values, scores);
    assert.equal(p.renormalizedRows, 0);
  });

  it('divides by their sum only the rows that numpy.allclose would reject (within the 1e-3 tolerance)', () => {
    const p = toProbabilities(Float64Array.of(0.5, 0.5005, 0.25, 0.75), 2, 2);
    assert.equal(p.source, 'probabilities');
    assert.equal(p.renormalizedRows, 1);
    assert.deepEqual(Array.from(p.values), [0.5 / 1.0005, 0.5005 / 1.0005, 0.25, 0.75]);
  });

  it('applies softmax when any row is negative or sums farther than 1e-3 from 1', () => {
    const p = toProbabilities(Float64Array.of(1, 2, 3, 0.3, 0.3, 0.3), 2, 3);
    assert.equal(p.source, 'softmax');
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0] + e[1] + e[2];
    assert.deepEqual(Array.from(p.values.subarray(0, 3)), e.map((x) => x / s));
    assert.deepEqual(Array.from(p.values.subarray(3)), [1 / 3, 1 / 3, 1 / 3]);
    assert.equal(toProbabilities(Float64Array.of(-0.1, 1.1), 1, 2).source, 'softmax');
  });

  it('keeps softmax finite for large logits', () => {
    const p = toProbabilities(Float64Array.of(1000, 0, -1000), 1, 3);
    assert.deepEqual(Array.from(p.values), [1, 0, 0]);
  });

  it('reads a single binary column as P(class 1) when it is in [0, 1], otherwise as a logit', () => {
    const p = toProbabilities(Float64Array.of(0.25, 1), 2, 1);
    assert.equal(p.source, 'probabilities');
    assert.equal(p.numClasses, 2);
    assert.deepEqual(Array.from(p.values), [0.75, 0.25, 0, 1]);
    const l = toProbabilities(Float64Array.of(0, 2, -800), 3, 1);
    assert.equal(l.source, 'sigmoid');
    assert.deepEqual(Array.from(l.values), [0.5, 0.5, 1 - 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-2)), 1, 0]);
  });

  it('throws MetricsInputError for non-finite scores, wrong lengths and labels outside the classes', () => {
    assert.throws(() => toProbabilities(Float64Array.of(0.5, NaN), 1, 2), /score 1 is NaN/);
    assert.throws(() => toProbabilities(Float64Array.of(0.5, 0.5, 1), 1, 2), MetricsInputError);
    assert.throws(() => evaluateClassification(Int32Array.of(0, 3), Float64Array.of(1, 0, 0, 1), 2), /y_true\[1\] is 3, outside the classes 0\.\.1/);
    assert.throws(() => evaluateClassification(new Int32Array(0), new Float64Array(0), 2), MetricsInputError);
    assert.throws(() => evaluateClassification(Int32Array.of(0, 1), Float64Array.of(0.2, 0.7), 1, { positiveClass: 2 }), /positive class/);
    const y = Int32Array.of(0, 1);
    const s = Float64Array.of(0.2, 0.7);
    assert.throws(() => evaluateClassification(y, s, 1, { maxCurvePoints: 1 }), /maxCurvePoints must be an integer of at least 2/);
    assert.throws(() => evaluateClassification(y, s, 1, { calibrationBins: 0 }), MetricsInputError);
    assert.throws(() => evaluateClassification(y, s, 1, { bootstrap: { level: 95 } }), /bootstrap.level/);
    assert.throws(() => evaluateClassification(y, s, 1, { bootstrap: { resamples: 0.5 } }), /bootstrap.resamples/);
  });

  it('predicts the first of tied maxima, like numpy.argmax', () => {
    assert.deepEqual(Array.from(argmaxRows(Float64Array.of(0.4, 0.4, 0.2, 0.1, 0.45, 0.45), 2, 3)), [0, 1]);
  });

  it('ranks tied top probabilities like top_k_accuracy_score: the higher class index first', () => {
    // True class 0 ties with class 1 at the top: argmax says 0 (a hit), top-1 ranks class 1 first (a miss).
    const y = Int32Array.of(0, 1, 2, 3);
    const row = [0.3, 0.3, 0.2, 0.2];
    const m = evaluateClassification(y, Float64Array.from([...row, ...row, ...row, ...row]), 4);
    assert.equal(m.accuracy, 0.25);
    assert.deepEqual(m.topK, { '1': 0.25, '3': 0.75 });
    assert.equal(m.perClass[0].recall, 1);
  });
});

describe('descending order of scores', () => {
  it('orders by decreasing score, ties in ascending index order, the same with radix and comparator sorts', () => {
    const g = new Gen(3);
    for (const n of [10, 2047, 2048, 50_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Math.round(g.normal() * 4) / 4 + 0 : g.normal() * 1e3)); // + 0: no −0, whose place among zeros is unspecified
      const { order, sorted } = descendingOrder(values);
      const expected = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
      assert.deepEqual(Array.from(order), expected, `n = ${n}`);
      assert.deepEqual(Array.from(sorted), expected.map((i) => values[i]), `n = ${n}: sorted values`);
    }
  });

  it('orders long runs of scores that agree in their high 32 bits (and differ in the low ones)', () => {
    const g = new Gen(8);
    // 0.5 + j ulp: one high word, 200 distinct low words, shuffled; plus runs of exact ties.
    const values = Float64Array.from({ length: 6000 }, (_, i) => (i % 2 === 0 ? 0.5 + g.int(200) * 2 ** -53 : 0.25 + (i % 3) * 2 ** -54));
    const { order, sorted } = descendingOrder(values);
    const expected = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
    assert.deepEqual(Array.from(order), expected);
    assert.deepEqual(Array.from(sorted), expected.map((i) => values[i]));
  });

  it('sorts extreme magnitudes, subnormals, negatives and both zeros correctly', () => {
    const special = [Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -5e-324, 0, -0, 1, -1, 1e-300, -1e300];
    const values = Float64Array.from({ length: 4096 }, (_, i) => special[i % special.length]);
    const { order, sorted } = descendingOrder(values);
    for (let p = 1; p < order.length; p++) assert.ok(values[order[p - 1]] >= values[order[p]], `position ${p}`);
    assert.deepEqual(Array.from(sorted), Array.from(order, (i) => values[i] + 0));
  });
});
