/**
 * Shapes of loss functions, the preview training optimisers, optionals and TF-IDF — ops whose
 * output shape follows from their inputs' shapes and attributes, as onnx.shape_inference knows
 * them (measured on the ONNX backend node tests: test/unit/shapes/nodeTests.test.ts).
 */
import { ElemType } from '../onnx/elemTypes';
import { tensor } from './context';
import { maxOf } from '../lists';
import { registerShape } from './registry';

const TRAINING = 'ai.onnx.preview.training';

// NegativeLogLikelihoodLoss(input [N, C, d…], target [N, d…]): 'none' keeps the target's shape, 'mean' and 'sum' give a scalar.
registerShape('', ['NegativeLogLikelihoodLoss'], (ctx) => {
  const none = ctx.attrString('reduction', 'mean') === 'none';
  ctx.setOutput(0, tensor(ctx.elem(0), none ? ctx.shape(1) : []));
});

// SoftmaxCrossEntropyLoss(scores [N, C, d…], labels [N, d…]) → loss (like NLL), and log_prob shaped like the scores.
registerShape('', ['SoftmaxCrossEntropyLoss'], (ctx) => {
  const none = ctx.attrString('reduction', 'mean') === 'none';
  ctx.setOutput(0, tensor(ctx.elem(0), none ? ctx.shape(1) : []));
  if (ctx.hasOutput(1)) ctx.setOutput(1, tensor(ctx.elem(0), ctx.shape(0)));
});

/** Optimisers take (R, T, then `groups` lists of n tensors) and give back `outGroups` of those lists, each shaped like its input. */
function optimizer(groups: number, outGroups: readonly number[]) {
  return (ctx: Parameters<Parameters<typeof registerShape>[2]>[0]) => {
    const n = (ctx.numInputs - 2) / groups;
    if (!Number.isInteger(n) || n < 1) return;
    outGroups.forEach((g, k) => {
      for (let i = 0; i < n; i++) {
        const input = 2 + g * n + i;
        ctx.setOutput(k * n + i, tensor(ctx.elem(input), ctx.shape(input)));
      }
    });
  };
}
// Adagrad: X…, G…, H… → X_new…, H_new…; Momentum: X…, G…, V… → X_new…, V_new…; Adam: X…, G…, V…, H… → X_new…, V_new…, H_new….
registerShape(TRAINING, ['Adagrad'], optimizer(3, [0, 2]));
registerShape(TRAINING, ['Momentum'], optimizer(3, [0, 2]));
registerShape(TRAINING, ['Adam'], optimizer(4, [0, 2, 3]));

// OptionalGetElement: the tensor inside the optional.
registerShape('', ['OptionalGetElement'], (ctx) => {
  const t = ctx.type(0);
  if (t && t.note !== 'sequence' && t.note !== 'map') ctx.setOutput(0, tensor(t.elemType, t.shape));
});

// TfIdfVectorizer: [C] → [max(ngram_indexes) + 1], [N, C] → [N, max + 1], float.
registerShape('', ['TfIdfVectorizer'], (ctx) => {
  const indexes = ctx.attrInts('ngram_indexes');
  const size = indexes && indexes.length ? maxOf(indexes) + 1 : null;
  const x = ctx.shape(0);
  ctx.setOutput(0, tensor(ElemType.FLOAT, !x ? null : x.length === 1 ? [size] : x.length === 2 ? [x[0], size] : null));
});
