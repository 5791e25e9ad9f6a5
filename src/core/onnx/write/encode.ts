/**
 * Encoding new ONNX messages (onnx.proto field numbers). Repeated scalars are written unpacked,
 * as the official onnx package writes them (proto2 default), so every reader accepts them.
 */
import type { OpsetImport } from '../types';
import type { Dim } from '../../../shared/tensorTypes';
import { ProtoWriter, type Piece } from './protoWriter';
import type { AttributeSpec, NewNode, NewTensor, NewValue } from './rewrite';

/** TensorProto fields. */
export const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9, docString: 12, externalData: 13, dataLocation: 14 } as const;
/** NodeProto fields. */
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, docString: 6, domain: 7 } as const;

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

export interface ExternalRef {
  location: string;
  offset: number;
  length: number;
}

/** TensorProto header fields (dims, type, name, doc) shared by inline and external tensors. */
function tensorHeader(w: ProtoWriter, t: Pick<NewTensor, 'name' | 'elemType' | 'dims' | 'docString'>): void {
  for (const d of t.dims) w.int64(TENSOR.dims, d);
  w.uint(TENSOR.dataType, t.elemType);
  w.string(TENSOR.name, t.name);
  if (t.docString) w.string(TENSOR.docString, t.docString);
}

export function externalDataEntries(w: ProtoWriter, ref: ExternalRef): void {
  for (const [key, value] of [['location', ref.location], ['offset', String(ref.offset)], ['length', String(ref.length)]]) {
    w.message(TENSOR.externalData, new ProtoWriter().string(1, key).string(2, value));
  }
  w.uint(TENSOR.dataLocation, 1);
}

/** A TensorProto with raw_data (the data piece is referenced, not copied) or pointing at external data. */
export function encodeTensor(t: NewTensor, external?: ExternalRef, data: Piece = t.data): ProtoWriter {
  const w = new ProtoWriter();
  tensorHeader(w, t);
  if (external) externalDataEntries(w, external);
  else w.bytes(TENSOR.rawData, data);
  return w;
}

export function encodeAttribute(a: AttributeSpec): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  switch (a.type) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int64(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'tensor': w.message(5, encodeTensor(a.value)); break;
    case 'floats': for (const v of a.value) w.float(7, v); break;
    case 'ints': for (const v of a.value) w.int64(8, v); break;
    case 'strings': for (const v of a.value) w.string(9, v); break;
  }
  return w.uint(20, ATTR_TYPE[a.type]);
}

export function encodeNode(n: NewNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(NODE.input, i);
  for (const o of n.outputs) w.string(NODE.output, o);
  if (n.name) w.string(NODE.name, n.name);
  w.string(NODE.opType, n.opType);
  for (const a of n.attributes ?? []) w.message(NODE.attribute, encodeAttribute(a));
  if (n.docString) w.string(NODE.docString, n.docString);
  if (n.domain) w.string(NODE.domain, n.domain);
  return w;
}

function encodeShape(shape: readonly Dim[]): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int64(1, d);
    else if (typeof d === 'string') dim.string(2, d);
    w.message(1, dim);
  }
  return w;
}

export function encodeValueInfo(v: NewValue): ProtoWriter {
  const w = new ProtoWriter().string(1, v.name);
  if (v.elemType !== undefined) {
    const tensorType = new ProtoWriter().uint(1, v.elemType);
    if (v.shape) tensorType.message(2, encodeShape(v.shape));
    w.message(2, new ProtoWriter().message(1, tensorType));
  }
  if (v.docString) w.string(3, v.docString);
  return w;
}

export function encodeOpset(o: OpsetImport): ProtoWriter {
  const w = new ProtoWriter();
  if (o.domain) w.string(1, o.domain);
  return w.int64(2, o.version);
}

export function encodeStringEntry(key: string, value: string): ProtoWriter {
  return new ProtoWriter().string(1, key).string(2, value);
}
