/**
 * Convolutions and pooling. Output sizes follow the formulas in the ONNX operator docs
 * (https://onnx.ai/onnx/operators/onnx__Conv.html, ...AveragePool.html): explicit pads,
 * auto_pad SAME_UPPER/SAME_LOWER (ceil(in / stride)) and VALID, dilations, ceil_mode.
 * ceil_mode uses the plain ceil of the documented formula, as onnx's own shape inference does.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { dimAdd, dimMul, dimSub, isKnown, safeDim } from './dims';
import { registerShape } from './registry';

interface WindowParams {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** begin pads then end pads, one per spatial axis each */
  pads: number[];
  autoPad: string;
}

function windowParams(ctx: NodeContext, spatial: number, kernelFromWeights: Dim[] | null): WindowParams | null {
  const kernel = ctx.attrInts('kernel_shape') ?? kernelFromWeights?.map((d) => (isKnown(d) ? d : -1)) ?? null;
  if (!kernel || kernel.length !== spatial || kernel.some((k) => k < 1)) {
    if (kernel) ctx.warn(`kernel_shape ${JSON.stringify(kernel)} does not fit ${spatial} spatial axes`);
    return null;
  }
  const ones = () => new Array<number>(spatial).fill(1);
  const strides = ctx.attrInts('strides') ?? ones();
  const dilations = ctx.attrInts('dilations') ?? ones();
  const pads = ctx.attrInts('pads') ?? new Array<number>(2 * spatial).fill(0);
  if (strides.length !== spatial || dilations.length !== spatial || pads.length !== 2 * spatial
    || strides.some((s) => s < 1) || dilations.some((d) => d < 1) || pads.some((p) => p < 0)) {
    ctx.warn('strides/dilations/pads do not match the kernel rank or are out of range');
    return null;
  }
  return { kernel, strides, dilations, pads, autoPad: ctx.attrString('auto_pad', 'NOTSET') };
}

