/** ModelProto / GraphProto / NodeProto / AttributeProto / TypeProto decoding (field numbers from onnx.proto). */
import { decodeSparseTensor, decodeStringPair, decodeTensor, readInt64s } from './decodeTensor';
import type { AttributeInfo, FunctionInfo, GraphInfo, ModelInfo, NodeInfo, OpsetImport, TypeInfo, ValueInfo } from './types';
import type { Dim } from '../../shared/tensorTypes';
import { normalizeDomain } from './domain';
import { Cursor, WireError, WireType } from './wire';

/** AttributeProto fields that are length-delimited (strings, messages); anything else on them is skipped. */
const ATTR_LEN_FIELDS = new Set([1, 4, 5, 6, 9, 10, 11, 13, 14, 15, 21, 22, 23]);

/** Subgraph nesting deeper than this is refused: it only happens in hostile files and would exhaust the stack. */
const MAX_DEPTH = 64;

export function decodeModel(c: Cursor, end: number): ModelInfo & { hasGraph: boolean; hasIrVersion: boolean } {
  const m: ModelInfo & { hasGraph: boolean; hasIrVersion: boolean } = {
    irVersion: 0, opsets: [], producerName: '', producerVersion: '', domain: '', modelVersion: 0, docString: '',
    graph: emptyGraph(), metadata: [], functions: [], trainingInfoCount: 0, hasGraph: false, hasIrVersion: false,
  };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === WireType.VARINT && field === 1) { m.irVersion = c.varint(end); m.hasIrVersion = true; }
    else if (wire === WireType.VARINT && field === 5) m.modelVersion = c.varint(end);
    else if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 2) m.producerName = c.string(end);
    else if (field === 3) m.producerVersion = c.string(end);
    else if (field === 4) m.domain = c.string(end);
    else if (field === 6) m.docString = c.string(end);
    else if (field === 7) { m.graph = decodeGraph(c, c.lengthDelimited(end), 0); m.hasGraph = true; }
    else if (field === 8) m.opsets.push(decodeOpset(c, c.lengthDelimited(end)));
    else if (field === 14) { const [key, value] = decodeStringPair(c, c.lengthDelimited(end)); m.metadata.push({ key, value }); }
    else if (field === 20) { c.skip(wire, end); m.trainingInfoCount++; }
    else if (field === 25) m.functions.push(decodeFunction(c, c.lengthDelimited(end)));
    else c.skip(wire, end);
  }
  return m;
}

function emptyGraph(): GraphInfo {
  return { name: '', docString: '', nodes: [], inputs: [], outputs: [], valueInfo: [], initializers: [], sparseInitializers: [] };
}

function decodeOpset(c: Cursor, end: number): OpsetImport {
  const o: OpsetImport = { domain: '', version: 0 };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.LEN) o.domain = normalizeDomain(c.string(end));
    else if (field === 2 && wire === WireType.VARINT) o.version = c.varint(end);
    else c.skip(wire, end);
  }
  return o;
}

function decodeGraph(c: Cursor, end: number, depth: number): GraphInfo {
  if (depth > MAX_DEPTH) throw new WireError(`subgraphs nested deeper than ${MAX_DEPTH} levels`, c.pos);
  const g = emptyGraph();
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 1) g.nodes.push(decodeNode(c, c.lengthDelimited(end), depth));
    else if (field === 2) g.name = c.string(end);
    else if (field === 5) g.initializers.push(decodeTensor(c, c.lengthDelimited(end)));
    else if (field === 10) g.docString = c.string(end);
    else if (field === 11) g.inputs.push(decodeValueInfo(c, c.lengthDelimited(end)));
    else if (field === 12) g.outputs.push(decodeValueInfo(c, c.lengthDelimited(end)));
    else if (field === 13) g.valueInfo.push(decodeValueInfo(c, c.lengthDelimited(end)));
    else if (field === 15) g.sparseInitializers.push(decodeSparseTensor(c, c.lengthDelimited(end)));
    else c.skip(wire, end);
  }
  return g;
}

/**
 * Op types seen so far, so that the thousands of nodes of one op share one string instead of each
 * keeping its own copy alive; bounded, as a hostile file can make every op type distinct.
 */
const opTypes = new Map<string, string>();
const MAX_OP_TYPES = 4096;

function sharedOpType(op: string): string {
  const known = opTypes.get(op);
  if (known !== undefined) return known;
  if (opTypes.size < MAX_OP_TYPES) opTypes.set(op, op);
  return op;
}

const SCRATCH: { inputs: string[]; outputs: string[]; attributes: (AttributeInfo | undefined)[] }[] = [];

