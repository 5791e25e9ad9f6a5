/**
 * Control flow. Bodies are inferred in place (their values land in the same `types` map,
 * and reads of outer-scope names see the parent's results, because ONNX names are unique
 * across nested scopes). If merges its branches; Loop and Scan give scan outputs an extra
 * leading (or scan_output_axes) dim whose size is the trip count when it is knowable.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { tensor } from './context';
import { isKnown, normAxis, safeDim } from './dims';
import { registerShape } from './registry';
import type { TensorType } from './types';

/** Both branches' types agree where they agree; elsewhere unknown. */
export function mergeBranches(a: TensorType | null, b: TensorType | null): TensorType | null {
  if (!a || !b) return a ?? b;
  const elemType = a.elemType === b.elemType ? a.elemType : a.elemType || b.elemType;
  if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { elemType, shape: null };
  return { elemType, shape: a.shape.map((d, i) => (d === b.shape![i] ? d : null)) };
}

registerShape('', ['If'], (ctx) => {
  const thenG = ctx.subgraph('then_branch');
  const elseG = ctx.subgraph('else_branch');
  const t = thenG ? ctx.state.inferSubgraph(thenG, []).outputs : [];
  const e = elseG ? ctx.state.inferSubgraph(elseG, []).outputs : [];
  for (let i = 0; i < ctx.numOutputs; i++) ctx.setOutput(i, mergeBranches(t[i] ?? null, e[i] ?? null));
});

function withExtraDim(t: TensorType | null, axis: number, d: Dim): TensorType {
  if (!t || !t.shape) return { elemType: t?.elemType ?? 0, shape: null };
  const a = normAxis(axis, t.shape.length + 1);
  if (a === null) return { elemType: t.elemType, shape: null };
  return { elemType: t.elemType, shape: [...t.shape.slice(0, a), d, ...t.shape.slice(a)] };
}

registerShape('', ['Loop'], (ctx) => {
  const body = ctx.subgraph('body');
  const carried = ctx.numInputs - 2;
  const inputs: (TensorType | null)[] = [tensor(ElemType.INT64, []), tensor(ElemType.BOOL, [])];
  for (let i = 0; i < carried; i++) inputs.push(ctx.type(i + 2));
  const outs = body ? ctx.state.inferSubgraph(body, inputs).outputs : [];
  // Without a cond input the loop runs exactly M times, so scan outputs have M rows.
  const m = ctx.inputInts(0)?.[0];
  const trips: Dim = !ctx.has(1) && m !== undefined ? safeDim(m) : null;
  for (let i = 0; i < ctx.numOutputs; i++) {
    if (i < carried) ctx.setOutput(i, mergeBranches(outs[i + 1] ?? null, ctx.type(i + 2)) ?? outs[i + 1] ?? null);
    else ctx.setOutput(i, withExtraDim(outs[i + 1] ?? null, 0, trips));
  }
});

registerShape('', ['Scan'], (ctx) => {
  const body = ctx.subgraph('body');
  if (ctx.opset < 9) {
    ctx.warn('Scan-8 (batched form) is not analysed');
    return;
  }
  const m = ctx.attrInt('num_scan_inputs', 0);
  const n = ctx.numInputs - m;
  if (m < 1 || n < 0) {
    ctx.warn('num_scan_inputs does not fit the inputs');
    return;
  }
  const inAxes = ctx.attrInts('scan_input_axes') ?? new Array<number>(m).fill(0);
  const inputs: (TensorType | null)[] = [];
  for (let i = 0; i < n; i++) inputs.push(ctx.type(i));
  let seq: Dim = null;
  for (let j = 0; j < m; j++) {
    const t = ctx.type(n + j);
    const s = t?.shape;
    const a = s ? normAxis(inAxes[j] ?? 0, s.length) : null;
    if (s && a !== null) {
      if (j === 0 || !isKnown(seq)) seq = s[a];
      inputs.push({ elemType: t!.elemType, shape: s.filter((_, i) => i !== a) });
    } else inputs.push(t ? { elemType: t.elemType, shape: null } : null);
  }
  const outs = body ? ctx.state.inferSubgraph(body, inputs).outputs : [];
  const outAxes = ctx.attrInts('scan_output_axes') ?? [];
  for (let i = 0; i < ctx.numOutputs; i++) {
    if (i < n) ctx.setOutput(i, outs[i] ?? ctx.type(i));
    else ctx.setOutput(i, withExtraDim(outs[i] ?? null, outAxes[i - n] ?? 0, seq));
  }
});

const SEQUENCE_OPS = ['SequenceConstruct', 'SequenceEmpty', 'SequenceInsert', 'SequenceErase', 'SplitToSequence', 'Optional'];

registerShape('', SEQUENCE_OPS, (ctx) => {
  ctx.setOutput(0, { elemType: 0, shape: null, note: ctx.node.opType === 'Optional' ? 'optional value' : 'sequence of tensors' });
});

registerShape('', ['SequenceMap'], (ctx) => {
  for (let i = 0; i < ctx.numOutputs; i++) ctx.setOutput(i, { elemType: 0, shape: null, note: 'sequence of tensors' });
});

registerShape('', ['SequenceLength'], (ctx) => ctx.setOutput(0, tensor(ElemType.INT64, [])));

registerShape('', ['SequenceAt', 'ConcatFromSequence', 'OptionalGetElement'], (ctx) => {
  ctx.setOutput(0, tensor(0, null));
});

registerShape('', ['OptionalHasElement'], (ctx) => ctx.setOutput(0, tensor(ElemType.BOOL, [])));
