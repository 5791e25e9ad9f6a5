import * as assert from 'node:assert/strict';
import { className, formatDelta, formatInterval, formatMetric, formatRange, largeGapSide, metricLabel, undefinedReason } from '../../../webview/eval/metricInfo';
import { toEvaluateRequest, type FormValues } from '../../../webview/eval/request';

describe('eval view: metric names and numbers', () => {
  it('prints rates with 3 decimals, MAPE in percent, errors with 4 significant digits', () => {
    assert.equal(formatMetric('accuracy', 0.96666), '0.967');
    assert.equal(formatMetric('mape', 0.2519), '25.2 %');
    assert.equal(formatMetric('mae', 28.3412), '28.34');
    assert.equal(formatMetric('logLoss', 0.000565), '5.650e-4');
    assert.equal(formatMetric('kappa', null), '–');
  });

  it('prints intervals with a dash, or in brackets when an end is negative', () => {
    const ci = { low: 0.95, high: 0.982, level: 0.95, validResamples: 1000 };
    assert.equal(formatInterval('accuracy', ci), '95% CI 0.950–0.982');
    assert.equal(formatRange('accuracy', { low: -0.058, high: -0.008 }), '[−0.058, −0.008]');
    assert.equal(formatInterval('logLoss', { ...ci, low: 0.05528, high: 0.18 }), '95% CI 0.0553–0.180');
    assert.equal(formatInterval('mse', { ...ci, low: 1100.4, high: 1490 }), '95% CI 1100–1490');
    assert.equal(formatInterval('accuracy', null), '');
  });

  it('signs deltas with a real minus', () => {
    assert.equal(formatDelta('accuracy', -0.031), '−0.031');
    assert.equal(formatDelta('logLoss', 0.2872), '+0.2872');
    assert.equal(formatDelta('accuracy', null), '–');
  });

  it('names metrics and classes', () => {
    assert.equal(metricLabel('rocAucMacro'), 'ROC AUC (macro)');
    assert.equal(metricLabel('topK.3'), 'topK.3');
    assert.equal(className(['cat', 'dog'], 1), 'dog');
    assert.equal(className(null, 3), '3');
  });

  it('finds why a headline metric is undefined', () => {
    const undef = [{ metric: 'rocAuc.macro', reason: 'only one class in y_true' }];
    assert.equal(undefinedReason('rocAucMacro', undef), 'only one class in y_true');
    assert.equal(undefinedReason('kappa', undef), null);
  });

  it('flags a large split gap whichever split is better', () => {
    const gap = (metric: 'accuracy' | 'logLoss', g: number, rel: number, flagged = false) => ({ metric, gap: g, relativeGap: rel, flagged });
    assert.equal(largeGapSide(gap('accuracy', 0.08, 0.09, true)), 'first');
    assert.equal(largeGapSide(gap('accuracy', -0.08, -0.09)), 'second', 'test first, train second: train better');
    assert.equal(largeGapSide(gap('accuracy', -0.03, -0.03)), null);
    assert.equal(largeGapSide(gap('logLoss', -0.1099, -0.995)), 'second', 'unbounded metrics by relative gap');
    assert.equal(largeGapSide({ metric: 'accuracy', gap: null, relativeGap: null, flagged: false }), null);
  });
});

describe('eval view: the form', () => {
  const form = (v: Partial<FormValues>): FormValues => ({ data: '/d/test.csv', compareData: '', labelColumn: '', task: 'auto', batchSize: '64', bootstrap: '0', ...v });

  it('makes the request from the fields, leaving out the empty ones', () => {
    assert.deepEqual(toEvaluateRequest(form({})), { data: '/d/test.csv', task: 'auto', batchSize: 64, bootstrap: 0 });
    assert.deepEqual(toEvaluateRequest(form({ labelColumn: ' price ', compareData: '/d/train.csv', bootstrap: '1000', task: 'regression' })),
      { data: '/d/test.csv', task: 'regression', batchSize: 64, bootstrap: 1000, labelColumn: 'price', compareData: '/d/train.csv' });
  });

  it('says in one sentence which field is wrong', () => {
    const error = (v: Partial<FormValues>) => (toEvaluateRequest(form(v)) as { error: string }).error;
    assert.match(error({ data: '  ' }), /^Choose a labelled dataset/);
    assert.match(error({ batchSize: '0' }), /batch size must be a whole number of at least 1, not "0"/);
    assert.match(error({ batchSize: '2.5' }), /batch size/);
    assert.match(error({ bootstrap: '-1' }), /Bootstrap resamples must be a whole number/);
    assert.match(error({ compareData: '/d/test.csv' }), /compare with is the dataset itself/);
  });
});
