/**
 * IDX files (MNIST, Fashion-MNIST, EMNIST): magic 0x00 0x00 <type> <ndims>, then ndims big-endian
 * uint32 sizes, then big-endian data in C order. Often gzipped (.gz).
 * Format: http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT").
 */
import * as zlib from 'node:zlib';
import { isGzip } from './byteReader';
import { DatasetError, readDataFile } from './errors';
import { DTYPE_BYTES, elementCount, type NdArray } from './ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';
import { decodeNpyElements } from './npy';

const TYPE_CODES: Record<number, NumericDtype> = { 0x08: 'uint8', 0x09: 'int8', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };
const CODE_OF = Object.fromEntries(Object.entries(TYPE_CODES).map(([k, v]) => [v, Number(k)])) as Partial<Record<NumericDtype, number>>;

export interface IdxHeader {
  dtype: NumericDtype;
  shape: number[];
  /** Bytes before the data: 4 + 4 · ndims. */
  dataOffset: number;
}

/** True when the first 4 bytes look like an IDX magic number. */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] in TYPE_CODES && bytes[3] >= 1 && bytes[3] <= 4;
}

/** Needs the first 4 bytes to know how many more the header takes. */
export function idxHeaderLength(magic: Uint8Array, file: string): number {
  if (magic.length === 0) throw new DatasetError(file, 'is empty (0 bytes), not an IDX file');
  if (!looksLikeIdx(magic)) {
    const hex = Array.from(magic.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(file, `is not an IDX file (its magic number is ${hex}, expected 00 00 <type 08-0e> <1-4 dims>)`);
  }
  return 4 + 4 * magic[3];
}

export function parseIdxHeader(bytes: Uint8Array, file: string): IdxHeader {
  const dataOffset = idxHeaderLength(bytes, file);
  if (bytes.length < dataOffset) throw new DatasetError(file, 'is truncated inside its IDX header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, dataOffset);
  const shape = Array.from({ length: bytes[3] }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dtype: TYPE_CODES[bytes[2]], shape, dataOffset };
}

/** Decodes a whole IDX file held in memory (already gunzipped). */
export function parseIdx(bytes: Uint8Array, file: string): NdArray {
  const header = parseIdxHeader(bytes, file);
  const count = elementCount(header.shape);
  const need = count * DTYPE_BYTES[header.dtype];
  const have = bytes.length - header.dataOffset;
  if (have < need) throw new DatasetError(file, `is truncated: its header announces shape (${header.shape.join(', ')}), ${need} bytes of data, but only ${have} follow`);
  const data = decodeNpyElements(bytes.subarray(header.dataOffset), { dtype: header.dtype, littleEndian: false }, count);
  return { dtype: header.dtype, shape: header.shape, data } as NdArray;
}

/** Reads a whole IDX file, gunzipping it when it is gzip data (whatever its name). */
export async function readIdx(file: string): Promise<NdArray> {
  let bytes: Uint8Array = await readDataFile(file);
  if (isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (err) {
      throw new DatasetError(file, `is not valid gzip data: ${(err as Error).message.replace(/\.$/, '')}`);
    }
  }
  return parseIdx(bytes, file);
}

/** Encodes an array as IDX (tests build MNIST-like files with it). */
export function encodeIdx(array: NdArray): Uint8Array {
  const code = CODE_OF[array.dtype];
  if (code === undefined) throw new TypeError(`encodeIdx: IDX cannot hold ${array.dtype}`);
  const size = DTYPE_BYTES[array.dtype];
  const offset = 4 + 4 * array.shape.length;
  const out = new Uint8Array(offset + array.data.length * size);
  const view = new DataView(out.buffer);
  out.set([0, 0, code, array.shape.length]);
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const data = array.data as Exclude<NdArray['data'], BigInt64Array | BigUint64Array>;
  for (let i = 0; i < data.length; i++) {
    const at = offset + i * size;
    if (array.dtype === 'uint8') view.setUint8(at, data[i]);
    else if (array.dtype === 'int8') view.setInt8(at, data[i]);
    else if (array.dtype === 'int16') view.setInt16(at, data[i], false);
    else if (array.dtype === 'int32') view.setInt32(at, data[i], false);
    else if (array.dtype === 'float32') view.setFloat32(at, data[i], false);
    else view.setFloat64(at, data[i], false);
  }
  return out;
}
