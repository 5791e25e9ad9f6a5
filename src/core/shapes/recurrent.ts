/**
 * RNN, GRU, LSTM output shapes (https://onnx.ai/onnx/operators/onnx__LSTM.html).
 * X is [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1, opset 14).
 * Y is [seq, dirs, batch, hidden] / [batch, seq, dirs, hidden]; Y_h, Y_c are
 * [dirs, batch, hidden] / [batch, dirs, hidden].
 */
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { isKnown, safeDim } from './dims';
import { registerShape } from './registry';

export interface RecurrentDims {
  seq: Dim;
  batch: Dim;
  input: Dim;
  hidden: Dim;
  dirs: number;
  /** gates per cell: RNN 1, GRU 3, LSTM 4 */
  gates: number;
}

const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

export function recurrentDims(ctx: NodeContext): RecurrentDims {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  const layout = ctx.attrInt('layout', 0);
  const dirs = ctx.attrString('direction', 'forward') === 'bidirectional' ? 2 : 1;
  const gates = GATES[ctx.node.opType] ?? 1;
  let hidden: Dim = ctx.attrInt('hidden_size', null);
  // W is [dirs, gates*hidden, input]; use it when hidden_size is missing.
  if (hidden === null && w && w.length === 3 && isKnown(w[1]) && w[1] % gates === 0) hidden = w[1] / gates;
  const seq = x && x.length === 3 ? x[layout === 1 ? 1 : 0] : null;
  const batch = x && x.length === 3 ? x[layout === 1 ? 0 : 1] : null;
  const input = x && x.length === 3 ? x[2] : (w && w.length === 3 ? w[2] : null);
  return { seq, batch, input, hidden: hidden === null ? null : safeDim(hidden), dirs, gates };
}

registerShape('', ['RNN', 'GRU', 'LSTM'], (ctx) => {
  const d = recurrentDims(ctx);
  const elem = ctx.elem(0);
  const batchFirst = ctx.attrInt('layout', 0) === 1;
  ctx.setOutput(0, tensor(elem, batchFirst ? [d.batch, d.seq, d.dirs, d.hidden] : [d.seq, d.dirs, d.batch, d.hidden]));
  const state = batchFirst ? [d.batch, d.dirs, d.hidden] : [d.dirs, d.batch, d.hidden];
  ctx.setOutput(1, tensor(elem, state));
  ctx.setOutput(2, tensor(elem, state)); // LSTM's Y_c
});