/** One spatial output size of Conv/Pool; symbolic inputs survive only when stride is 1. */
export function windowOutput(input: Dim, p: WindowParams, axis: number, ceilMode: boolean): Dim {
  const spatial = p.kernel.length;
  const s = p.strides[axis];
  const effK = (p.kernel[axis] - 1) * p.dilations[axis] + 1;
  if (p.autoPad === 'SAME_UPPER' || p.autoPad === 'SAME_LOWER') {
    if (s === 1) return input;
    return isKnown(input) ? Math.ceil(input / s) : null;
  }
  const padSum = p.autoPad === 'VALID' ? 0 : p.pads[axis] + p.pads[axis + spatial];
  if (isKnown(input)) {
    const span = input + padSum - effK;
    if (span < 0) return null;
    return safeDim((ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1);
  }
  if (s !== 1 || input === null) return null;
  const delta = padSum - effK + 1;
  return delta >= 0 ? dimAdd(input, delta) : dimSub(input, -delta);
}

function convLike(ctx: NodeContext, x: number, w: number, outElem: number): void {
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  const rank = xs?.length ?? ws?.length ?? null;
  if (rank === null || rank < 3) {
    ctx.setOutput(0, tensor(outElem, null));
    return;
  }
  const spatial = rank - 2;
  const out: Dim[] = [xs?.[0] ?? null, ws?.[0] ?? null];
  const p = windowParams(ctx, spatial, ws ? ws.slice(2) : null);
  for (let i = 0; i < spatial; i++) out.push(p && xs ? windowOutput(xs[i + 2], p, i, false) : null);
  ctx.setOutput(0, tensor(outElem, out));
}

registerShape('', ['Conv', 'DeformConv'], (ctx) => convLike(ctx, 0, 1, ctx.elem(0)));
registerShape('', ['ConvInteger'], (ctx) => convLike(ctx, 0, 1, ElemType.INT32));
registerShape('', ['QLinearConv'], (ctx) => convLike(ctx, 0, 3, ctx.elem(7) || ctx.elem(0)));
registerShape('com.microsoft', ['FusedConv'], (ctx) => convLike(ctx, 0, 1, ctx.elem(0)));

registerShape('', ['ConvTranspose'], (ctx) => {
  const xs = ctx.shape(0);
  const ws = ctx.shape(1);
  const elem = ctx.elem(0);
  const rank = xs?.length ?? ws?.length ?? null;
  if (rank === null || rank < 3) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const spatial = rank - 2;
  const group = ctx.attrInt('group', 1);
  const out: Dim[] = [xs?.[0] ?? null, group >= 1 ? dimMul(ws?.[1] ?? null, group) : null];
  const explicit = ctx.attrInts('output_shape');
  if (explicit && explicit.length >= spatial) {
    // output_shape may list only spatial dims or the full shape; its tail is the spatial part.
    for (const d of explicit.slice(explicit.length - spatial)) out.push(safeDim(d));
    ctx.setOutput(0, tensor(elem, out));
    return;
  }
  const p = windowParams(ctx, spatial, ws ? ws.slice(2) : null);
  const outPad = ctx.attrInts('output_padding') ?? new Array<number>(spatial).fill(0);
  for (let i = 0; i < spatial; i++) {
    const input = xs?.[i + 2] ?? null;
    if (!p || outPad.length !== spatial) {
      out.push(null);
      continue;
    }
    const s = p.strides[i];
    if (p.autoPad === 'SAME_UPPER' || p.autoPad === 'SAME_LOWER') {
      out.push(dimMul(input, s));
      continue;
    }
    const effK = (p.kernel[i] - 1) * p.dilations[i] + 1;
    const pads = p.autoPad === 'VALID' ? 0 : p.pads[i] + p.pads[i + spatial];
    // out = stride * (in - 1) + output_padding + ((kernel - 1) * dilation + 1) - pads
    const extra = outPad[i] + effK - pads;
    if (isKnown(input)) out.push(input >= 1 && s * (input - 1) + extra >= 0 ? safeDim(s * (input - 1) + extra) : null);
    else if (input !== null && s === 1) out.push(extra - 1 >= 0 ? dimAdd(input, extra - 1) : dimSub(input, 1 - extra));
    else out.push(null);
  }
  ctx.setOutput(0, tensor(elem, out));
});

function pool(ctx: NodeContext): void {
  const xs = ctx.shape(0);
  const elem = ctx.elem(0);
  if (!xs || xs.length < 3) {
    ctx.setOutput(0, tensor(elem, null));
    ctx.setOutput(1, tensor(ElemType.INT64, null));
    return;
  }
  const spatial = xs.length - 2;
  const p = windowParams(ctx, spatial, null);
  const ceilMode = ctx.attrInt('ceil_mode', 0) !== 0;
  const out: Dim[] = [xs[0], xs[1]];
  for (let i = 0; i < spatial; i++) out.push(p ? windowOutput(xs[i + 2], p, i, ceilMode) : null);
  ctx.setOutput(0, tensor(elem, out));
  ctx.setOutput(1, tensor(ElemType.INT64, out)); // MaxPool's Indices
}

registerShape('', ['MaxPool', 'AveragePool', 'LpPool'], pool);

registerShape('', ['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'], (ctx) => {
  const xs = ctx.shape(0);
  ctx.setOutput(0, tensor(ctx.elem(0), xs && xs.length >= 2 ? [xs[0], xs[1], ...xs.slice(2).map(() => 1)] : null));
});

registerShape('', ['MaxRoiPool'], (ctx) => {
  const pooled = ctx.attrInts('pooled_shape');
  const xs = ctx.shape(0);
  const rois = ctx.shape(1);
  ctx.setOutput(0, tensor(ctx.elem(0), pooled && pooled.length === 2 ? [rois?.[0] ?? null, xs?.[1] ?? null, ...pooled] : null));
});

registerShape('', ['RoiAlign'], (ctx) => {
  const xs = ctx.shape(0);
  const rois = ctx.shape(1);
  const h = ctx.attrInt('output_height', 1);
  const w = ctx.attrInt('output_width', 1);
  ctx.setOutput(0, tensor(ctx.elem(0), [rois?.[0] ?? null, xs?.[1] ?? null, h, w]));
});

registerShape('', ['MaxUnpool'], (ctx) => {
  const xs = ctx.shape(0);
  if (ctx.has(2)) {
    // The output_shape input decides the shape; when its value is not known statically the
    // shape is unknown (the default below would be wrong, not merely unknown: issue 13).
    const explicit = ctx.inputDims(2);
    ctx.setOutput(0, tensor(ctx.elem(0), explicit ?? (xs ? xs.map(() => null) : null)));
    return;
  }
  if (!xs || xs.length < 3) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const spatial = xs.length - 2;
  const p = windowParams(ctx, spatial, null);
  const out: Dim[] = [xs[0], xs[1]];
  for (let i = 0; i < spatial; i++) {
    const d = xs[i + 2];
    // Inverse of MaxPool: (in - 1) * stride + kernel - pads
    out.push(p && isKnown(d) ? safeDim((d - 1) * p.strides[i] + p.kernel[i] - p.pads[i] - p.pads[i + spatial]) : null);
  }
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});
