/**
 * The ONNX model as read from disk: structure decoded, tensor payloads left where they are.
 *
 * Mirrors onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) but keeps only
 * byte ranges for anything that can be large (raw_data, typed repeated data, external data),
 * so reading a multi-GB model costs memory proportional to its structure, not its weights.
 */
import type { Dim } from '../../shared/tensorTypes';

/** A byte range in the model file (absolute offset). */
export interface ByteRange {
  offset: number;
  length: number;
}

/** TensorProto typed repeated fields (field numbers in onnx.proto). */
export type TypedField = 'float_data' | 'int32_data' | 'string_data' | 'int64_data' | 'double_data' | 'uint64_data';

/** Where a tensor's elements live. Nothing here has been read yet. */
export type TensorData =
  | { kind: 'raw'; range: ByteRange }
  /** Typed repeated field; each range reads as a packed payload (an unpacked element is a one-element range). */
  | { kind: 'typed'; field: TypedField; ranges: ByteRange[]; unpackedCount: number }
  | { kind: 'strings'; ranges: ByteRange[] }
  | { kind: 'external'; location: string; offset: number; length: number | undefined; checksum?: string }
  | { kind: 'empty' };

export interface TensorInfo {
  name: string;
  /** TensorProto.DataType code; see elemTypes.ts for names and sizes. */
  elemType: number;
  dims: number[];
  docString: string;
  data: TensorData;
}

export interface SparseTensorInfo {
  values: TensorInfo;
  indices: TensorInfo;
  dims: number[];
}

export type TypeInfo =
  | { kind: 'tensor'; elemType: number; shape: Dim[] | null }
  | { kind: 'sparse_tensor'; elemType: number; shape: Dim[] | null }
  | { kind: 'sequence'; elem: TypeInfo }
  | { kind: 'map'; keyType: number; value: TypeInfo }
  | { kind: 'optional'; elem: TypeInfo }
  | { kind: 'unknown' };

export interface ValueInfo {
  name: string;
  type: TypeInfo;
  docString: string;
}

/** AttributeProto.AttributeType codes. */
export const enum AttrType {
  UNDEFINED = 0, FLOAT = 1, INT = 2, STRING = 3, TENSOR = 4, GRAPH = 5, SPARSE_TENSOR = 11, TYPE_PROTO = 13,
  FLOATS = 6, INTS = 7, STRINGS = 8, TENSORS = 9, GRAPHS = 10, SPARSE_TENSORS = 12, TYPE_PROTOS = 14,
}

export interface AttributeInfo {
  name: string;
  type: AttrType;
  docString: string;
  /** Set in function bodies: the attribute takes the value of the caller's attribute of this name. */
  refAttrName?: string;
  f?: number;
  /** int64 attributes: exact when |i| < 2^53, otherwise the nearest double (e.g. INT64_MAX in Slice ends). */
  i?: number;
  s?: string;
  t?: TensorInfo;
  g?: GraphInfo;
  sparseTensor?: SparseTensorInfo;
  tp?: TypeInfo;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  tensors?: TensorInfo[];
  graphs?: GraphInfo[];
  sparseTensors?: SparseTensorInfo[];
  typeProtos?: TypeInfo[];
}

export interface NodeInfo {
  name: string;
  opType: string;
  /** '' for the default operator set, however the file spells it (core/onnx/domain.ts). */
  domain: string;
  overload: string;
  inputs: string[];
  outputs: string[];
  attributes: AttributeInfo[];
  docString: string;
}

export interface GraphInfo {
  name: string;
  docString: string;
  nodes: NodeInfo[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  valueInfo: ValueInfo[];
  initializers: TensorInfo[];
  sparseInitializers: SparseTensorInfo[];
}

export interface OpsetImport {
  /** '' for the default operator set, however the file spells it (core/onnx/domain.ts). */
  domain: string;
  version: number;
}

export interface FunctionInfo {
  name: string;
  /** Normalised like NodeInfo.domain, so a call finds its function by (domain, name). */
  domain: string;
  overload: string;
  inputs: string[];
  outputs: string[];
  attributes: string[];
  attributeProtos: AttributeInfo[];
  nodes: NodeInfo[];
  opsets: OpsetImport[];
  valueInfo: ValueInfo[];
  docString: string;
}

export interface ModelInfo {
  irVersion: number;
  opsets: OpsetImport[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph: GraphInfo;
  metadata: { key: string; value: string }[];
  functions: FunctionInfo[];
  trainingInfoCount: number;
}
