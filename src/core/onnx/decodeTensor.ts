/** TensorProto / SparseTensorProto decoding that records where data lives instead of reading it. */
import type { ByteRange, SparseTensorInfo, TensorData, TensorInfo, TypedField } from './types';
import { Cursor, WireError, WireType } from './wire';

const TYPED_FIELDS: Record<number, TypedField> = {
  4: 'float_data',
  5: 'int32_data',
  7: 'int64_data',
  10: 'double_data',
  11: 'uint64_data',
};

/** Reads a repeated int64 field that may be packed or not (proto2 writers differ). */
export function readInt64s(c: Cursor, wire: number, limit: number, out: number[]): void {
  if (wire === WireType.LEN) {
    const end = c.lengthDelimited(limit);
    while (c.pos < end) out.push(c.varint(end));
  } else if (wire === WireType.VARINT) {
    out.push(c.varint(limit));
  } else {
    c.skip(wire, limit);
  }
}

export function decodeTensor(c: Cursor, end: number): TensorInfo {
  const start = c.pos;
  let name = '';
  let elemType = 0;
  const dims: number[] = [];
  let docString = '';
  let raw: ByteRange | undefined;
  let typed: { field: TypedField; ranges: ByteRange[]; unpackedCount: number } | undefined;
  const strings: ByteRange[] = [];
  const external: Record<string, string> = {};
  let dataLocation = 0;
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1) readInt64s(c, wire, end, dims);
    else if (field === 2 && wire === WireType.VARINT) elemType = c.varint(end);
    else if (field === 8 && wire === WireType.LEN) name = c.string(end);
    else if (field === 12 && wire === WireType.LEN) docString = c.string(end);
    else if (field === 14 && wire === WireType.VARINT) dataLocation = c.varint(end);
    else if (field === 9 && wire === WireType.LEN) {
      const e = c.lengthDelimited(end);
      raw = { offset: c.pos, length: e - c.pos };
      c.pos = e;
    } else if (field === 6 && wire === WireType.LEN) {
      const e = c.lengthDelimited(end);
      strings.push({ offset: c.pos, length: e - c.pos });
      c.pos = e;
    } else if (field === 13 && wire === WireType.LEN) {
      const e = c.lengthDelimited(end);
      const [k, v] = decodeStringPair(c, e);
      external[k] = v;
    } else if (TYPED_FIELDS[field] !== undefined) {
      const f = TYPED_FIELDS[field];
      typed ??= { field: f, ranges: [], unpackedCount: 0 };
      if (typed.field !== f) throw new WireError(`tensor '${name}' stores data in both ${typed.field} and ${f}`, start);
      if (wire === WireType.LEN) {
        const e = c.lengthDelimited(end);
        typed.ranges.push({ offset: c.pos, length: e - c.pos });
        c.pos = e;
      } else {
        // An unpacked element's value bytes read exactly like a one-element packed payload.
        const at = c.pos;
        c.skip(wire, end);
        typed.ranges.push({ offset: at, length: c.pos - at });
        typed.unpackedCount++;
      }
    } else c.skip(wire, end);
  }
  for (const d of dims) {
    if (d < 0 || !Number.isSafeInteger(d)) throw new WireError(`tensor '${name}' has an invalid dimension ${d}`, start);
  }
  let data: TensorData = { kind: 'empty' };
  if (dataLocation === 1 || external.location !== undefined) {
    if (external.location === undefined) throw new WireError(`tensor '${name}' is marked external but has no location`, start);
    // Plain decimal digits only: Number() would also take '0x10' or '1e3', which onnxruntime
    // (std::stoll) reads differently, and the range checked must be the range ORT reads.
    const decimal = (v: string | undefined) => (v === undefined ? undefined : /^[0-9]{1,16}$/.test(v.trim()) ? Number(v.trim()) : NaN);
    const offset = decimal(external.offset) ?? 0;
    const length = decimal(external.length);
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
      throw new WireError(`tensor '${name}' has an invalid external offset/length`, start);
    }
    data = { kind: 'external', location: external.location, offset, length, checksum: external.checksum };
  } else if (raw) data = { kind: 'raw', range: raw };
  else if (typed) data = { kind: 'typed', ...typed };
  else if (strings.length) data = { kind: 'strings', ranges: strings };
  return { name, elemType, dims, docString, data };
}

export function decodeSparseTensor(c: Cursor, end: number): SparseTensorInfo {
  let values: TensorInfo | undefined;
  let indices: TensorInfo | undefined;
  const dims: number[] = [];
  const start = c.pos;
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.LEN) values = decodeTensor(c, c.lengthDelimited(end));
    else if (field === 2 && wire === WireType.LEN) indices = decodeTensor(c, c.lengthDelimited(end));
    else if (field === 3) readInt64s(c, wire, end, dims);
    else c.skip(wire, end);
  }
  if (!values || !indices) throw new WireError('sparse tensor without values or indices', start);
  return { values, indices, dims };
}

/** StringStringEntryProto: key = 1, value = 2. */
export function decodeStringPair(c: Cursor, end: number): [string, string] {
  let key = '';
  let value = '';
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.LEN) key = c.string(end);
    else if (field === 2 && wire === WireType.LEN) value = c.string(end);
    else c.skip(wire, end);
  }
  return [key, value];
}
