/**
 * String arrays in `.npy`: numpy's fixed-width unicode (`<U8`: 8 UTF-32 code points per element,
 * NUL-padded) and bytes (`|S8`: 8 bytes per element, NUL-padded, read as UTF-8), for string
 * tensor inputs and outputs (onnxruntime takes and gives JavaScript strings). Object arrays
 * (`|O`) are pickled Python objects and are never loaded.
 * Format: https://numpy.org/doc/stable/reference/arrays.dtypes.html
 */
import { DatasetError } from './errors';
import { elementCount, type NdArray } from './ndarray';
import { npyPreamble, parseNpy, readNpyDict } from './npy';

export interface StringArray {
  dtype: 'string';
  shape: number[];
  data: string[];
}

/** A numeric array or a string array, as a tensor input or output can be. */
export type AnyArray = NdArray | StringArray;

const utf8 = new TextDecoder('utf-8');

/** Parses a `.npy` of numbers or of fixed-width strings. */
export function parseNpyAny(bytes: Uint8Array, file: string): AnyArray {
  const { descr, shape, dataOffset } = readNpyDict(bytes, file);
  const m = /^([<>|=]?)([US])(\d+)$/.exec(descr);
  if (!m) {
    if (/^[<>|=]?O$/.test(descr)) throw new DatasetError(file, "holds Python objects (dtype 'O'), which are pickled and never loaded; save strings as a fixed-width array, e.g. np.array(list, dtype=str)");
    return parseNpy(bytes, file);
  }
  const unicode = m[2] === 'U';
  const width = Number(m[3]);
  const count = elementCount(shape);
  const itemBytes = unicode ? width * 4 : width;
  const dataBytes = count * itemBytes;
  const available = bytes.length - dataOffset;
  if (!Number.isSafeInteger(dataBytes) || available !== dataBytes) {
    throw new DatasetError(file, `holds ${available} bytes of data where its header announces ${count} strings of type '${descr}' (${dataBytes} bytes)`);
  }
  const big = m[1] === '>';
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataOffset, dataBytes);
  const data = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const at = i * itemBytes;
    if (unicode) {
      let text = '';
      for (let c = 0; c < width; c++) {
        const cp = view.getUint32(at + c * 4, !big);
        if (cp === 0) break;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new DatasetError(file, `holds an invalid unicode code point ${cp} in string ${i}`);
        text += String.fromCodePoint(cp);
      }
      data[i] = text;
    } else {
      const raw = bytes.subarray(dataOffset + at, dataOffset + at + itemBytes);
      const end = raw.indexOf(0);
      data[i] = utf8.decode(end < 0 ? raw : raw.subarray(0, end));
    }
  }
  return { dtype: 'string', shape, data };
}

/** `.npy` bytes of a string array, as numpy's `<U{longest}` (what np.array(list_of_str) gives). */
export function encodeNpyStrings(array: StringArray): Uint8Array {
  const count = elementCount(array.shape);
  if (array.data.length !== count) throw new RangeError(`encodeNpyStrings: shape (${array.shape.join(', ')}) needs ${count} strings, data has ${array.data.length}`);
  const points = array.data.map((s) => Array.from(s, (c) => c.codePointAt(0)!));
  let width = 1;
  for (const p of points) width = Math.max(width, p.length);
  const head = npyPreamble(`<U${width}`, array.shape);
  const out = new Uint8Array(head.length + count * width * 4);
  out.set(head, 0);
  const view = new DataView(out.buffer, head.length);
  points.forEach((p, i) => p.forEach((cp, c) => view.setUint32((i * width + c) * 4, cp, true)));
  return out;
}
