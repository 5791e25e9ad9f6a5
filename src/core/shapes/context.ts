/**
 * What a shape function sees of one node: input types, folded constants, attributes (read
 * defensively: a hostile file can put a string where an int belongs), and where to put
 * outputs. Shape functions never throw on bad input; they leave outputs unknown and warn.
 */
import type { Graph, GraphNode } from '../graph/types';
import type { AttributeInfo, GraphInfo, TensorInfo } from '../onnx/types';
import type { Dim } from '../../shared/tensorTypes';
import { AttrType } from '../onnx/types';
import { normalizeDim, safeDim } from './dims';
import type { TensorType } from './types';

/** Largest tensor folded at analysis time; shape vectors are tiny, anything bigger is data. */
export const MAX_FOLD_ELEMENTS = 4096;

/**
 * A folded value. Unlike the exported ConstValue, elements may be symbolic or unknown
 * (Shape(x) of a [batch, 3] tensor is ['batch', 3]) so that Reshape(x, Concat(Shape(x)[0], -1))
 * still resolves with a symbolic batch.
 */
export interface SymValue {
  elemType: number;
  dims: number[];
  data: Dim[];
}

export interface SubgraphResult {
  outputs: (TensorType | null)[];
}

/** Shared by the whole analysis, including subgraphs. */
export interface InferState {
  types: Map<string, TensorType>;
  values: Map<string, SymValue>;
  warn(message: string): void;
  opsetFor(domain: string): number;
  loadTensor(t: TensorInfo, maxElements: number): number[] | null;
  /** Infer a subgraph whose inputs are seeded with `inputs` (declared types win when more specific). */
  inferSubgraph(graph: Graph, inputs: (TensorType | null)[]): SubgraphResult;
}

export class NodeContext {
  readonly outputs: (TensorType | null)[];
  readonly outValues: (SymValue | null)[];

  constructor(
    readonly state: InferState,
    readonly graph: Graph,
    readonly node: GraphNode,
    readonly opset: number,
  ) {
    this.outputs = node.info.outputs.map(() => null);
    this.outValues = node.info.outputs.map(() => null);
  }

  get numInputs(): number {
    return this.node.info.inputs.length;
  }

  get numOutputs(): number {
    return this.node.info.outputs.length;
  }

  /** Input i is wired (optional inputs are skipped with an empty name). */
  has(i: number): boolean {
    const n = this.node.info.inputs[i];
    return n !== undefined && n !== '';
  }

  hasOutput(i: number): boolean {
    const n = this.node.info.outputs[i];
    return n !== undefined && n !== '';
  }

  type(i: number): TensorType | null {
    if (!this.has(i)) return null;
    return this.state.types.get(this.node.info.inputs[i]) ?? null;
  }

  shape(i: number): Dim[] | null {
    return this.type(i)?.shape ?? null;
  }

  rank(i: number): number | null {
    return this.shape(i)?.length ?? null;
  }

  elem(i: number): number {
    return this.type(i)?.elemType ?? 0;
  }

  /** The folded value of input i, if any. */
  value(i: number): SymValue | null {
    if (!this.has(i)) return null;
    return this.state.values.get(this.node.info.inputs[i]) ?? null;
  }

  /** Input i as plain integers, when it is folded and every element is known. */
  inputInts(i: number): number[] | null {
    const v = this.value(i);
    if (!v || !v.data.every((d) => typeof d === 'number' && Number.isFinite(d))) return null;
    return (v.data as number[]).map((d) => Math.trunc(d));
  }

  /** Input i as a list of dims (a shape vector): known numbers, symbols, or null entries. */
  inputDims(i: number): Dim[] | null {
    const v = this.value(i);
    if (!v || v.dims.length > 1) return null;
    return v.data.map((d) => (typeof d === 'number' ? (Number.isInteger(d) ? d : null) : d));
  }

  attr(name: string): AttributeInfo | undefined {
    return this.node.attributes.find((a) => a.name === name);
  }

  attrInt(name: string, def: number): number;
  attrInt(name: string, def: number | null): number | null;
  attrInt(name: string, def: number | null): number | null {
    const a = this.attr(name);
    if (!a) return def;
    const v = a.i ?? (a.type === AttrType.FLOAT ? a.f : undefined);
    if (v === undefined || !Number.isFinite(v)) {
      this.warn(`attribute '${name}' is not an integer`);
      return def;
    }
    return Math.trunc(v);
  }

  attrInts(name: string): number[] | null {
    const a = this.attr(name);
    if (!a) return null;
    const v = a.ints;
    if (!v || !v.every((x) => Number.isFinite(x))) {
      if (a.type !== AttrType.INTS) this.warn(`attribute '${name}' is not a list of integers`);
      return v ? null : a.type === AttrType.INTS ? [] : null;
    }
    return v.map((x) => Math.trunc(x));
  }

  attrFloat(name: string, def: number): number {
    const a = this.attr(name);
    const v = a?.f ?? a?.i;
    return v !== undefined && Number.isFinite(v) ? v : def;
  }

  attrFloats(name: string): number[] | null {
    const a = this.attr(name);
    return a?.floats ?? null;
  }

  attrString(name: string, def: string): string {
    const a = this.attr(name);
    return typeof a?.s === 'string' ? a.s : def;
  }

  attrStrings(name: string): string[] | null {
    return this.attr(name)?.strings ?? null;
  }

  attrTensor(name: string): TensorInfo | null {
    return this.attr(name)?.t ?? null;
  }

  attrGraph(name: string): GraphInfo | null {
    return this.attr(name)?.g ?? null;
  }

  subgraph(attribute: string): Graph | null {
    return this.node.subgraphs.find((s) => s.attribute === attribute)?.graph ?? null;
  }

  /** Axes from the input (newer opsets) or the attribute (older), whichever the opset defines. */
  axes(inputIndex: number, sinceInput: number, attrName = 'axes'): number[] | null | 'unknown' {
    if (this.opset >= sinceInput) {
      if (!this.has(inputIndex)) return this.attrInts(attrName);
      return this.inputInts(inputIndex) ?? 'unknown';
    }
    return this.attrInts(attrName);
  }

  setOutput(i: number, type: TensorType | null): void {
    if (i < this.outputs.length && this.hasOutput(i)) this.outputs[i] = type ? sanitize(type) : null;
  }

  setValue(i: number, v: SymValue | null): void {
    if (i < this.outValues.length && v && v.data.length <= MAX_FOLD_ELEMENTS) this.outValues[i] = v;
  }

  warn(message: string): void {
    this.state.warn(`${this.node.opType} '${this.node.name}': ${message}`);
  }
}

function sanitize(t: TensorType): TensorType {
  const shape = t.shape ? t.shape.map((d) => normalizeDim(d)) : null;
  const out: TensorType = { elemType: t.elemType, shape };
  if (t.note) out.note = t.note;
  return out;
}

export function tensor(elemType: number, shape: Dim[] | null): TensorType {
  return { elemType, shape };
}

/** Element count of a folded-value shape; null when not a small safe number. */
export function elementCount(dims: readonly number[]): number | null {
  let n = 1;
  for (const d of dims) {
    const s = safeDim(d);
    if (s === null) return null;
    n *= s;
    if (!Number.isSafeInteger(n)) return null;
  }
  return n;
}
