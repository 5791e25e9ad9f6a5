/**
 * Ops that resize spatial axes from attributes or small constant inputs: Pad, Resize,
 * Upsample, DepthToSpace, SpaceToDepth, GridSample, Col2Im, CenterCropPad, AffineGrid, and
 * ImageDecoder's (height, width, channels) image.
 */
import type { Dim } from '../../shared/tensorTypes';
import { ElemType } from '../onnx/elemTypes';
import { NodeContext, tensor } from './context';
import { dimAdd, dimDiv, dimMul, dimSub, isKnown, normAxis, safeDim } from './dims';
import { registerShape } from './registry';

registerShape('', ['Pad'], (ctx) => {
  const s = ctx.shape(0);
  const elem = ctx.elem(0);
  if (!s) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  const pads = ctx.opset >= 11 ? ctx.inputInts(1) : (ctx.attrInts('pads') ?? ctx.attrInts('paddings'));
  // opset 18: optional axes input restricts pads to those axes.
  let axes: (number | null)[] = s.map((_, i) => i);
  if (ctx.opset >= 18 && ctx.has(3)) {
    const a = ctx.inputInts(3);
    axes = a ? a.map((x) => normAxis(x, s.length)) : [];
    if (!a) {
      ctx.setOutput(0, tensor(elem, s.map(() => null)));
      return;
    }
  }
  if (!pads || pads.length !== 2 * axes.length || axes.some((a) => a === null)) {
    if (pads) ctx.warn(`pads has ${pads.length} entries for ${axes.length} axes`);
    ctx.setOutput(0, tensor(elem, s.map(() => null)));
    return;
  }
  const out = s.slice();
  axes.forEach((a, i) => {
    // Negative pads crop.
    const total = pads[i] + pads[i + axes.length];
    out[a!] = total >= 0 ? dimAdd(s[a!], total) : dimSub(s[a!], -total);
  });
  ctx.setOutput(0, tensor(elem, out));
});

function scaled(d: Dim, scale: number): Dim {
  if (!Number.isFinite(scale) || scale < 0) return null;
  if (isKnown(d)) return safeDim(Math.floor(d * scale));
  if (Number.isInteger(scale)) return dimMul(d, scale);
  return null;
}

function resizeFrom(ctx: NodeContext, scales: number[] | null, sizes: Dim[] | null): void {
  const s = ctx.shape(0);
  const elem = ctx.elem(0);
  const rank = s?.length ?? sizes?.length ?? scales?.length ?? null;
  if (rank === null) {
    ctx.setOutput(0, tensor(elem, null));
    return;
  }
  // opset 18: `axes` says which dims scales/sizes refer to.
  const axesAttr = ctx.attrInts('axes');
  const axes = axesAttr ? axesAttr.map((a) => normAxis(a, rank)) : new Array(rank).fill(0).map((_, i) => i);
  const out: Dim[] = s ? s.slice() : new Array<Dim>(rank).fill(null);
  const given = sizes ?? scales;
  if (!given || given.length !== axes.length || axes.some((a) => a === null)) {
    ctx.setOutput(0, tensor(elem, out.map(() => null)));
    return;
  }
  const policy = ctx.attrString('keep_aspect_ratio_policy', 'stretch');
  if (sizes && policy !== 'stretch') {
    // not_larger / not_smaller pick one scale for all axes from the sizes.
    const ratios = axes.map((a, i) => (s && isKnown(s[a!]) && isKnown(sizes[i]) ? (sizes[i] as number) / (s[a!] as number) : NaN));
    const r = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
    axes.forEach((a) => (out[a!] = s && isKnown(s[a!]) && Number.isFinite(r) ? safeDim(Math.round((s[a!] as number) * r)) : null));
  } else {
    axes.forEach((a, i) => (out[a!] = sizes ? sizes[i] : scaled(s ? s[a!] : null, scales![i])));
  }
  ctx.setOutput(0, tensor(elem, out));
}

function floats(ctx: NodeContext, i: number): number[] | null {
  const v = ctx.value(i);
  return v && v.data.every(isKnown) ? (v.data as number[]) : null;
}

registerShape('', ['Resize'], (ctx) => {
  if (ctx.opset < 11) return resizeFrom(ctx, floats(ctx, 1), null);
  // An empty scales tensor (exporters pass one when giving sizes) means "use sizes".
  const scales = ctx.has(2) ? floats(ctx, 2) : null;
  const sizes = ctx.has(3) ? ctx.inputDims(3) : null;
  resizeFrom(ctx, scales && scales.length > 0 ? scales : null, sizes && sizes.length > 0 ? sizes : null);
});

