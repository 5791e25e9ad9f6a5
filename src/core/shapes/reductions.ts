/**
 * Reductions. `axes` moved from attribute to input at opset 13 for ReduceSum and at 18 for
 * the others (https://onnx.ai/onnx/operators/onnx__ReduceMean.html); noop_with_empty_axes
 * came with the input form.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { normAxis } from './dims';
import { registerShape } from './registry';

const REDUCE = ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceSumSquare'];

/** Output shape of reducing `s` over `axes` (null/[] = all, unless noop); null on bad axes. */
export function reduceShape(s: Dim[], axes: number[] | null, keepdims: boolean, noopWhenEmpty: boolean): Dim[] | null {
  if (!axes || axes.length === 0) {
    if (noopWhenEmpty) return s.slice();
    return keepdims ? s.map(() => 1) : [];
  }
  const norm = new Set(axes.map((a) => normAxis(a, s.length)));
  if (norm.has(null)) return null;
  const out: Dim[] = [];
  s.forEach((d, i) => {
    if (!norm.has(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function reduce(ctx: NodeContext, sinceInput: number): void {
  const s = ctx.shape(0);
  const keepdims = ctx.attrInt('keepdims', 1) !== 0;
  const elem = ctx.elem(0);
  if (!s) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const axes = ctx.axes(1, sinceInput);
  if (axes === 'unknown') {
    // Which axes is not known: with keepdims the rank survives, the sizes do not.
    ctx.setOutput(0, tensor(elem, keepdims ? s.map(() => null) : null));
    return;
  }
  const noop = ctx.opset >= sinceInput && ctx.attrInt('noop_with_empty_axes', 0) !== 0;
  const out = reduceShape(s, axes, keepdims, noop);
  if (!out) ctx.warn(`axes ${JSON.stringify(axes)} out of range for rank ${s.length}`);
  ctx.setOutput(0, tensor(elem, out));
}

registerShape('', REDUCE, (ctx) => reduce(ctx, 18));
registerShape('', ['ReduceSum'], (ctx) => reduce(ctx, 13));

registerShape('', ['ArgMax', 'ArgMin'], (ctx) => {
  const s = ctx.shape(0);
  const keepdims = ctx.attrInt('keepdims', 1) !== 0;
  const out = s ? reduceShape(s, [ctx.attrInt('axis', 0)], keepdims, false) : null;
  if (s && !out) ctx.warn('axis out of range');
  ctx.setOutput(0, tensor(ElemType.INT64, out));
});
