import { strict as assert } from 'node:assert';
import { F, I64, STR, single } from './helpers';

const ml = (op: string, inputs: Parameters<typeof single>[1], outputs: string[], attrs: Parameters<typeof single>[3] = {}) =>
  single(op, inputs, outputs, attrs, 17, 'ai.onnx.ml');

describe('ai.onnx.ml shape inference', () => {
  it('gives TreeEnsembleClassifier a label [N] and probabilities [N, classes]', () => {
    const r = ml('TreeEnsembleClassifier', { x: [F, ['N', 4]] }, ['label', 'probs'], { classlabels_int64s: [0, 1, 2] });
    assert.deepEqual(r.t('label'), [I64, ['N']]);
    assert.deepEqual(r.t('probs'), [F, ['N', 3]]);
    const s = ml('TreeEnsembleClassifier', { x: [F, [7, 4]] }, ['label', 'probs'], { classlabels_strings: ['cat', 'dog'] });
    assert.deepEqual(s.t('label'), [STR, [7]]);
    assert.deepEqual(s.t('probs'), [F, [7, 2]]);
  });

  it('infers LinearClassifier and SVMClassifier outputs from their class labels', () => {
    const l = ml('LinearClassifier', { x: [F, ['N', 4]] }, ['label', 'scores'], { classlabels_ints: [0, 1, 2], coefficients: { floats: new Array(12).fill(0.5) }, intercepts: { floats: [0.1, 0.2, 0.3] } });
    assert.deepEqual([l.t('label'), l.t('scores')], [[I64, ['N']], [F, ['N', 3]]]);
    const v = ml('SVMClassifier', { x: [F, [5, 4]] }, ['label', 'scores'], { classlabels_strings: ['a', 'b', 'c', 'd'] });
    assert.deepEqual([v.t('label'), v.t('scores')], [[STR, [5]], [F, [5, 4]]]);
  });

  it('infers regressors as [N, targets]', () => {
    assert.deepEqual(ml('LinearRegressor', { x: [F, ['N', 3]] }, ['y'], { targets: 2 }).t('y'), [F, ['N', 2]]);
    assert.deepEqual(ml('TreeEnsembleRegressor', { x: [F, ['N', 3]] }, ['y'], { n_targets: 1 }).t('y'), [F, ['N', 1]]);
    assert.deepEqual(ml('SVMRegressor', { x: [F, [6, 3]] }, ['y']).t('y'), [F, [6, 1]]);
  });

  it('keeps the shape in Normalizer, Scaler, Imputer and Binarizer', () => {
    assert.deepEqual(ml('Normalizer', { x: [I64, ['N', 3]] }, ['y'], { norm: 'L2' }).t('y'), [F, ['N', 3]]);
    assert.deepEqual(ml('Scaler', { x: [F, ['N', 3]] }, ['y']).t('y'), [F, ['N', 3]]);
    assert.deepEqual(ml('Imputer', { x: [F, ['N', 3]] }, ['y']).t('y'), [F, ['N', 3]]);
    assert.deepEqual(ml('Binarizer', { x: [F, ['N', 3]] }, ['y']).t('y'), [F, ['N', 3]]);
  });

  it('describes ZipMap as a sequence of maps in a note', () => {
    const r = ml('ZipMap', { p: [F, ['N', 3]] }, ['m'], { classlabels_int64s: [0, 1, 2] });
    const t = r.types.get('m')!;
    assert.equal(t.elemType, 0);
    assert.equal(t.shape, null);
    assert.match(t.note ?? '', /sequence\(map\(int64, float\)\)/);
  });

  it('selects features with ArrayFeatureExtractor along the last axis', () => {
    assert.deepEqual(ml('ArrayFeatureExtractor', { x: [F, ['N', 10]], i: [I64, [3]] }, ['y']).t('y'), [F, ['N', 3]]);
  });

  it('appends the category count in OneHotEncoder and maps types in LabelEncoder and CategoryMapper', () => {
    assert.deepEqual(ml('OneHotEncoder', { x: [I64, ['N', 1]] }, ['y'], { cats_int64s: [1, 2, 3, 4] }).t('y'), [F, ['N', 1, 4]]);
    assert.deepEqual(ml('LabelEncoder', { x: [STR, ['N']] }, ['y'], { keys_strings: ['a'], values_int64s: [1] }).t('y'), [I64, ['N']]);
    assert.deepEqual(ml('LabelEncoder', { x: [I64, ['N']] }, ['y'], { keys_int64s: [1], values_floats: { floats: [0.5] } }).t('y'), [F, ['N']]);
    assert.deepEqual(ml('CategoryMapper', { x: [STR, ['N']] }, ['y'], { cats_strings: ['a'], cats_int64s: [1] }).t('y'), [I64, ['N']]);
    assert.deepEqual(ml('CategoryMapper', { x: [I64, ['N']] }, ['y'], { cats_strings: ['a'], cats_int64s: [1] }).t('y'), [STR, ['N']]);
  });
});
