/**
 * A weight's stored bytes, read in windows and never whole: the digest that says "identical"
 * without decoding anything, and the element windows that the value comparison walks in
 * lockstep. External data goes through the one resolver (core/onnx/externalData.ts: inside the
 * model's folder, regular files only; docs/security.md), so two 2 GB models diff with a few
 * windows in memory.
 */
import { createHash } from 'node:crypto';
import { elemTypeInfo, ElemType } from '../onnx/elemTypes';
import { externalTensorRange, readExternalRange } from '../onnx/externalData';
import { decodeTensor, elementCount, fromRaw, type TensorContext, type TensorValues } from '../onnx/tensorData';
import type { TensorInfo } from '../onnx/types';

/** Bytes per read: large enough that hashing dominates, small enough to stay out of the way. */
export const WINDOW_BYTES = 8 << 20;

/** Hands out byte windows of one tensor's stored payload. */
interface StoredBytes {
  length: number;
  read(offset: number, length: number): Uint8Array;
}

function storedBytes(ctx: TensorContext, t: TensorInfo): StoredBytes | null {
  const d = t.data;
  if (d.kind === 'raw') return { length: d.range.length, read: (o, n) => ctx.source.read(d.range.offset + o, n) };
  if (d.kind === 'external') {
    const { file, offset, length } = externalTensorRange(ctx.file, ctx.dir, t);
    return { length, read: (o, n) => readExternalRange(ctx.file, t.name, file, offset + o, n) };
  }
  return null;
}

/**
 * A digest of the tensor's type, dims and stored payload. Equal digests mean equal bytes; the
 * same values stored differently (raw_data against float_data) digest differently and are
 * found equal by the value comparison instead.
 */
export function tensorDigest(ctx: TensorContext, t: TensorInfo): string {
  const h = createHash('sha1');
  h.update(`${t.elemType}:${t.dims.join(',')}:`);
  const bytes = storedBytes(ctx, t);
  if (bytes) {
    h.update('raw:');
    for (let o = 0; o < bytes.length; o += WINDOW_BYTES) h.update(bytes.read(o, Math.min(WINDOW_BYTES, bytes.length - o)));
  } else if (t.data.kind === 'typed' || t.data.kind === 'strings') {
    h.update(`${t.data.kind}:${t.data.kind === 'typed' ? t.data.field : ''}:`);
    for (const r of t.data.ranges) {
      h.update(ctx.source.read(r.offset, r.length));
      h.update('|');
    }
  }
  return h.digest('hex');
}

/** Element types whose raw elements occupy whole bytes, so any element window is a byte window. */
function wholeByteSize(elemType: number): number {
  const bits = elemTypeInfo(elemType)?.bits ?? 0;
  return bits >= 8 && bits % 8 === 0 && elemType !== ElemType.STRING ? bits / 8 : 0;
}

/**
 * Reads a tensor's elements `[start, start + count)` as numbers. Raw and external payloads of
 * whole-byte types are read window by window; anything else (typed fields, 4-bit types) is
 * decoded once, which is fine: those are small or packed.
 */
export class ElementWindows {
  readonly count: number;
  private readonly bytes: StoredBytes | null;
  private readonly size: number;
  private decoded: TensorValues | null = null;

  constructor(
    private readonly ctx: TensorContext,
    private readonly t: TensorInfo,
  ) {
    this.count = elementCount(t.dims) * (t.elemType === ElemType.COMPLEX64 || t.elemType === ElemType.COMPLEX128 ? 2 : 1);
    this.size = wholeByteSize(t.elemType);
    this.bytes = this.size ? storedBytes(ctx, t) : null;
  }

  read(start: number, count: number): ArrayLike<number | bigint> {
    if (this.bytes) {
      const per = this.t.elemType === ElemType.COMPLEX64 || this.t.elemType === ElemType.COMPLEX128 ? this.size / 2 : this.size;
      const window = this.bytes.read(start * per, count * per);
      // fromRaw views an owned buffer; a window from a FileSource or a subarray is copied once.
      const owned = window.byteOffset === 0 && window.byteLength === window.buffer.byteLength ? window : new Uint8Array(window);
      const values = fromRaw(this.t.elemType, owned, count);
      if (values.length !== count) throw new RangeError(`tensor '${this.t.name}' is shorter than its shape`);
      return values as ArrayLike<number | bigint>;
    }
    this.decoded ??= decodeTensor(this.ctx, this.t).values;
    return sliceOf(this.decoded, start, count);
  }
}

function sliceOf(values: TensorValues, start: number, count: number): ArrayLike<number | bigint> {
  if (Array.isArray(values)) throw new TypeError('strings have no numeric elements');
  return (values as Exclude<TensorValues, string[]>).subarray(start, start + count) as ArrayLike<number | bigint>;
}
