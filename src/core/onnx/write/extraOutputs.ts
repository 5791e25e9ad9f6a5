/**
 * A copy of a model whose main graph has extra outputs: how activations are captured, since ORT
 * only returns graph outputs. The new outputs carry only a name (ValueInfoProto.name); ORT infers
 * their types, and the rest of the file is copied byte for byte.
 */
import { OnnxFormatError } from '../../errors';
import { BufferSource } from '../byteSource';
import { WireType } from '../wire';
import { lastMessageField, scanFields } from './fieldSpans';
import { concatBytes, encodeKey, encodeVarint, lengthDelimitedField, stringField } from './wireWriter';

/** Field numbers from onnx.proto: ModelProto.graph, GraphProto.output, ValueInfoProto.name. */
const MODEL_GRAPH = 7;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;

/** The model bytes with `names` appended to the main graph's outputs (in this order). */
export function withExtraOutputs(bytes: Uint8Array, names: readonly string[], file = '<memory>'): Uint8Array {
  if (names.length === 0) return bytes;
  // The last occurrence of ModelProto.graph: protobuf merges repeated occurrences, and appending to the last is what a merge would do.
  const graph = lastMessageField(scanFields(new BufferSource(bytes), 0, bytes.byteLength, file), MODEL_GRAPH);
  if (!graph) throw new OnnxFormatError(file, 'is not an ONNX model: it has no graph (ModelProto.graph is missing)');
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
