/**
 * Signal processing ops (opset 17, DFT's axis input at 20): DFT, STFT, the window generators and
 * MelWeightMatrix. Complex values are a trailing dimension of 2 (real, imaginary); see
 * https://onnx.ai/onnx/operators/onnx__DFT.html and onnx__STFT.html.
 */
import { ElemType } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import { NodeContext, tensor } from './context';
import { isKnown, normAxis, safeDim } from './dims';
import { registerShape } from './registry';

/** A scalar (or one-element) integer input, when folded. */
function scalarInput(ctx: NodeContext, i: number): number | null {
  const v = ctx.inputInts(i);
  return v && v.length === 1 ? v[0] : null;
}

/** Bins a one-sided transform of `n` points keeps: floor(n / 2) + 1. */
function oneSided(n: Dim): Dim {
  return isKnown(n) ? Math.floor(n / 2) + 1 : null;
}

registerShape('', ['DFT'], (ctx) => {
  const s = ctx.shape(0);
  const elem = ctx.elem(0);
  if (!s || s.length < 2) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  // Opset 20 moved axis to an optional scalar input (default -2); before, an attribute (default 1).
  let axis: number | null;
  if (ctx.opset >= 20) axis = ctx.has(2) ? scalarInput(ctx, 2) : -2;
  else axis = ctx.attrInt('axis', 1);
  // The last dimension holds the complex parts and cannot be transformed.
  const a = axis === null ? null : normAxis(axis, s.length);
  const out: Dim[] = [...s.slice(0, -1), 2];
  if (a === null || a === s.length - 1) {
    if (axis !== null) ctx.warn(`axis ${axis} is not a signal axis of a rank-${s.length} input`);
    ctx.setOutput(0, tensor(elem, out.map((d, i) => (i === out.length - 1 ? d : null))));
    return;
  }
  const length: Dim = ctx.has(1) ? scalarInput(ctx, 1) : s[a];
  out[a] = ctx.attrInt('onesided', 0) !== 0 ? oneSided(length) : length;
  ctx.setOutput(0, tensor(elem, out));
});

registerShape('', ['STFT'], (ctx) => {
  // signal [batch, length, 1 or 2] → [batch, frames, bins, 2].
  const s = ctx.shape(0);
  const step = scalarInput(ctx, 1);
  const window = ctx.has(2) ? ctx.shape(2) : null;
  const frame: Dim = ctx.has(3) ? scalarInput(ctx, 3) : window?.length === 1 ? window[0] : null;
  const length = s?.length === 3 ? s[1] : null;
  const frames = isKnown(length) && isKnown(frame) && step !== null && step > 0 && length >= frame
    ? Math.floor((length - frame) / step) + 1 : null;
  const bins = ctx.attrInt('onesided', 1) !== 0 ? oneSided(frame) : frame;
  ctx.setOutput(0, tensor(ctx.elem(0), s?.length === 3 ? [s[0], frames, bins, 2] : null));
});

registerShape('', ['HannWindow', 'HammingWindow', 'BlackmanWindow'], (ctx) => {
  const size = scalarInput(ctx, 0);
  ctx.setOutput(0, tensor(ctx.attrInt('output_datatype', ElemType.FLOAT), [size === null ? null : safeDim(size)]));
});

registerShape('', ['MelWeightMatrix'], (ctx) => {
  // [floor(dft_length / 2) + 1, num_mel_bins]
  const mels = scalarInput(ctx, 0);
  const dft = scalarInput(ctx, 1);
  ctx.setOutput(0, tensor(ctx.attrInt('output_datatype', ElemType.FLOAT), [
    dft === null ? null : oneSided(safeDim(dft)), mels === null ? null : safeDim(mels),
  ]));
});
