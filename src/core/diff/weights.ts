/**
 * One weight in both models: identical bytes are found by digest (nothing decoded); otherwise,
 * when both hold the same number of numeric elements, the values are compared window by window
 * in lockstep (max abs difference, relative L2 change, cosine). A weight that cannot be read
 * (external data missing or refused) is reported with the reason, never thrown: the rest of
 * the diff stands.
 */
import { describeError } from '../errors';
import { elemTypeName, ElemType } from '../onnx/elemTypes';
import type { TensorContext } from '../onnx/tensorData';
import type { TensorInfo } from '../onnx/types';
import type { WeightDelta } from '../../shared/diffReport';
import { ErrorStats } from './errorStats';
import { ElementWindows, tensorDigest, WINDOW_BYTES } from './tensorBytes';

export interface WeightRef {
  ctx: TensorContext;
  t: TensorInfo;
}

/** Elements compared per window: WINDOW_BYTES of float32. */
const WINDOW_ELEMENTS = WINDOW_BYTES / 4;

export function compareWeights(a: WeightRef, b: WeightRef): WeightDelta {
  const base = {
    a: a.t.name, b: b.t.name,
    elemType: { a: elemTypeName(a.t.elemType), b: elemTypeName(b.t.elemType) },
    shape: { a: a.t.dims, b: b.t.dims },
  };
  const none = (note: string): WeightDelta => ({ ...base, identical: false, maxAbsDiff: null, relativeL2: null, cosine: null, note });
  let digests: [string, string];
  try {
    digests = [tensorDigest(a.ctx, a.t), tensorDigest(b.ctx, b.t)];
  } catch (err) {
    return none(describeError(err, a.ctx.file));
  }
  if (digests[0] === digests[1]) return { ...base, identical: true, maxAbsDiff: 0, relativeL2: 0, cosine: 1 };
  if (a.t.elemType === ElemType.STRING || b.t.elemType === ElemType.STRING) return none('string tensors are compared by their bytes only');
  let wa: ElementWindows;
  let wb: ElementWindows;
  try {
    wa = new ElementWindows(a.ctx, a.t);
    wb = new ElementWindows(b.ctx, b.t);
  } catch (err) {
    return none(describeError(err, a.ctx.file));
  }
  if (wa.count !== wb.count) return none(`the element count changed (${wa.count} → ${wb.count}), so values are not compared`);
  const stats = new ErrorStats();
  try {
    for (let start = 0; start < wa.count; start += WINDOW_ELEMENTS) {
      const n = Math.min(WINDOW_ELEMENTS, wa.count - start);
      stats.add(asNumbers(wa.read(start, n)), asNumbers(wb.read(start, n)));
    }
  } catch (err) {
    return none(describeError(err, a.ctx.file));
  }
  // The same values stored differently (float_data against raw_data) are identical in value.
  const sameValues = stats.noise === 0 && a.t.elemType === b.t.elemType && sameDims(a.t.dims, b.t.dims);
  return { ...base, identical: sameValues, maxAbsDiff: stats.maxAbs, relativeL2: stats.relativeL2, cosine: stats.cosine };
}

function asNumbers(v: ArrayLike<number | bigint>): ArrayLike<number> {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
  return v as ArrayLike<number>;
}

function sameDims(x: readonly number[], y: readonly number[]): boolean {
  return x.length === y.length && x.every((d, i) => d === y[i]);
}
