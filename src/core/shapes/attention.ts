/**
 * Transformer building blocks of the default domain (opset 23): Attention, RotaryEmbedding and
 * RMSNormalization. Shapes follow https://onnx.ai/onnx/operators/onnx__Attention.html: Q, K, V are
 * 4-D (batch, heads, sequence, head size) or 3-D (batch, sequence, heads * head size) with the head
 * counts in q_num_heads / kv_num_heads; the key/value cache grows along the sequence axis.
 */
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { dimAdd, dimDiv, dimMul } from './dims';
import { registerShape } from './registry';

interface Heads {
  batch: Dim;
  heads: Dim;
  seq: Dim;
  head: Dim;
}

/** Batch, heads, sequence length and head size of a 4-D or 3-D (heads from `numHeads`) input. */
function heads(s: Dim[] | null, numHeads: number | null): Heads | null {
  if (s?.length === 4) return { batch: s[0], heads: s[1], seq: s[2], head: s[3] };
  if (s?.length === 3) {
    const n = numHeads !== null && numHeads > 0 ? numHeads : null;
    return { batch: s[0], heads: n, seq: s[1], head: n === null ? null : dimDiv(s[2], n) };
  }
  return null;
}

registerShape('', ['Attention'], (ctx) => {
  const q = ctx.shape(0);
  const qh = heads(q, ctx.attrInt('q_num_heads', null));
  const kh = heads(ctx.shape(1), ctx.attrInt('kv_num_heads', null));
  const vh = heads(ctx.shape(2), ctx.attrInt('kv_num_heads', null));
  const pastSeq: Dim = ctx.has(4) ? (ctx.shape(4)?.length === 4 ? ctx.shape(4)![2] : null) : 0;
  const total = kh ? dimAdd(pastSeq, kh.seq) : null;
  const vHead = vh?.head ?? null;
  let y: Dim[] | null = null;
  if (q?.length === 4) y = [q[0], q[1], q[2], vHead];
  else if (q?.length === 3) y = [q[0], q[1], qh ? dimMul(qh.heads, vHead) : null];
  ctx.setOutput(0, tensor(ctx.elem(0), y));
  ctx.setOutput(1, tensor(ctx.elem(1) || ctx.elem(0), kh ? [kh.batch, kh.heads, total, kh.head] : null));
  ctx.setOutput(2, tensor(ctx.elem(2) || ctx.elem(0), vh ? [vh.batch, vh.heads, total, vh.head] : null));
  ctx.setOutput(3, tensor(ctx.elem(0), qh ? [qh.batch, qh.heads, qh.seq, total] : null));
});

registerShape('', ['RotaryEmbedding'], (ctx) => {
  ctx.setOutput(0, tensor(ctx.elem(0), ctx.shape(0)));
});

registerShape('', ['RMSNormalization'], (ctx: NodeContext) => {
  // Y has X's shape and the scale's element type (V).
  ctx.setOutput(0, tensor(ctx.elem(1) || ctx.elem(0), ctx.shape(0)));
});
