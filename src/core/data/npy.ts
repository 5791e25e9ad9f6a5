/**
 * NumPy `.npy` files: versions 1.0, 2.0 and 3.0, either byte order, C order only.
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 *
 *   "\x93NUMPY" major minor  header_len (u16 LE in 1.0, u32 LE in 2.0/3.0)  header  data
 *
 * The header is a Python dict literal, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`,
 * padded with spaces and a newline so the data starts on a 64-byte boundary.
 */
import { writeFloat32 } from './convert';
import { DatasetError, readDataFile } from './errors';
import { decodeFloat16, encodeFloat16 } from './float16';
import { arrayCtor, DTYPE_BYTES, elementCount, type NdArray, type TensorArray } from './ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** numpy kind+size ('f4') → project dtype name. */
const DESCR_TO_DTYPE: Record<string, NumericDtype> = {
  f2: 'float16', f4: 'float32', f8: 'float64',
  i1: 'int8', i2: 'int16', i4: 'int32', i8: 'int64',
  u1: 'uint8', u2: 'uint16', u4: 'uint32', u8: 'uint64',
  b1: 'bool',
};
const DTYPE_TO_DESCR = Object.fromEntries(Object.entries(DESCR_TO_DTYPE).map(([k, v]) => [v, k])) as Record<NumericDtype, string>;

/** What the header says; enough to read the data in slices (datasets stream rows from here). */
export interface NpyHeader {
  dtype: NumericDtype;
  shape: number[];
  littleEndian: boolean;
  /** Byte offset of the first element in the file. */
  dataOffset: number;
  /** Bytes of data the shape calls for. */
  dataBytes: number;
}

export interface EncodeNpyOptions {
  /** Default 'little'. */
  endian?: 'little' | 'big';
  /** Default: 1.0, or 2.0 when the header does not fit in 64 KiB. 3.0 only changes the header's text encoding. */
  version?: 1 | 2 | 3;
}

/** Smallest prefix that holds any header's length field; read this much, then `npyHeaderLength`. */
export const NPY_PREAMBLE_BYTES = 12;

/** Total bytes of magic + version + length + header, from the first 12 bytes of a file. */
export function npyHeaderLength(bytes: Uint8Array, file: string): number {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DatasetError(file, bytes.length === 0 ? 'is empty (0 bytes), not a .npy file' : 'is not a .npy file (it does not start with \\x93NUMPY)');
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw new DatasetError(file, `is a .npy file of format version ${major}.${bytes[7]}, which is not supported (1.0 to 3.0 are)`);
  if (major === 1) return 10 + (bytes[8] | (bytes[9] << 8));
  if (bytes.length < 12) throw new DatasetError(file, 'is truncated inside its .npy header');
  return 12 + (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 2 ** 24;
}

/** The header's dictionary: `descr` as written, the shape, where the data starts. */
export interface NpyDict {
  descr: string;
  shape: number[];
  dataOffset: number;
}

/** Reads the header dictionary; `bytes` must hold at least `npyHeaderLength` bytes. */
export function readNpyDict(bytes: Uint8Array, file: string): NpyDict {
  const dataOffset = npyHeaderLength(bytes, file);
  if (bytes.length < dataOffset) throw new DatasetError(file, `is truncated inside its .npy header (${bytes.length} of ${dataOffset} bytes)`);
  const start = bytes[6] === 1 ? 10 : 12;
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset)).trim();
  const bad = (why: string) => new DatasetError(file, `has an invalid .npy header (${why}): ${JSON.stringify(text.slice(0, 120))}`);
  if (!text.startsWith('{') || !text.endsWith('}')) throw bad('not a dictionary');

  const descrMatch = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  if (!descrMatch) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) throw new DatasetError(file, 'holds a structured (record) array, which cannot be used as a tensor');
    throw bad("no 'descr'");
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw bad("no 'fortran_order'");
  if (fortran[1] === 'True') {
    throw new DatasetError(file, 'is stored in Fortran (column-major) order, which is not supported; save it with np.save(f, np.ascontiguousarray(a))');
  }
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw bad("no 'shape'");
  const shape: number[] = [];
  for (const part of shapeMatch[1].split(',')) {
    const p = part.trim();
    if (p === '') continue;
    if (!/^\d+L?$/.test(p)) throw bad(`shape entry '${p}' is not a size`);
    shape.push(Number.parseInt(p, 10));
  }
  if (!Number.isSafeInteger(elementCount(shape))) throw bad('the shape is too large');
  return { descr: descrMatch[2], shape, dataOffset };
}

/** Parses the header of a numeric array; `bytes` must hold at least `npyHeaderLength` bytes. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const { descr, shape, dataOffset } = readNpyDict(bytes, file);
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  const key = m ? (m[2] === '?' ? 'b1' : `${m[2]}${m[3]}`) : '';
  const dtype = DESCR_TO_DTYPE[key];
  if (!dtype) throw new DatasetError(file, `holds elements of type '${descr}', which is not a numeric type ONNX Lens reads (float16/32/64, int8-64, uint8-64, bool)`);
  // '|' (not applicable) and '=' (native) are little-endian on every machine Node runs on.
  const littleEndian = m![1] !== '>';
  const dataBytes = elementCount(shape) * DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(dataBytes)) throw new DatasetError(file, 'has an invalid .npy header (the shape is too large)');
  return { dtype, shape, littleEndian, dataOffset, dataBytes };
}

/**
 * Decodes `count` elements of `header.dtype` from `bytes` (which start at an element boundary)
 * into a fresh, aligned typed array: one copy, plus a byte swap for big-endian files.
 */
