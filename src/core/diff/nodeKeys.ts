/**
 * What makes two nodes "the same kind of node" for the diff: the op (domain + type) and the
 * attributes as canonical text. Tensor attributes are keyed by type, dims and stored length
 * (their values are compared as weights, never decoded here); graph attributes by a structural
 * fingerprint of the body, so an If whose branch changed differs from one whose did not.
 */
import { createHash } from 'node:crypto';
import { elemTypeName } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import { AttrType, type AttributeInfo, type GraphInfo, type TensorInfo } from '../onnx/types';
import type { GraphNode } from '../graph/types';
import { attributeText } from '../nodeDetails';

export function opKey(n: Pick<GraphNode, 'domain' | 'opType'>): string {
  return n.domain ? `${n.domain}:${n.opType}` : n.opType;
}

/** `float32[3, 3]` and where its bytes are, without reading them. */
function tensorKey(t: TensorInfo): string {
  const d = t.data;
  const stored = d.kind === 'raw' ? d.range.length : d.kind === 'external' ? `ext:${d.length ?? '?'}` : d.kind === 'typed' ? d.ranges.reduce((s, r) => s + r.length, 0) : d.kind;
  return `${elemTypeName(t.elemType)}[${t.dims.join(',')}]#${stored}`;
}

/** A hash of a body's structure: ops, attributes and wiring by position (value names left out). */
export function graphFingerprint(model: OnnxModel, g: GraphInfo): string {
  const h = createHash('sha1');
  const local = new Map<string, number>();
  g.inputs.forEach((v, i) => local.set(v.name, -1 - i));
  let id = 0;
  for (const n of g.nodes) {
    h.update(`${n.domain}:${n.opType}(`);
    for (const x of n.inputs) h.update(`${local.get(x) ?? (x === '' ? '_' : 'o')},`);
    h.update(')');
    for (const a of n.attributes) h.update(`${a.name}=${attributeKey(model, a)};`);
    for (const o of n.outputs) local.set(o, id++);
    h.update('\n');
  }
  h.update(`out:${g.outputs.map((o) => local.get(o.name) ?? 'o').join(',')}`);
  return h.digest('hex').slice(0, 16);
}

/** Canonical text of one attribute's value for comparison. */
export function attributeKey(model: OnnxModel, a: AttributeInfo): string {
  switch (a.type) {
    case AttrType.TENSOR: return a.t ? tensorKey(a.t) : '';
    case AttrType.TENSORS: return (a.tensors ?? []).map(tensorKey).join('|');
    case AttrType.GRAPH: return a.g ? `graph:${graphFingerprint(model, a.g)}` : '';
    case AttrType.GRAPHS: return (a.graphs ?? []).map((g) => `graph:${graphFingerprint(model, g)}`).join('|');
    // Every element, not the first few attributeText prints: a change at element 20 is a change.
    case AttrType.INTS: return `[${(a.ints ?? []).join(',')}]`;
    case AttrType.FLOATS: return `[${(a.floats ?? []).join(',')}]`;
    case AttrType.STRINGS: return JSON.stringify(a.strings ?? []);
    default: return attributeText(model, a);
  }
}

/** Attribute name → canonical value, for the node's full signature and per-attribute changes. */
export function attributeKeys(model: OnnxModel, n: GraphNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of n.attributes) out.set(a.name, attributeKey(model, a));
  return out;
}

/** Op plus every attribute, names sorted: equal keys mean nodes of the very same configuration. */
export function fullKey(model: OnnxModel, n: GraphNode): string {
  const attrs = [...attributeKeys(model, n)].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return `${opKey(n)}{${attrs.map(([k, v]) => `${k}=${v}`).join(';')}}`;
}

export function isTensorAttribute(a: AttributeInfo): boolean {
  return a.type === AttrType.TENSOR && !!a.t;
}
