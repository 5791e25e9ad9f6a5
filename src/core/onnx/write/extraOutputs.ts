/**
 * A copy of a model whose main graph has extra outputs: how activations are captured, since ORT
 * only returns graph outputs. The new outputs carry only a name (ValueInfoProto.name); ORT infers
 * their types, and the rest of the file is copied byte for byte.
 */
import { OnnxFormatError } from '../../errors';
import { BufferSource } from '../byteSource';
import { Cursor, WireError, WireType } from '../wire';
import { concatBytes, encodeKey, encodeVarint, lengthDelimitedField, stringField } from './wireWriter';

/** Field numbers from onnx.proto: ModelProto.graph, GraphProto.output, ValueInfoProto.name. */
const MODEL_GRAPH = 7;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;

interface FieldSpan {
  /** Offset of the field's key. */
  start: number;
  /** Offset of the payload and its end. */
  payloadStart: number;
  end: number;
}

/** The last occurrence of ModelProto.graph (protobuf merges repeated occurrences; appending to the last is what a merge would do). */
function findGraphField(bytes: Uint8Array, file: string): FieldSpan {
  const cursor = new Cursor(new BufferSource(bytes));
  let found: FieldSpan | undefined;
  try {
    while (cursor.pos < bytes.byteLength) {
      const start = cursor.pos;
      const [field, wire] = cursor.key(bytes.byteLength);
      if (field === MODEL_GRAPH && wire === WireType.LEN) {
        const end = cursor.lengthDelimited(bytes.byteLength);
        found = { start, payloadStart: cursor.pos, end };
        cursor.pos = end;
      } else {
        cursor.skip(wire, bytes.byteLength);
      }
    }
  } catch (err) {
    if (err instanceof WireError) throw new OnnxFormatError(file, `is not a valid ONNX model: ${err.message}`, err.offset);
    throw err;
  }
  if (!found) throw new OnnxFormatError(file, 'is not an ONNX model: it has no graph (ModelProto.graph is missing)');
  return found;
}

/** The model bytes with `names` appended to the main graph's outputs (in this order). */
export function withExtraOutputs(bytes: Uint8Array, names: readonly string[], file = '<memory>'): Uint8Array {
  if (names.length === 0) return bytes;
  const graph = findGraphField(bytes, file);
  const added = concatBytes(names.map((name) => lengthDelimitedField(GRAPH_OUTPUT, stringField(VALUE_INFO_NAME, name))));
  const graphLength = graph.end - graph.payloadStart + added.byteLength;
  return concatBytes([
    bytes.subarray(0, graph.start),
    encodeKey(MODEL_GRAPH, WireType.LEN),
    encodeVarint(graphLength),
    bytes.subarray(graph.payloadStart, graph.end),
    added,
    bytes.subarray(graph.end),
  ]);
}
