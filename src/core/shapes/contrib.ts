/**
 * The com.microsoft contrib ops that ONNX Runtime's transformer optimiser emits most often
 * (https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md). Only the
 * main outputs are inferred; cache outputs (present/present_key) are left unknown.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { dimDiv, isKnown } from './dims';
import { registerShape } from './registry';

const MS = 'com.microsoft';

registerShape(MS, ['BiasGelu', 'FastGelu', 'Gelu', 'QuickGelu', 'BiasAdd', 'RotaryEmbedding', 'BiasDropout'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
});

function statsShape(s: Dim[] | null): Dim[] | null {
  return s && s.length >= 1 ? [...s.slice(0, -1), 1] : null;
}

registerShape(MS, ['SkipLayerNormalization', 'SkipSimplifiedLayerNormalization'], (ctx) => {
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.elem(0), s));
  ctx.setOutput(1, tensor(ElemType.FLOAT, statsShape(s)));
  ctx.setOutput(2, tensor(ElemType.FLOAT, statsShape(s)));
  ctx.setOutput(3, tensor(ctx.elem(0), s)); // input + skip (+ bias)
});

registerShape(MS, ['SimplifiedLayerNormalization', 'LayerNormalization'], (ctx) => {
  const s = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.elem(0), s));
  ctx.setOutput(1, tensor(ElemType.FLOAT, statsShape(s)));
  ctx.setOutput(2, tensor(ElemType.FLOAT, statsShape(s)));
});

registerShape(MS, ['EmbedLayerNormalization'], (ctx) => {
  const ids = ctx.shape(0);
  const words = ctx.shape(2);
  const b = ids?.[0] ?? null;
  const seq = ids?.[1] ?? null;
  ctx.setOutput(0, tensor(ctx.elem(2), [b, seq, words?.[1] ?? null]));
  ctx.setOutput(1, tensor(ElemType.INT32, [b]));
  ctx.setOutput(2, tensor(ctx.elem(2), [b, seq, words?.[1] ?? null]));
});

/** Q, K, V hidden sizes of com.microsoft Attention (from qkv_hidden_sizes or weights [in, 3*hidden]). */
export function attentionHidden(ctx: NodeContext): [Dim, Dim, Dim] {
  const sizes = ctx.attrInts('qkv_hidden_sizes');
  if (sizes && sizes.length === 3) return [sizes[0], sizes[1], sizes[2]];
  const w = ctx.shape(1);
  const h = w && w.length === 2 ? dimDiv(w[1], 3) : null;
  return [h, h, h];
}

registerShape(MS, ['Attention'], (ctx) => {
  const x = ctx.shape(0);
  const [, , v] = attentionHidden(ctx);
  ctx.setOutput(0, tensor(ctx.elem(0), x && x.length === 3 ? [x[0], x[1], v] : null));
});

registerShape(MS, ['MultiHeadAttention'], (ctx) => {
  const q = ctx.shape(0);
  const value = ctx.shape(2);
  // Q may be packed (QKV in one tensor, 5-D); only the plain 3-D forms are inferred.
  const dv: Dim = value && value.length === 3 ? value[2] : q && q.length === 3 && !ctx.has(1) ? null : q?.[2] ?? null;
  ctx.setOutput(0, tensor(ctx.elem(0), q && q.length === 3 ? [q[0], q[1], dv] : null));
});

registerShape(MS, ['GroupQueryAttention'], (ctx) => {
  const q = ctx.shape(0);
  const heads = ctx.attrInt('num_heads', 0);
  const kvHeads = ctx.attrInt('kv_num_heads', 0);
  let hidden: Dim = q?.[2] ?? null;
  // With packed QKV (no key input) the query's last dim is (heads + 2*kv_heads) * head_size.
  if (!ctx.has(1) && heads > 0 && isKnown(hidden)) {
    const head = dimDiv(hidden, heads + 2 * kvHeads);
    hidden = isKnown(head) ? head * heads : null;
  }
  ctx.setOutput(0, tensor(ctx.elem(0), q && q.length === 3 ? [q[0], q[1], hidden] : null));
});

registerShape(MS, ['DynamicQuantizeMatMul', 'MatMulNBits'], (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  const n: Dim = ctx.node.opType === 'MatMulNBits' ? ctx.attrInt('N', null) : b && b.length === 2 ? b[1] : null;
  ctx.setOutput(0, tensor(ctx.node.opType === 'MatMulNBits' ? ctx.elem(0) : ElemType.FLOAT, a ? [...a.slice(0, -1), n] : null));
});
