/**
 * Where each field of a protobuf message sits in the source bytes, without decoding payloads: what
 * lets the writer copy untouched nodes, initializers and unknown fields byte for byte.
 */
import { OnnxFormatError } from '../../errors';
import type { ByteSource } from '../byteSource';
import { Cursor, WireError, WireType } from '../wire';

export interface FieldSpan {
  field: number;
  wire: number;
  /** Offset of the field's key. */
  start: number;
  /** Offset of the payload (after the length prefix for LEN fields). */
  payloadStart: number;
  /** End of the field (exclusive). */
  end: number;
}

/** The fields of the message stored in `[start, end)`, in file order. */
export function scanFields(source: ByteSource, start: number, end: number, file = '<memory>'): FieldSpan[] {
  const c = new Cursor(source);
  c.pos = start;
  const out: FieldSpan[] = [];
  try {
    while (c.pos < end) {
      const at = c.pos;
      const [field, wire] = c.key(end);
      if (wire === WireType.LEN) {
        const e = c.lengthDelimited(end);
        out.push({ field, wire, start: at, payloadStart: c.pos, end: e });
        c.pos = e;
      } else {
        const payloadStart = c.pos;
        c.skip(wire, end);
        out.push({ field, wire, start: at, payloadStart, end: c.pos });
      }
    }
  } catch (err) {
    if (err instanceof WireError) throw new OnnxFormatError(file, `is not a valid ONNX model: ${err.message}`, err.offset);
    throw err;
  }
  return out;
}

/** The last occurrence of a LEN field (protobuf merges repeated occurrences of a message field into the last). */
export function lastMessageField(fields: readonly FieldSpan[], field: number): FieldSpan | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i].field === field && fields[i].wire === WireType.LEN) return fields[i];
  return undefined;
}
