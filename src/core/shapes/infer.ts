/**
 * Static shape and type inference over a Graph, with parameter and MAC counts per node.
 *
 * Walks graph.order once. Types are seeded from initializers, graph inputs and declared
 * value_info; each node's shape function (registry.ts) proposes output types, which are
 * merged with any declared type (see mergeDeclared). Small int tensors are folded so shape
 * subgraphs resolve. Nothing here throws on a malformed model: problems become warnings.
 */
import type { Graph, GraphNode, Value } from '../graph/types';
import type { OpsetImport, TensorInfo, TypeInfo } from '../onnx/types';
import type { Dim } from '../../shared/tensorTypes';
import { maxKnownOpset } from '../onnx/schemas';
import { MAX_FOLD_ELEMENTS, NodeContext, elementCount, type InferState, type SubgraphResult, type SymValue } from './context';
import { normalizeDim } from './dims';
import { lookupFold, lookupShape } from './registry';
import { nodeMacs } from './macs';
import type { ConstValue, InferenceResult, NodeCost, TensorType } from './types';
import './ops';

export type LoadTensor = (t: TensorInfo, maxElements: number) => number[] | null;

const MAX_WARNINGS = 500;
const MAX_SUBGRAPH_DEPTH = 32;

/** A declared TypeInfo as a TensorType; sequences/maps/optionals keep a note of what they are. */
export function fromTypeInfo(t: TypeInfo | null): TensorType | null {
  if (!t) return null;
  switch (t.kind) {
    case 'tensor':
    case 'sparse_tensor':
      return { elemType: t.elemType, shape: t.shape ? t.shape.map(normalizeDim) : null };
    case 'optional': {
      const inner = fromTypeInfo(t.elem);
      return inner ? { ...inner, note: 'optional' } : null;
    }
    case 'sequence':
      return { elemType: 0, shape: null, note: 'sequence' };
    case 'map':
      return { elemType: 0, shape: null, note: 'map' };
    default:
      return null;
  }
}

function mergeDim(declared: Dim, inferred: Dim, conflicts: { n: number }): Dim {
  if (declared === inferred) return declared;
  if (typeof inferred === 'number' && typeof declared === 'number') {
    conflicts.n++;
    return declared;
  }
  if (typeof inferred === 'number') return inferred;
  if (typeof declared === 'number') return declared;
  // Both symbolic or null: the file's own name reads better than a derived expression.
  return declared ?? inferred;
}

/**
 * Declared value_info vs inferred: fixed sizes beat symbols, symbols beat unknown, and when
 * both are fixed but differ the file wins (with a warning) since it may know what we do not.
 */
export function mergeDeclared(declared: TensorType | null, inferred: TensorType | null, warn: (m: string) => void, name: string): TensorType | null {
  if (!declared) return inferred;
  if (!inferred) return declared;
  const elemType = inferred.elemType || declared.elemType;
  const note = declared.note ?? inferred.note;
  const withNote = (t: TensorType): TensorType => (note ? { ...t, note } : t);
  if (!declared.shape) return withNote({ elemType, shape: inferred.shape });
  if (!inferred.shape) return withNote({ elemType, shape: declared.shape });
  if (declared.shape.length !== inferred.shape.length) {
    warn(`'${name}' is declared with rank ${declared.shape.length} but inferred with rank ${inferred.shape.length}`);
    return withNote({ elemType, shape: declared.shape });
  }
  const conflicts = { n: 0 };
  const shape = declared.shape.map((d, i) => mergeDim(d, inferred.shape![i], conflicts));
  if (conflicts.n > 0) warn(`'${name}' is declared [${declared.shape.join(', ')}] but inferred [${inferred.shape.join(', ')}]; keeping the declared shape`);
  if (declared.elemType && inferred.elemType && declared.elemType !== inferred.elemType) {
    warn(`'${name}' is declared with element type ${declared.elemType} but inferred ${inferred.elemType}`);
  }
  return withNote({ elemType, shape });
}

