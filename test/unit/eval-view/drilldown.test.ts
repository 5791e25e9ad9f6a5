import * as assert from 'node:assert/strict';
import {
  cellSamples, classMistakes, confidenceHistograms, largestErrors, positionsOf, rowNormalised, sampleRow, scoreHistograms, sourceLabel, topConfusions,
} from '../../../webview/eval/drilldown';
import { Gen, labels, logits } from '../metrics/cases';
import { classificationReport, drilldown } from './reportFixture';

describe('eval view: drill-down', () => {
  const d = drilldown([
    { yTrue: 0, yPred: 0, confidence: 0.9 },
    { yTrue: 1, yPred: 2, confidence: 0.6 },
    { yTrue: 1, yPred: 2, confidence: 0.8 },
    { yTrue: 0, yPred: 0, confidence: 0.55 },
    { yTrue: 1, yPred: 1, confidence: 0.7 },
    { yTrue: 1, yPred: 2, confidence: 0.6 },
    { yTrue: 1, yPred: 0, confidence: 0.99 },
  ]);

  it('lists a mistake cell’s samples most confident first, equal confidences in dataset order', () => {
    assert.deepEqual(cellSamples(d, 1, 2), [2, 1, 5]);
  });

  it('lists a diagonal cell’s samples least confident first', () => {
    assert.deepEqual(cellSamples(d, 0, 0), [3, 0]);
  });

  it('gives an empty list for an empty cell', () => {
    assert.deepEqual(cellSamples(d, 2, 2), []);
  });

  it('finds every sample of every cell of a real confusion matrix, no more', () => {
    const g = new Gen(21);
    const y = labels(g, 400, [0, 1, 2, 3]);
    const report = classificationReport(y, logits(g, y, 4, 1.0), 4);
    const cm = report.classification!.confusionMatrix;
    const seen = new Set<number>();
    cm.forEach((row, t) => row.forEach((count, p) => {
      const cell = cellSamples(report.drilldown, t, p);
      assert.equal(cell.length, count, `cell (${t}, ${p})`);
      for (const i of cell) {
        assert.equal(report.drilldown.yTrue[i], t);
        assert.equal(report.drilldown.yPred[i], p);
        seen.add(i);
      }
    }));
    assert.equal(seen.size, 400);
  });

  it('lists a class’s mistakes across its row', () => {
    assert.deepEqual(classMistakes(d, 1), [6, 2, 1, 5]);
    assert.deepEqual(classMistakes(d, 0), []);
  });

  it('reads a sample’s row with its most probable classes', () => {
    const withProbs = drilldown([{ yTrue: 2, yPred: 0, confidence: 0.5, probabilities: [0.5, 0.2, 0.3] }], 10);
    const row = sampleRow(withProbs, 0);
    assert.deepEqual(row.top, [{ label: 0, p: 0.5 }, { label: 2, p: 0.3 }, { label: 1, p: 0.2 }]);
    assert.equal(row.source, 2);
    assert.equal(withProbs.samplesTruncated, true);
  });

  it('orders regression samples by absolute error', () => {
    const r = drilldown([{ yTrue: 1, yPred: 1.5, confidence: 0 }, { yTrue: 3, yPred: 1, confidence: 0 }, { yTrue: 0, yPred: -2, confidence: 0 }, { yTrue: 5, yPred: 5, confidence: 0 }]);
    assert.deepEqual(largestErrors(r), [1, 2, 0, 3]);
    assert.deepEqual(largestErrors(r, 2), [1, 2]);
  });

  it('finds kept samples by dataset index and counts the ones not kept', () => {
    const sparse = { ...d, index: [3, 8, 10, 11, 40, 41, 90] };
    assert.deepEqual(positionsOf(sparse, [8, 9, 41, 90, 100]), { positions: [1, 5, 6], missing: 2 });
  });

  it('normalises rows and lists the most confused pairs', () => {
    const cm = [[8, 2, 0], [1, 0, 3], [0, 0, 0]];
    assert.deepEqual(rowNormalised(cm), [[0.8, 0.2, 0], [0.25, 0, 0.75], [0, 0, 0]]);
    assert.deepEqual(topConfusions(cm, 2), [{ t: 1, p: 2, count: 3 }, { t: 0, p: 1, count: 2 }]);
  });

  it('bins confidences of right and wrong samples, 1 in the last bin', () => {
    const h = confidenceHistograms(drilldown([{ yTrue: 0, yPred: 0, confidence: 1 }, { yTrue: 0, yPred: 1, confidence: 0.51 }, { yTrue: 1, yPred: 1, confidence: 0.5 }]), 10)!;
    assert.equal(h.edges.length, 11);
    assert.equal(h.a[9], 1);
    assert.equal(h.a[5], 1);
    assert.equal(h.b[5], 1);
    assert.deepEqual([h.totalA, h.totalB], [2, 1]);
    const s = scoreHistograms({ score: [0, 0.3, 0.99], truth: [1, 0, 1] }, 4);
    assert.deepEqual([s.a, s.b], [[1, 0, 0, 1], [0, 1, 0, 0]]);
  });

  it('says where a sample came from', () => {
    assert.equal(sourceLabel('line', 12), 'line 12');
    assert.equal(sourceLabel('path', 'cats/3.png'), 'cats/3.png');
    assert.equal(sourceLabel('index', 4), '#4');
  });
});