function decodeNode(c: Cursor, end: number, depth: number): NodeInfo {
  let name = '';
  let opType = '';
  let domain = '';
  let overload = '';
  let docString = '';
  // Lists are gathered in scratch arrays and kept as exact-size copies: an array grown by push
  // from [] reserves 16 slots, and a node's one or two inputs then hold ~150 bytes each, for the
  // whole life of the model (a third of a 100k-node model's heap; docs/opening-a-model.md). The
  // scratch is one per nesting depth (a subgraph's nodes are read while their If node is).
  const { inputs, outputs, attributes } = (SCRATCH[depth] ??= { inputs: [], outputs: [], attributes: [] });
  // Counts, not `length = 0`: emptying an array releases its slots, and the next push reserves 16 again.
  let ni = 0;
  let no = 0;
  let na = 0;
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 1) inputs[ni++] = c.string(end);
    else if (field === 2) outputs[no++] = c.string(end);
    else if (field === 3) name = c.string(end);
    else if (field === 4) opType = sharedOpType(c.string(end));
    else if (field === 5) attributes[na++] = decodeAttribute(c, c.lengthDelimited(end), depth);
    else if (field === 6) docString = c.string(end);
    else if (field === 7) domain = normalizeDomain(c.string(end));
    else if (field === 8) overload = c.string(end);
    else c.skip(wire, end);
  }
  const n: NodeInfo = {
    name, opType, domain, overload,
    inputs: inputs.slice(0, ni), outputs: outputs.slice(0, no), attributes: attributes.slice(0, na) as AttributeInfo[], docString,
  };
  // The scratch must not keep the last node's subgraphs alive after the read.
  if (na > 0) attributes.fill(undefined, 0, na);
  return n;
}

function decodeAttribute(c: Cursor, end: number, depth: number): AttributeInfo {
  const a: AttributeInfo = { name: '', type: 0, docString: '' };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (ATTR_LEN_FIELDS.has(field) && wire !== WireType.LEN) {
      c.skip(wire, end);
      continue;
    }
    switch (field) {
      case 1: a.name = c.string(end); break;
      case 2: a.f = wire === WireType.FIXED32 ? c.fixed32(end) : (c.skip(wire, end), 0); break;
      case 3: a.i = wire === WireType.VARINT ? c.varint(end) : (c.skip(wire, end), 0); break;
      case 4: a.s = c.string(end); break;
      case 5: a.t = decodeTensor(c, c.lengthDelimited(end)); break;
      case 6: a.g = decodeGraph(c, c.lengthDelimited(end), depth + 1); break;
      case 7: readFloats(c, wire, end, (a.floats ??= [])); break;
      case 8: readInt64s(c, wire, end, (a.ints ??= [])); break;
      case 9: (a.strings ??= []).push(c.string(end)); break;
      case 10: (a.tensors ??= []).push(decodeTensor(c, c.lengthDelimited(end))); break;
      case 11: (a.graphs ??= []).push(decodeGraph(c, c.lengthDelimited(end), depth + 1)); break;
      case 13: a.docString = c.string(end); break;
      case 14: a.tp = decodeType(c, c.lengthDelimited(end), 0); break;
      case 15: (a.typeProtos ??= []).push(decodeType(c, c.lengthDelimited(end), 0)); break;
      case 20: a.type = wire === WireType.VARINT ? c.varint(end) : (c.skip(wire, end), 0); break;
      case 21: a.refAttrName = c.string(end); break;
      case 22: a.sparseTensor = decodeSparseTensor(c, c.lengthDelimited(end)); break;
      case 23: (a.sparseTensors ??= []).push(decodeSparseTensor(c, c.lengthDelimited(end))); break;
      default: c.skip(wire, end);
    }
  }
  if (a.type === 0) a.type = inferAttrType(a);
  return a;
}

/** IR < 2 files may omit AttributeProto.type; infer it from whichever field is set. */
function inferAttrType(a: AttributeInfo): number {
  if (a.f !== undefined) return 1;
  if (a.i !== undefined) return 2;
  if (a.s !== undefined) return 3;
  if (a.t) return 4;
  if (a.g) return 5;
  if (a.floats) return 6;
  if (a.ints) return 7;
  if (a.strings) return 8;
  if (a.tensors) return 9;
  if (a.graphs) return 10;
  return 0;
}

function readFloats(c: Cursor, wire: number, limit: number, out: number[]): void {
  if (wire === WireType.LEN) {
    const end = c.lengthDelimited(limit);
    while (c.pos + 4 <= end) out.push(c.fixed32(end));
    c.pos = end;
  } else if (wire === WireType.FIXED32) out.push(c.fixed32(limit));
  else c.skip(wire, limit);
}

