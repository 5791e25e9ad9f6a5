/**
 * Building protobuf messages as a list of pieces rather than one buffer: a piece is either bytes
 * made here or a span of an existing file (the source model, an external data file) that is copied
 * only when the output is written. So rewriting a 2 GB model never holds its weights in memory, and
 * untouched fields come out byte for byte as they went in.
 */
import type { FolderFile } from '../../files/folderFile';
import { WireType } from '../wire';
import { encodeInt64, encodeKey, encodeVarint, varintSize } from './wireWriter';

/** Bytes `[offset, offset + length)` of the source model (`file` undefined) or of another file. */
export interface Span {
  offset: number;
  length: number;
  /** A file other than the source model (external data being relocated), resolved by core/onnx/externalData.ts. */
  file?: FolderFile;
}

export type Piece = Uint8Array | Span;

export function pieceLength(p: Piece): number {
  return p instanceof Uint8Array ? p.byteLength : p.length;
}

const utf8 = new TextEncoder();

export class ProtoWriter {
  readonly pieces: Piece[] = [];
  private size = 0;

  get byteLength(): number {
    return this.size;
  }

  /** Appends a piece as is (a copied field, key and payload included). Adjacent source spans merge. */
  raw(p: Piece): this {
    const len = pieceLength(p);
    if (len === 0) return this;
    const last = this.pieces[this.pieces.length - 1];
    if (!(p instanceof Uint8Array) && last && !(last instanceof Uint8Array) && last.file === p.file && last.offset + last.length === p.offset) {
      this.pieces[this.pieces.length - 1] = { ...last, length: last.length + p.length };
    } else {
      this.pieces.push(p);
    }
    this.size += len;
    return this;
  }

  /** An unsigned varint field (uint64, enums, non-negative int64/int32). */
  uint(field: number, value: number): this {
    return this.raw(encodeKey(field, WireType.VARINT)).raw(encodeVarint(value));
  }

  /** An int64 (or int32) field: negative values take ten bytes, as protobuf writes them. */
  int64(field: number, value: number | bigint): this {
    return this.raw(encodeKey(field, WireType.VARINT)).raw(encodeInt64(value));
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.raw(encodeKey(field, WireType.FIXED32)).raw(b);
  }

  /** Packed repeated int64. */
  packedInt64(field: number, values: readonly (number | bigint)[]): this {
    const encoded = values.map((v) => encodeInt64(v));
    this.lengthPrefix(field, encoded.reduce((n, e) => n + e.byteLength, 0));
    for (const e of encoded) this.raw(e);
    return this;
  }

  /** Packed repeated float. */
  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A length-delimited field whose payload is one piece (held by reference, not copied). */
  bytes(field: number, payload: Piece): this {
    return this.lengthPrefix(field, pieceLength(payload)).raw(payload);
  }

  /** A nested message; `m` must be complete (its size is read now). */
  message(field: number, m: ProtoWriter): this {
    this.lengthPrefix(field, m.size);
    for (const p of m.pieces) this.raw(p);
    return this;
  }

  private lengthPrefix(field: number, length: number): this {
    return this.raw(encodeKey(field, WireType.LEN)).raw(encodeVarint(length));
  }
}

/** Bytes a length-delimited field with a payload of `length` bytes takes (key included). */
export function lengthDelimitedSize(field: number, length: number): number {
  return varintSize(field * 8 + WireType.LEN) + varintSize(length) + length;
}