registerShape('', ['Upsample'], (ctx) => {
  resizeFrom(ctx, ctx.opset >= 9 ? floats(ctx, 1) : ctx.attrFloats('scales'), null);
});

function blocks(ctx: NodeContext, toSpace: boolean): void {
  const s = ctx.shape(0);
  const b = ctx.attrInt('blocksize', 0);
  if (!s || s.length !== 4 || b < 1) {
    ctx.setOutput(0, tensor(ctx.elem(0), s && s.length === 4 ? [s[0], null, null, null] : null));
    return;
  }
  const [n, c, h, w] = s;
  ctx.setOutput(0, tensor(ctx.elem(0), toSpace
    ? [n, dimDiv(c, b * b), dimMul(h, b), dimMul(w, b)]
    : [n, dimMul(c, b * b), dimDiv(h, b), dimDiv(w, b)]));
}

registerShape('', ['DepthToSpace'], (ctx) => blocks(ctx, true));
registerShape('', ['SpaceToDepth'], (ctx) => blocks(ctx, false));

registerShape('', ['GridSample'], (ctx) => {
  // [N, C, H_in, W_in] sampled at grid [N, H_out, W_out, 2] gives [N, C, H_out, W_out].
  const x = ctx.shape(0);
  const grid = ctx.shape(1);
  const out = x && grid && grid.length === x.length ? [x[0], x[1], ...grid.slice(1, -1)] : null;
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

registerShape('', ['Col2Im'], (ctx) => {
  // Opset 18: [N, C * prod(block_shape), L] folded back into [N, C, ...image_shape].
  const x = ctx.shape(0);
  const image = ctx.inputDims(1);
  const block = ctx.inputInts(2);
  if (!x || x.length !== 3 || !image) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const c = block ? dimDiv(x[1], block.reduce((a, b) => a * b, 1)) : null;
  ctx.setOutput(0, tensor(ctx.elem(0), [x[0], c, ...image]));
});

registerShape('', ['CenterCropPad'], (ctx) => {
  // Opset 18: the chosen axes (all by default) take the sizes of the `shape` input.
  const s = ctx.shape(0);
  const target = ctx.inputDims(1);
  const rank = s?.length ?? null;
  if (rank === null) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const axes = (ctx.attrInts('axes') ?? s!.map((_, i) => i)).map((a) => normAxis(a, rank));
  const out = s!.slice();
  const fits = target && target.length === axes.length && axes.every((a) => a !== null);
  if (target && !fits) ctx.warn(`shape has ${target.length} values for ${axes.length} axes`);
  axes.forEach((a, i) => {
    if (a !== null) out[a] = fits ? target![i] : null;
  });
  ctx.setOutput(0, tensor(ctx.elem(0), out));
});

registerShape('', ['AffineGrid'], (ctx) => {
  // Opset 20: theta [N, 2, 3] with size [N, C, H, W] gives [N, H, W, 2]; [N, 3, 4] with
  // [N, C, D, H, W] gives [N, D, H, W, 3].
  const theta = ctx.shape(0);
  const size = ctx.inputDims(1);
  const sizeLen = size?.length ?? ctx.shape(1)?.[0] ?? null;
  const spatial = sizeLen === 4 || sizeLen === 5 ? sizeLen - 2 : theta?.length === 3 && isKnown(theta[1]) ? theta[1] : null;
  if (spatial !== 2 && spatial !== 3) {
    ctx.setOutput(0, tensor(ctx.elem(0), null));
    return;
  }
  const dims: Dim[] = size && size.length === spatial + 2 ? size.slice(2) : new Array<Dim>(spatial).fill(null);
  ctx.setOutput(0, tensor(ctx.elem(0), [size?.[0] ?? theta?.[0] ?? null, ...dims, spatial]));
});

registerShape('', ['ImageDecoder'], (ctx) => {
  // Opset 20: (height, width, channels) uint8; the size is only known after decoding.
  const channels = ctx.attrString('pixel_format', 'RGB') === 'Grayscale' ? 1 : 3;
  ctx.setOutput(0, tensor(ElemType.UINT8, [null, null, channels]));
});
