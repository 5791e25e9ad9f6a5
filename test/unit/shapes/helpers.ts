/**
 * Tiny builder for shape-inference tests: write a graph as data, get an InferenceResult.
 * Tensor values live in a side table that stands in for the reader's loadTensor.
 */
import { buildGraph } from '../../../src/core/graph/build';
import type { Graph } from '../../../src/core/graph/types';
import type { AttributeInfo, GraphInfo, NodeInfo, OpsetImport, TensorInfo, TypeInfo, ValueInfo } from '../../../src/core/onnx/types';
import type { Dim } from '../../../src/shared/tensorTypes';
import { AttrType } from '../../../src/core/onnx/types';
import { inferShapes } from '../../../src/core/shapes';
import type { InferenceResult } from '../../../src/core/shapes/types';

export const F = 1;
export const U8 = 2;
export const I8 = 3;
export const I32 = 6;
export const I64 = 7;
export const STR = 8;
export const BOOL = 9;
export const F16 = 10;

const tensorData = new WeakMap<TensorInfo, number[]>();

export function tensor(name: string, elemType: number, dims: number[], data?: number[]): TensorInfo {
  const t: TensorInfo = { name, elemType, dims, docString: '', data: { kind: 'empty' } };
  if (data) tensorData.set(t, data);
  return t;
}

export type AttrValue =
  | number | string | number[] | string[]
  | { floats: number[] } | { float: number } | { tensor: TensorInfo } | { graph: GraphInfo };

function attribute(name: string, v: AttrValue): AttributeInfo {
  const a: AttributeInfo = { name, type: AttrType.UNDEFINED, docString: '' };
  if (typeof v === 'number') Object.assign(a, Number.isInteger(v) ? { type: AttrType.INT, i: v } : { type: AttrType.FLOAT, f: v });
  else if (typeof v === 'string') Object.assign(a, { type: AttrType.STRING, s: v });
  else if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) Object.assign(a, { type: AttrType.STRINGS, strings: v });
    else if ((v as number[]).every(Number.isInteger)) Object.assign(a, { type: AttrType.INTS, ints: v });
    else Object.assign(a, { type: AttrType.FLOATS, floats: v });
  } else if ('floats' in v) Object.assign(a, { type: AttrType.FLOATS, floats: v.floats });
  else if ('float' in v) Object.assign(a, { type: AttrType.FLOAT, f: v.float });
  else if ('tensor' in v) Object.assign(a, { type: AttrType.TENSOR, t: v.tensor });
  else Object.assign(a, { type: AttrType.GRAPH, g: v.graph });
  return a;
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, domain = ''): NodeInfo {
  return {
    name: '', opType, domain, overload: '', inputs, outputs, docString: '',
    attributes: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

export type TypeSpec = [number, Dim[] | null];

function valueInfo(name: string, [elemType, shape]: TypeSpec): ValueInfo {
  const type: TypeInfo = { kind: 'tensor', elemType, shape };
  return { name, type, docString: '' };
}

export interface GraphSpec {
  inputs?: Record<string, TypeSpec>;
  initializers?: TensorInfo[];
  nodes: NodeInfo[];
  outputs?: string[] | Record<string, TypeSpec>;
  valueInfo?: Record<string, TypeSpec>;
  name?: string;
}

export function graphInfo(spec: GraphSpec): GraphInfo {
  const outputs: ValueInfo[] = Array.isArray(spec.outputs)
    ? spec.outputs.map((n) => (spec.valueInfo?.[n] ? valueInfo(n, spec.valueInfo[n]) : { name: n, type: { kind: 'unknown' }, docString: '' }))
    : Object.entries(spec.outputs ?? {}).map(([n, t]) => valueInfo(n, t));
  return {
    name: spec.name ?? 'g', docString: '', nodes: spec.nodes,
    inputs: Object.entries(spec.inputs ?? {}).map(([n, t]) => valueInfo(n, t)),
    outputs,
    valueInfo: Object.entries(spec.valueInfo ?? {}).map(([n, t]) => valueInfo(n, t)),
    initializers: spec.initializers ?? [],
    sparseInitializers: [],
  };
}

export interface Inferred extends InferenceResult {
  graph: Graph;
  /** [elemType, shape] of a value; throws in the test if it has no type. */
  t(name: string): TypeSpec;
  shape(name: string): Dim[] | null;
  value(name: string): number[] | undefined;
}

export function infer(spec: GraphSpec, opset: number | OpsetImport[] = 17): Inferred {
  const graph = buildGraph(graphInfo(spec));
  const opsets = typeof opset === 'number' ? [{ domain: '', version: opset }, { domain: 'ai.onnx.ml', version: 3 }] : opset;
  const r = inferShapes(graph, opsets, (t, max) => {
    const d = tensorData.get(t);
    return d && d.length <= max ? d : null;
  });
  return {
    ...r,
    graph,
    t(name) {
      const v = r.types.get(name);
      if (!v) throw new Error(`no type for '${name}'`);
      return [v.elemType, v.shape];
    },
    shape(name) {
      return r.types.get(name)?.shape ?? null;
    },
    value(name) {
      return r.consts.get(name)?.data;
    },
  };
}

/** One-node graph: inputs typed, optional constant inputs, everything else inferred. */
export function single(
  opType: string,
  inputs: Record<string, TypeSpec | TensorInfo | ''>,
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
  opset = 17,
  domain = '',
): Inferred {
  const typed: Record<string, TypeSpec> = {};
  const inits: TensorInfo[] = [];
  for (const [name, v] of Object.entries(inputs)) {
    if (v === '') continue;
    if (Array.isArray(v)) typed[name] = v;
    else inits.push(v);
  }
  const names = Object.entries(inputs).map(([n, v]) => (v === '' ? '' : n));
  const opsets = [{ domain: '', version: opset }, { domain: 'ai.onnx.ml', version: 3 }, { domain: 'com.microsoft', version: 1 }];
  return infer({ inputs: typed, initializers: inits, nodes: [node(opType, names, outputs, attrs, domain)], outputs }, opsets);
}

/** An int64 1-D initializer (or scalar when `scalar`). */
export function ints(name: string, values: number[], scalar = false): TensorInfo {
  return tensor(name, I64, scalar ? [] : [values.length], values);
}

export function floats(name: string, values: number[]): TensorInfo {
  return tensor(name, F, [values.length], values);
}
