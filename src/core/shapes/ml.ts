/**
 * ai.onnx.ml (https://onnx.ai/onnx/operators/index_ml.html). Inputs are [N, F] (or [F]);
 * classifiers emit a label [N] and scores [N, classes], where the class count comes from
 * the classlabels_* attribute, or for binary linear/SVM models with one coefficient row, 2.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { isKnown, safeDim } from './dims';
import { registerShape } from './registry';

const ML = 'ai.onnx.ml';

function batch(ctx: NodeContext): Dim {
  const s = ctx.shape(0);
  if (!s) return null;
  return s.length >= 2 ? s[0] : s.length === 1 ? 1 : null;
}

function labels(ctx: NodeContext): { elem: number; count: number | null } {
  const strings = ctx.attrStrings('classlabels_strings');
  if (strings && strings.length > 0) return { elem: ElemType.STRING, count: strings.length };
  const ints = ctx.attrInts('classlabels_ints') ?? ctx.attrInts('classlabels_int64s');
  if (ints && ints.length > 0) return { elem: ElemType.INT64, count: ints.length };
  return { elem: ElemType.INT64, count: null };
}

function classifier(ctx: NodeContext, count: Dim): void {
  const n = batch(ctx);
  ctx.setOutput(0, tensor(labels(ctx).elem, [n]));
  ctx.setOutput(1, tensor(ElemType.FLOAT, [n, count]));
}

registerShape(ML, ['TreeEnsembleClassifier'], (ctx) => classifier(ctx, labels(ctx).count));

registerShape(ML, ['LinearClassifier'], (ctx) => {
  // The label list fixes the score columns; without it, one intercept per class does.
  classifier(ctx, labels(ctx).count ?? ctx.attrFloats('intercepts')?.length ?? null);
});

registerShape(ML, ['SVMClassifier'], (ctx) => classifier(ctx, labels(ctx).count));

registerShape(ML, ['LinearRegressor'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.FLOAT, [batch(ctx), ctx.attrInt('targets', 1)]));
});

registerShape(ML, ['TreeEnsembleRegressor'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.FLOAT, [batch(ctx), ctx.attrInt('n_targets', 1)]));
});

registerShape(ML, ['TreeEnsemble'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), [batch(ctx), ctx.attrInt('n_targets', 1)]));
});

registerShape(ML, ['SVMRegressor'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.FLOAT, [batch(ctx), 1]));
});

registerShape(ML, ['Normalizer', 'Scaler', 'Imputer', 'Binarizer'], (ctx) => {
  // Normalizer and Scaler always output float; Imputer and Binarizer keep the input type.
  const keep = ctx.node.opType === 'Imputer' || ctx.node.opType === 'Binarizer';
  ctx.setOutput(0, tensor(keep ? ctx.elem(0) : ElemType.FLOAT, ctx.shape(0)));
});

registerShape(ML, ['ZipMap'], (ctx) => {
  const keyType = (ctx.attrStrings('classlabels_strings')?.length ?? 0) > 0 ? 'string' : 'int64';
  ctx.setOutput(0, { elemType: 0, shape: null, note: `sequence(map(${keyType}, float)), one map per row` });
});

registerShape(ML, ['ArrayFeatureExtractor'], (ctx) => {
  const s = ctx.shape(0);
  const idx = ctx.shape(1);
  const count: Dim = idx ? idx.reduce<Dim>((p, d) => (isKnown(p) && isKnown(d) ? p * d : null), 1) : null;
  // Selects along the last axis: [..., F] -> [..., len(indices)]; 1-D input gives [1, len].
  const out = s ? (s.length <= 1 ? [1, count] : [...s.slice(0, -1), count]) : null;
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

registerShape(ML, ['OneHotEncoder'], (ctx) => {
  const cats = ctx.attrInts('cats_int64s')?.length || ctx.attrStrings('cats_strings')?.length || null;
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ElemType.FLOAT, s ? [...s, cats] : null));
});

registerShape(ML, ['LabelEncoder'], (ctx) => {
  // Output type follows whichever values_* attribute is present (opset 2+), else the v1 defaults.
  let elem: number = ElemType.INT64;
  if (ctx.attr('values_strings') || ctx.attr('default_string')) elem = ElemType.STRING;
  if (ctx.attr('values_floats') || ctx.attr('default_float')) elem = ElemType.FLOAT;
  if (ctx.attr('values_int64s') || ctx.attr('default_int64')) elem = ElemType.INT64;
  if (ctx.attr('values_tensor')) elem = ctx.attrTensor('values_tensor')?.elemType ?? elem;
  if (ctx.opset === 1) elem = ctx.elem(0) === ElemType.STRING ? ElemType.INT64 : ElemType.STRING;
  ctx.setOutput(0, tensor(elem, ctx.shape(0)));
});

registerShape(ML, ['CategoryMapper'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0) === ElemType.STRING ? ElemType.INT64 : ElemType.STRING, ctx.shape(0)));
});

registerShape(ML, ['DictVectorizer'], (ctx) => {
  const n = ctx.attrStrings('string_vocabulary')?.length || ctx.attrInts('int64_vocabulary')?.length || null;
  ctx.setOutput(0, tensor(0, [null, n === null ? null : safeDim(n)]));
});

registerShape(ML, ['FeatureVectorizer'], (ctx) => {
  const dims = ctx.attrInts('inputdimensions');
  const total = dims ? dims.reduce((a, b) => a + b, 0) : null;
  ctx.setOutput(0, tensor(ElemType.FLOAT, [batch(ctx), total === null ? null : safeDim(total)]));
});