function decodeValueInfo(c: Cursor, end: number): ValueInfo {
  const v: ValueInfo = { name: '', type: { kind: 'unknown' }, docString: '' };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 1) v.name = c.string(end);
    else if (field === 2) v.type = decodeType(c, c.lengthDelimited(end), 0);
    else if (field === 3) v.docString = c.string(end);
    else c.skip(wire, end);
  }
  return v;
}

function decodeType(c: Cursor, end: number, depth: number): TypeInfo {
  if (depth > MAX_DEPTH) throw new WireError(`type nested deeper than ${MAX_DEPTH} levels`, c.pos);
  let t: TypeInfo = { kind: 'unknown' };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 1 || field === 8) {
      const { elemType, shape } = decodeTensorType(c, c.lengthDelimited(end));
      t = { kind: field === 1 ? 'tensor' : 'sparse_tensor', elemType, shape };
    } else if (field === 4 || field === 9) {
      const e = c.lengthDelimited(end);
      let elem: TypeInfo = { kind: 'unknown' };
      while (c.pos < e) {
        const tag = c.tag(e);
        const f = tag >>> 3;
        const w = tag & 7;
        if (f === 1 && w === WireType.LEN) elem = decodeType(c, c.lengthDelimited(e), depth + 1);
        else c.skip(w, e);
      }
      t = field === 4 ? { kind: 'sequence', elem } : { kind: 'optional', elem };
    } else if (field === 5) {
      const e = c.lengthDelimited(end);
      let keyType = 0;
      let value: TypeInfo = { kind: 'unknown' };
      while (c.pos < e) {
        const tag = c.tag(e);
        const f = tag >>> 3;
        const w = tag & 7;
        if (f === 1 && w === WireType.VARINT) keyType = c.varint(e);
        else if (f === 2 && w === WireType.LEN) value = decodeType(c, c.lengthDelimited(e), depth + 1);
        else c.skip(w, e);
      }
      t = { kind: 'map', keyType, value };
    } else c.skip(wire, end);
  }
  return t;
}

function decodeTensorType(c: Cursor, end: number): { elemType: number; shape: Dim[] | null } {
  let elemType = 0;
  let shape: Dim[] | null = null;
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.VARINT) elemType = c.varint(end);
    else if (field === 2 && wire === WireType.LEN) {
      const e = c.lengthDelimited(end);
      shape = [];
      while (c.pos < e) {
        const tag = c.tag(e);
        const f = tag >>> 3;
        const w = tag & 7;
        if (f === 1 && w === WireType.LEN) shape.push(decodeDim(c, c.lengthDelimited(e)));
        else c.skip(w, e);
      }
    } else c.skip(wire, end);
  }
  return { elemType, shape };
}

function decodeDim(c: Cursor, end: number): Dim {
  let dim: Dim = null;
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.VARINT) {
      const v = c.varint(end);
      dim = v >= 0 && Number.isSafeInteger(v) ? v : null;
    } else if (field === 2 && wire === WireType.LEN) dim = c.string(end) || null;
    else c.skip(wire, end);
  }
  return dim;
}

function decodeFunction(c: Cursor, end: number): FunctionInfo {
  const f: FunctionInfo = {
    name: '', domain: '', overload: '', inputs: [], outputs: [], attributes: [], attributeProtos: [],
    nodes: [], opsets: [], valueInfo: [], docString: '',
  };
  while (c.pos < end) {
    const tag = c.tag(end);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== WireType.LEN) c.skip(wire, end);
    else if (field === 1) f.name = c.string(end);
    else if (field === 4) f.inputs.push(c.string(end));
    else if (field === 5) f.outputs.push(c.string(end));
    else if (field === 6) f.attributes.push(c.string(end));
    else if (field === 7) f.nodes.push(decodeNode(c, c.lengthDelimited(end), 1));
    else if (field === 8) f.docString = c.string(end);
    else if (field === 9) f.opsets.push(decodeOpset(c, c.lengthDelimited(end)));
    else if (field === 10) f.domain = normalizeDomain(c.string(end));
    else if (field === 11) f.attributeProtos.push(decodeAttribute(c, c.lengthDelimited(end), 1));
    else if (field === 12) f.valueInfo.push(decodeValueInfo(c, c.lengthDelimited(end)));
    else if (field === 13) f.overload = c.string(end);
    else c.skip(wire, end);
  }
  return f;
}

