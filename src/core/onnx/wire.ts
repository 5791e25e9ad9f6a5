/**
 * A protobuf wire-format cursor over a ByteSource with absolute positions.
 *
 * Hand-written rather than protobufjs because protobufjs decodes from one in-memory buffer:
 * a 500 MB model would need 500 MB of RSS just to list its nodes. Here large payloads are
 * skipped by position and only their ranges are kept; tensor bytes are read when asked for.
 */
import type { ByteSource } from './byteSource';

export const enum WireType {
  VARINT = 0,
  FIXED64 = 1,
  LEN = 2,
  START_GROUP = 3,
  END_GROUP = 4,
  FIXED32 = 5,
}

/** Thrown on malformed wire data; the reader turns it into an OnnxFormatError naming the file. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WINDOW = 1 << 20;
/** The largest protobuf field number: 2^29 − 1. */
const MAX_FIELD = 0x1fffffff;
const utf8 = new TextDecoder('utf-8');
/** Node's UTF-8 decoder of a Buffer range, undocumented but stable since Node 0.x; toString when absent. */
const utf8Slice = (Buffer.prototype as Buffer & { utf8Slice?: (start: number, end: number) => string }).utf8Slice;

export class Cursor {
  /** A Buffer (a view, never a copy) so that {@link string} decodes in place, without a subarray per string. */
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  /** Absolute position of the next byte to read. */
  pos = 0;

  constructor(private readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  /** Makes bytes [pos, pos + n) available in `buf` (n may be cut short at end of file). */
  private ensure(n: number): void {
    const rel = this.pos - this.bufStart;
    if (rel >= 0 && rel + n <= this.buf.length) return;
    const want = Math.min(Math.max(n, WINDOW), this.source.size - this.pos);
    const bytes = this.source.read(this.pos, Math.max(0, want));
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.bufStart = this.pos;
  }

  /** Reads a varint as a JS number; exact below 2^53, negative int64 values are sign-corrected. */
  varint(limit: number): number {
    const start = this.pos;
    this.ensure(10);
    const buf = this.buf;
    let i = this.pos - this.bufStart;
    const max = Math.min(buf.length, i + 10, i + (limit - this.pos));
    let lo = 0;
    let shift = 0;
    let b = 0;
    // Low 28 bits fit a 32-bit integer safely; the rest goes into `hi`.
    for (; shift < 28; shift += 7) {
      if (i >= max) throw this.truncatedVarint(start, limit);
      b = buf[i++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = this.bufStart + i;
        return lo;
      }
    }
    if (i >= max) throw this.truncatedVarint(start, limit);
    b = buf[i++];
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >> 4;
    shift = 3;
    while (b >= 0x80) {
      if (i >= max) throw this.truncatedVarint(start, limit);
      b = buf[i++];
      if (shift < 32) hi |= (b & 0x7f) << shift;
      shift += 7;
    }
    this.pos = this.bufStart + i;
    if (hi >= 0) return hi * 4294967296 + (lo >>> 0);
    // Negative int64: negate in 32-bit halves; subtracting 2^64 in doubles would lose the low bits.
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * 4294967296 + nlo);
  }

  /** Reads a varint as an exact signed 64-bit BigInt (int64_data, where INT64_MAX sentinels are common). */
  varintBig(limit: number): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let n = 0; n < 10; n++) {
      if (this.pos >= limit) throw this.truncatedVarint(start, limit);
      this.ensure(1);
      const b = this.buf[this.pos - this.bufStart];
      this.pos++;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new WireError('malformed varint (more than 10 bytes)', start);
  }

  private truncatedVarint(start: number, limit: number): WireError {
    if (limit - start >= 10 && this.source.size - start >= 10) return new WireError('malformed varint (more than 10 bytes)', start);
    return new WireError('truncated data inside a varint', start);
  }

  fixed32(limit: number): number {
    this.need(4, limit);
    this.ensure(4);
    const i = this.pos - this.bufStart;
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + i, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  fixed64(limit: number): number {
    this.need(8, limit);
    this.ensure(8);
    const i = this.pos - this.bufStart;
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + i, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /**
   * Reads a field key; returns [fieldNumber, wireType]. A tag is a uint32 varint: at most 5 bytes,
   * field numbers 1 to 2^29 − 1 (https://protobuf.dev/programming-guides/encoding/). Anything
   * else is refused, as python's protobuf refuses it, instead of being read as some other field.
   */
  key(limit: number): [number, number] {
    const t = this.tag(limit);
    return [t >>> 3, t & 7];
  }

  /**
   * {@link key} as the raw tag (`field << 3 | wire`, below 2^32, so `tag >>> 3` and `tag & 7` split
   * it): the decoders' loops read one per field, and a tuple per field was a large share of the
   * garbage a cold model thread collects while reading a 100k-node graph (docs/opening-a-model.md).
   */
  tag(limit: number): number {
    const at = this.pos;
    const k = this.varint(limit);
    if (this.pos - at > 5) throw new WireError(`invalid protobuf tag: ${this.pos - at} bytes long (at most 5)`, at);
    const field = Math.floor(k / 8);
    const wire = k % 8;
    if (field === 0 || field > MAX_FIELD) throw new WireError(`invalid protobuf field number ${field} (field numbers run from 1 to ${MAX_FIELD})`, at);
    if (wire === WireType.START_GROUP || wire === WireType.END_GROUP || wire > 5) {
      throw new WireError(`invalid protobuf wire type ${wire}`, at);
    }
    return k;
  }

  /** Reads a length prefix and returns the absolute end of the payload, checked against `limit`. */
  lengthDelimited(limit: number): number {
    const at = this.pos;
    const len = this.varint(limit);
    if (len < 0 || this.pos + len > limit) {
      throw new WireError(`truncated or corrupt data: a field claims ${len} bytes but only ${Math.max(0, limit - this.pos)} remain`, at);
    }
    return this.pos + len;
  }

  string(limit: number): string {
    const end = this.lengthDelimited(limit);
    const len = end - this.pos;
    this.ensure(len);
    const i = this.pos - this.bufStart;
    const buf = this.buf;
    // TextDecoder drops a leading byte order mark and Buffer#toString keeps it: the rare name that
    // starts with one goes the old way, so every name reads as it always did.
    // utf8Slice is what Buffer#toString('utf8') calls after picking the encoding (protobufjs's
    // reader calls it the same way); a 100k-node graph has 400k strings to read.
    const s = len >= 3 && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf ? utf8.decode(buf.subarray(i, i + len))
      : utf8Slice ? utf8Slice.call(buf, i, i + len) : buf.toString('utf8', i, i + len);
    this.pos = end;
    return s;
  }

  /** Copies `len` bytes at the current position (used for small payloads only). */
  bytes(end: number): Uint8Array {
    const len = end - this.pos;
    this.ensure(len);
    const i = this.pos - this.bufStart;
    const out = this.buf.slice(i, i + len);
    this.pos = end;
    return out;
  }

  skip(wire: number, limit: number): void {
    switch (wire) {
      case WireType.VARINT:
        this.varint(limit);
        return;
      case WireType.FIXED64:
        this.need(8, limit);
        this.pos += 8;
        return;
      case WireType.FIXED32:
        this.need(4, limit);
        this.pos += 4;
        return;
      case WireType.LEN:
        this.pos = this.lengthDelimited(limit);
        return;
      default:
        throw new WireError(`invalid protobuf wire type ${wire}`, this.pos);
    }
  }

  private need(n: number, limit: number): void {
    if (this.pos + n > limit) throw new WireError('truncated data', this.pos);
  }
}
