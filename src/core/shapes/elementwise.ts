/**
 * Elementwise ops: unary (shape and type of the input), binary/variadic with numpy
 * broadcasting, comparisons (→ bool), Where, casts, and normalisations whose main output
 * has the input's shape.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { broadcastShapes, normAxis } from './dims';
import { registerShape } from './registry';

const SAME_AS_INPUT = [
  'Relu', 'Sigmoid', 'Tanh', 'Gelu', 'Erf', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Clip', 'LeakyRelu',
  'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'Mish',
  'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign', 'Identity', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan',
  'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Shrink', 'Not', 'BitwiseNot', 'Softmax', 'LogSoftmax', 'Hardmax',
  'LRN', 'CumSum', 'Trilu', 'MeanVarianceNormalization', 'LpNormalization', 'InstanceNormalization',
  'GroupNormalization', 'PRelu', 'ReverseSequence',
];

const BINARY_SAME_TYPE = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor',
  'Max', 'Min', 'Sum', 'Mean'];
const BOOL_RESULT = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'];

/** Broadcast the shapes of the given inputs; null (unknown rank) if any is unknown, with a warning on mismatch. */
export function broadcastInputs(ctx: NodeContext, indices: readonly number[]): Dim[] | null {
  const shapes: Dim[][] = [];
  for (const i of indices) {
    if (!ctx.has(i)) continue;
    const s = ctx.shape(i);
    if (!s) return null;
    shapes.push(s);
  }
  if (shapes.length === 0) return null;
  const out = broadcastShapes(shapes);
  if (!out) {
    ctx.warn(`inputs cannot be broadcast together: ${shapes.map((s) => `[${s.join(', ')}]`).join(' and ')}`);
    return null;
  }
  return out;
}

function firstKnownElem(ctx: NodeContext, indices: readonly number[]): number {
  for (const i of indices) if (ctx.elem(i)) return ctx.elem(i);
  return 0;
}

function allInputs(ctx: NodeContext): number[] {
  return ctx.node.info.inputs.map((_, i) => i);
}

registerShape('', SAME_AS_INPUT, (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
});

registerShape('', BINARY_SAME_TYPE, (ctx) => {
  const all = allInputs(ctx);
  // Pow's result has the base's type; for the rest all inputs share one type.
  ctx.setOutput(0, tensor(firstKnownElem(ctx, ctx.node.opType === 'Pow' ? [0] : all), broadcastInputs(ctx, all)));
});

registerShape('', BOOL_RESULT, (ctx) => {
  ctx.setOutput(0, tensor(ElemType.BOOL, broadcastInputs(ctx, [0, 1])));
});

registerShape('', ['IsNaN', 'IsInf'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.BOOL, ctx.shape(0)));
});

registerShape('', ['Where'], (ctx) => {
  ctx.setOutput(0, tensor(firstKnownElem(ctx, [1, 2]), broadcastInputs(ctx, [0, 1, 2])));
});

registerShape('', ['Cast'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.attrInt('to', 0), ctx.shape(0)));
});

registerShape('', ['CastLike'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(1), ctx.shape(0)));
});

registerShape('', ['Dropout'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
  // The mask became bool at opset 10; before that it had the input's type.
  ctx.setOutput(1, tensor(ctx.opset >= 10 ? ElemType.BOOL : ctx.elem(0), ctx.shape(0)));
});

registerShape('', ['Det'], (ctx) => {
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.elem(0), s && s.length >= 2 ? s.slice(0, -2) : null));
});

registerShape('', ['BatchNormalization'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
  // Training-mode outputs (running/saved mean and var) are per channel.
  const c = ctx.shape(0)?.[1] ?? ctx.shape(1)?.[0] ?? null;
  for (let i = 1; i < ctx.numOutputs; i++) ctx.setOutput(i, tensor(ctx.elem(3) || ctx.elem(0), [c]));
});

registerShape('', ['LayerNormalization'], (ctx) => {
  const x = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.elem(0), x));
  // Mean and InvStdDev keep the leading dims and reduce the normalised ones to 1; their type
  // is stash_type (float unless stated).
  const stash = ctx.attrInt('stash_type', ElemType.FLOAT);
  let stats: Dim[] | null = null;
  if (x) {
    const axis = normAxis(ctx.attrInt('axis', -1), x.length);
    if (axis === null) ctx.warn('axis out of range');
    else stats = x.map((d, i) => (i < axis ? d : 1));
  }
  ctx.setOutput(1, tensor(stash, stats));
  ctx.setOutput(2, tensor(stash, stats));
});

registerShape('', ['QuantizeLinear'], (ctx) => {
  // The output type is the zero point's (uint8 by default); opset 21 adds output_dtype.
  const explicit = ctx.attrInt('output_dtype', 0);
  ctx.setOutput(0, tensor(explicit || ctx.elem(2) || ElemType.UINT8, ctx.shape(0)));
});

registerShape('', ['DequantizeLinear'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(1) || ElemType.FLOAT, ctx.shape(0)));
});

registerShape('', ['DynamicQuantizeLinear'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.UINT8, ctx.shape(0)));
  ctx.setOutput(1, tensor(ElemType.FLOAT, []));
  ctx.setOutput(2, tensor(ElemType.UINT8, []));
});

registerShape('', ['Bernoulli', 'RandomNormalLike', 'RandomUniformLike'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.attrInt('dtype', 0) || ctx.elem(0), ctx.shape(0)));
});

registerShape('', ['RandomNormal', 'RandomUniform'], (ctx) => {
  const shape = ctx.attrInts('shape');
  ctx.setOutput(0, tensor(ctx.attrInt('dtype', ElemType.FLOAT), shape));
});

registerShape('', ['Multinomial'], (ctx) => {
  // [batch, classes] of log-probabilities → [batch, sample_size] class indices (int32 by default).
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.attrInt('dtype', ElemType.INT32), [s?.length === 2 ? s[0] : null, ctx.attrInt('sample_size', 1)]));
});