class State implements InferState {
  readonly types = new Map<string, TensorType>();
  readonly values = new Map<string, SymValue>();
  readonly warnings: string[] = [];
  private readonly opsets = new Map<string, number>();
  private readonly seen = new Set<string>();
  private depth = 0;

  constructor(opsets: OpsetImport[], private readonly load: LoadTensor) {
    for (const o of opsets) this.opsets.set(o.domain, o.version);
  }

  warn(message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push('further warnings omitted');
  }

  opsetFor(domain: string): number {
    // A missing import still gets a version: the newest we know for the domain (1 for custom ones).
    return this.opsets.get(domain) ?? (maxKnownOpset(domain) || 1);
  }

  loadTensor(t: TensorInfo, maxElements: number): number[] | null {
    try {
      return this.load(t, maxElements);
    } catch (e) {
      this.warn(`could not read tensor '${t.name}': ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  inferSubgraph(graph: Graph, inputs: (TensorType | null)[]): SubgraphResult {
    if (this.depth >= MAX_SUBGRAPH_DEPTH) {
      this.warn(`subgraph '${graph.name}' is nested too deeply to analyse`);
      return { outputs: graph.outputs.map(() => null) };
    }
    this.depth++;
    try {
      graph.inputs.forEach((name, i) => {
        const v = graph.values.get(name);
        const t = mergeDeclared(fromTypeInfo(v?.declared ?? null), inputs[i] ?? null, () => {}, name);
        if (t) this.types.set(name, t);
      });
      inferGraph(this, graph);
      return { outputs: graph.outputs.map((n) => this.types.get(n) ?? null) };
    } finally {
      this.depth--;
    }
  }
}

function seedValue(state: State, v: Value): void {
  if (v.kind === 'outer' || state.types.has(v.name)) return;
  if (v.initializer) {
    const t = v.initializer;
    state.types.set(v.name, { elemType: t.elemType, shape: t.dims.map(normalizeDim) });
    const n = elementCount(t.dims);
    if (n !== null && n <= MAX_FOLD_ELEMENTS && t.elemType !== 8) {
      const data = state.loadTensor(t, MAX_FOLD_ELEMENTS);
      if (data && data.length === n) state.values.set(v.name, { elemType: t.elemType, dims: t.dims.slice(), data });
    }
    return;
  }
  if (v.kind === 'input') {
    const t = fromTypeInfo(v.declared);
    if (t) state.types.set(v.name, t);
  }
}

function inferNode(state: State, graph: Graph, node: GraphNode): void {
  const opset = state.opsetFor(node.domain);
  const ctx = new NodeContext(state, graph, node, opset);
  const fn = lookupShape(node.domain, node.opType, opset);
  try {
    if (fn) {
      fn(ctx);
      lookupFold(node.domain, node.opType)?.(ctx);
    } else {
      state.warn(`no shape function for ${node.domain ? `${node.domain}::` : ''}${node.opType}; its outputs are unknown`);
    }
  } catch (e) {
    // A shape function bug must not take the whole analysis down; report it and move on.
    state.warn(`${node.opType} '${node.name}': inference failed (${e instanceof Error ? e.message : String(e)})`);
  }
  node.info.outputs.forEach((name, i) => {
    if (!name) return;
    const declared = fromTypeInfo(graph.values.get(name)?.declared ?? null);
    const t = mergeDeclared(declared, ctx.outputs[i] ?? null, (m) => state.warn(m), name);
    state.types.set(name, t ?? { elemType: 0, shape: null });
    const v = ctx.outValues[i];
    if (v) state.values.set(name, v);
  });
}

function inferGraph(state: State, graph: Graph): void {
  for (const v of graph.values.values()) seedValue(state, v);
  for (const idx of graph.order) {
    const node = graph.nodes[idx];
    if (node) inferNode(state, graph, node);
  }
  for (const v of graph.values.values()) {
    // Values nobody produced (dangling inputs) still show what the file declares.
    if (!state.types.has(v.name) && v.kind !== 'outer') {
      const t = fromTypeInfo(v.declared);
      if (t) state.types.set(v.name, t);
    }
  }
}

/** The Value that defines `name` as seen from `graph`: its own, or the nearest ancestor's. */
function definingValue(graph: Graph, name: string): Value | null {
  for (let g: Graph | null = graph; g; g = g.parent) {
    const v = g.values.get(name);
    if (v && v.kind !== 'outer') return v;
  }
  return null;
}

function tensorElements(t: TensorInfo | undefined | null): number {
  return t ? (elementCount(t.dims) ?? 0) : 0;
}

/** Elements of the initializer or Constant behind `name`, or 0. */
function parameterElements(graph: Graph, v: Value, state: State): number {
  if (v.initializer) return tensorElements(v.initializer);
  if (v.producer < 0) return 0;
  const owner = ownerGraph(graph, v);
  const producer = owner?.nodes[v.producer];
  if (!producer || producer.opType !== 'Constant' || producer.domain !== '') return 0;
  const t = state.types.get(v.name);
  return t?.shape ? (elementCount(t.shape.map((d) => (typeof d === 'number' ? d : NaN))) ?? 0) : 0;
}

function ownerGraph(graph: Graph, v: Value): Graph | null {
  for (let g: Graph | null = graph; g; g = g.parent) if (g.values.get(v.name) === v) return g;
  return null;
}

/** Every value name a node reads, including implicit reads from inside its subgraphs. */
function readsOf(node: GraphNode, graph: Graph, out: { graph: Graph; name: string }[]): void {
  for (const name of node.info.inputs) if (name) out.push({ graph, name });
  for (const { graph: sub } of node.subgraphs) {
    for (const idx of sub.order) {
      const n = sub.nodes[idx];
      if (n) readsOf(n, sub, out);
    }
  }
}

function computeCosts(state: State, graph: Graph): NodeCost[] {
  const costs: NodeCost[] = graph.nodes.map(() => ({ parameters: 0, macs: null, macsBatch1: null }));
  const counted = new Set<Value>();
  const typeOf = (name: string) => state.types.get(name) ?? null;
  for (const idx of graph.order) {
    const node = graph.nodes[idx];
    if (!node) continue;
    const reads: { graph: Graph; name: string }[] = [];
    readsOf(node, graph, reads);
    let params = 0;
    for (const r of reads) {
      const v = definingValue(r.graph, r.name);
      if (!v || counted.has(v)) continue;
      const n = parameterElements(r.graph, v, state);
      if (n > 0) {
        counted.add(v);
        params += n;
      }
    }
    // Control-flow nodes are not counted: the work depends on which branch / how many trips.
    const m = node.subgraphs.length > 0 ? { macs: null, macsBatch1: null } : nodeMacs(node, typeOf);
    costs[idx] = { parameters: params, macs: m.macs, macsBatch1: m.macsBatch1 };
  }
  return costs;
}

function sumKnown(values: (number | null)[]): number | null {
  let total: number | null = null;
  for (const v of values) if (v !== null) total = (total ?? 0) + v;
  return total;
}

/** Exported consts are the fully numeric folded values. */
function exportConsts(values: Map<string, SymValue>): Map<string, ConstValue> {
  const out = new Map<string, ConstValue>();
  for (const [name, v] of values) {
    if (v.data.every((d) => typeof d === 'number')) out.set(name, { elemType: v.elemType, dims: v.dims, data: v.data as number[] });
  }
  return out;
}

export function inferShapes(graph: Graph, opsets: OpsetImport[], loadTensor: LoadTensor): InferenceResult {
  const state = new State(opsets, loadTensor);
  inferGraph(state, graph);
  const costs = computeCosts(state, graph);
  return {
    types: state.types,
    consts: exportConsts(state.values),
    costs,
    totalMacs: sumKnown(costs.map((c) => c.macs)),
    totalMacsBatch1: sumKnown(costs.map((c) => c.macsBatch1)),
    totalParameters: costs.reduce((a, c) => a + c.parameters, 0),
    warnings: state.warnings,
  };
}