export function decodeNpyElements(bytes: Uint8Array, header: Pick<NpyHeader, 'dtype' | 'littleEndian'>, count: number): TensorArray {
  const size = DTYPE_BYTES[header.dtype];
  // The Uint8Array constructor copies (Buffer#slice would only make a view of a pooled buffer).
  const copy = new Uint8Array(bytes.subarray(0, count * size));
  if (!header.littleEndian && size > 1) swapBytes(copy, size);
  if (header.dtype === 'float16') return decodeFloat16(new Uint16Array(copy.buffer, 0, count));
  const Ctor = arrayCtor(header.dtype);
  return new Ctor(copy.buffer, 0, count);
}

/**
 * Writes `count` elements of `header.dtype` from `bytes` into `out` as float32. Bytes already in
 * this machine's order and aligned for their type are read through a typed view, with no copy;
 * others go through `decodeNpyElements`. The streaming readers' per-batch path (arrayDataset.ts).
 */
export function writeNpyElementsFloat32(bytes: Uint8Array, header: Pick<NpyHeader, 'dtype' | 'littleEndian'>, count: number, out: Float32Array): void {
  const size = DTYPE_BYTES[header.dtype];
  const native = header.dtype !== 'float16' && (size === 1 || (header.littleEndian && bytes.byteOffset % size === 0));
  const Ctor = arrayCtor(header.dtype);
  writeFloat32(native ? new Ctor(bytes.buffer, bytes.byteOffset, count) : decodeNpyElements(bytes, header, count), out, 0);
}

/** Parses a whole `.npy` file held in memory. */
export function parseNpy(bytes: Uint8Array, file: string): NdArray {
  const header = parseNpyHeader(bytes, file);
  const available = bytes.length - header.dataOffset;
  if (available < header.dataBytes) {
    throw new DatasetError(file, `is truncated: its header announces shape (${header.shape.join(', ')}) of ${header.dtype}, ${header.dataBytes} bytes of data, but only ${available} follow`);
  }
  if (available > header.dataBytes) {
    throw new DatasetError(file, `has ${available - header.dataBytes} unexpected bytes after the ${header.dataBytes} bytes of data its header announces`);
  }
  const data = decodeNpyElements(bytes.subarray(header.dataOffset), header, elementCount(header.shape));
  return { dtype: header.dtype, shape: header.shape, data } as NdArray;
}

export async function readNpy(file: string): Promise<NdArray> {
  return parseNpy(await readDataFile(file), file);
}

/**
 * Magic, version, header length and the header dictionary for `descr` and `shape`, padded with
 * spaces and a newline so the data starts on a 64-byte boundary, as numpy writes it.
 */
export function npyPreamble(descr: string, shape: readonly number[], version?: 1 | 2 | 3): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const dictBytes = new TextEncoder().encode(dict);
  const v = version ?? (dictBytes.length + 11 > 0xffff ? 2 : 1);
  const preamble = v === 1 ? 10 : 12;
  const headerLen = Math.ceil((preamble + dictBytes.length + 1) / 64) * 64 - preamble;
  if (v === 1 && headerLen > 0xffff) throw new RangeError('encodeNpy: header too long for format 1.0');
  const out = new Uint8Array(preamble + headerLen);
  out.set(MAGIC, 0);
  out[6] = v;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  out.set(dictBytes, preamble);
  out.fill(0x20, preamble + dictBytes.length, preamble + headerLen - 1);
  out[preamble + headerLen - 1] = 0x0a;
  return out;
}

/** Encodes an array as `.npy` bytes, C order. float16 arrays (held as Float32Array) are rounded to half. */
export function encodeNpy(array: NdArray, options: EncodeNpyOptions = {}): Uint8Array {
  const { dtype, shape, data } = array;
  if (!(dtype in DTYPE_TO_DESCR)) throw new TypeError(`encodeNpy: unknown dtype '${String(dtype)}'`);
  const count = elementCount(shape);
  if (data.length !== count) throw new RangeError(`encodeNpy: shape (${shape.join(', ')}) needs ${count} elements, data has ${data.length}`);
  const size = DTYPE_BYTES[dtype];
  const little = (options.endian ?? 'little') === 'little';
  const order = size === 1 ? '|' : little ? '<' : '>';
  const head = npyPreamble(`${order}${DTYPE_TO_DESCR[dtype]}`, shape, options.version);
  const out = new Uint8Array(head.length + count * size);
  out.set(head, 0);
  const body = dtype === 'float16' ? encodeFloat16(data as Float32Array) : data;
  out.set(new Uint8Array(body.buffer, body.byteOffset, count * size), head.length);
  if (!little && size > 1) swapBytes(out.subarray(head.length), size);
  return out;
}

/** Reverses the bytes of each `size`-byte element in place (this machine is little-endian). */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
