/**
 * String ops: StringNormalizer (opset 10), StringConcat, StringSplit and RegexFullMatch (opset 20).
 */
import { ElemType } from '../onnx/elemTypes';
import { tensor } from './context';
import { broadcastInputs } from './elementwise';
import { registerShape } from './registry';

registerShape('', ['StringConcat'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.STRING, broadcastInputs(ctx, [0, 1])));
});

registerShape('', ['RegexFullMatch'], (ctx) => {
  ctx.setOutput(0, tensor(ElemType.BOOL, ctx.shape(0)));
});

registerShape('', ['StringSplit'], (ctx) => {
  // The substrings gain one dimension, as long as the longest split; the counts keep X's shape.
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ElemType.STRING, s ? [...s, null] : null));
  ctx.setOutput(1, tensor(ElemType.INT64, s));
});

registerShape('', ['StringNormalizer'], (ctx) => {
  // [C] or [1, C]; removing stopwords can shorten the last dimension.
  const s = ctx.shape(0);
  const stop = ctx.attrStrings('stopwords');
  ctx.setOutput(0, tensor(ElemType.STRING, s && stop && stop.length > 0 ? [...s.slice(0, -1), null] : s));
});
