/**
 * Builds the columnar GraphPayload (src/shared/graphPayload.ts) the webview graph view reads,
 * from the core Graph and the shape inference result. One pass over nodes and values, typed
 * arrays everywhere, no per-node objects: 100k nodes must build in well under a second.
 */
import { ValueKind, type GraphPayload } from '../../shared/graphPayload';
import type { GraphDetails } from '../../shared/payloadCodec';
import { elemTypeName } from '../onnx/elemTypes';
import type { Dim } from '../../shared/tensorTypes';
import type { InferenceResult } from '../shapes/types';
import { describeType } from '../summary/summarize';
import type { Graph, GraphNode, Value } from './types';
import { opLabel, totalNodeCount } from './walk';

export interface PayloadSource {
  graph: Graph;
  /** Null: the structure only (types from the declarations, no costs); {@link graphDetails} adds the rest later. */
  inference: InferenceResult | null;
}

const NO_INFERENCE: InferenceResult = { types: new Map(), consts: new Map(), costs: [], totalMacs: null, totalMacsBatch1: null, totalParameters: 0, warnings: [] };

/** '[batch, 3, 224, 224]'; '?' for an unknown rank, '?' for an unknown dim. */
export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return '?';
  let text = '[';
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    text += (i > 0 ? ', ' : '') + (d === null ? '?' : String(d));
  }
  return `${text}]`;
}

const UNKNOWN_TYPE: { readonly elemType: string; readonly shape: string } = { elemType: 'unknown', shape: formatShape(null) };

/** Element type and printable shape of a value: inferred first, the declared type as fallback. */
export function valueTypeText(name: string, value: Value | undefined, inference: InferenceResult): { elemType: string; shape: string } {
  const inferred = inference.types.size === 0 ? undefined : inference.types.get(name);
  // Most values of a structure (no inference yet) declare nothing: one shared answer, no objects.
  if (inferred === undefined && !value?.declared) return UNKNOWN_TYPE;
  if (inferred && inferred.elemType !== 0 && inferred.shape) return { elemType: elemTypeName(inferred.elemType), shape: formatShape(inferred.shape) };
  const declared = describeType(value?.declared ?? { kind: 'unknown' });
  const elemType = inferred && inferred.elemType !== 0 ? elemTypeName(inferred.elemType) : declared.elemType;
  const shape = inferred?.shape ? inferred.shape : declared.shape;
  return { elemType, shape: formatShape(shape) };
}

/** More sibling groups than this are split into ranges ("layer.0–99"): 1,282 boxes in a row read as a wall. */
export const MAX_SIBLING_GROUPS = 100;

/** "layer.0" … "layer.99" → "layer.0–99"; names without a shared prefix → "a … b". */
export function rangeName(first: string, last: string): string {
  let k = 0;
  while (k < first.length && k < last.length && first[k] === last[k]) k++;
  // Keep whole numbers: "layer.1" / "layer.19" share "layer.1", but the range is "layer.1–19".
  while (k > 0 && /\d/.test(first[k - 1])) k--;
  return k > 0 ? `${first}–${last.slice(k)}` : `${first} … ${last}`;
}

/**
 * Puts the children of a group with more than MAX_SIBLING_GROUPS child groups into range groups of
 * that many (in topological order), appended to the arrays. Range groups hold no nodes themselves.
 */
function splitLongSiblingLists(names: string[], parents: number[], direct: number[], nodeGroup: Uint32Array, nodeOrder: Uint32Array): void {
  const count = names.length;
  const childCount = new Uint32Array(count);
  for (let g = 1; g < count; g++) childCount[parents[g]]++;
  if (!childCount.some((c) => c > MAX_SIBLING_GROUPS)) return;
  // First topological position per subtree; children come after parents here, so sweep backwards.
  const first = new Float64Array(count).fill(Infinity);
  for (let n = 0; n < nodeGroup.length; n++) if (nodeOrder[n] < first[nodeGroup[n]]) first[nodeGroup[n]] = nodeOrder[n];
  for (let g = count - 1; g > 0; g--) if (first[g] < first[parents[g]]) first[parents[g]] = first[g];
  const children: number[][] = Array.from({ length: count }, () => []);
  for (let g = 1; g < count; g++) if (childCount[parents[g]] > MAX_SIBLING_GROUPS) children[parents[g]].push(g);
  for (let p = 0; p < count; p++) {
    const list = children[p];
    if (list.length === 0) continue;
    list.sort((a, b) => first[a] - first[b] || a - b);
    for (let at = 0; at < list.length; at += MAX_SIBLING_GROUPS) {
      const chunk = list.slice(at, at + MAX_SIBLING_GROUPS);
      const range = names.length;
      names.push(rangeName(names[chunk[0]], names[chunk[chunk.length - 1]]));
      parents.push(p);
      direct.push(0);
      for (const c of chunk) parents[c] = range;
    }
  }
}

/** Nodes in each group's whole subtree, whatever order groups were created in. */
function subtreeCounts(parents: number[], direct: number[]): Uint32Array {
  const count = parents.length;
  const out = Uint32Array.from(direct);
  const depth = new Int32Array(count);
  for (let g = 1; g < count; g++) {
    let d = 0;
    for (let at = g; at > 0; at = parents[at]) d++;
    depth[g] = d;
  }
  const deepestFirst = Array.from({ length: count - 1 }, (_, i) => i + 1).sort((a, b) => depth[b] - depth[a]);
  for (const g of deepestFirst) out[parents[g]] += out[g];
  return out;
}

/** Visits the payload's values in payload order: every name the main graph knows, then graph outputs nothing defines. */
function eachPayloadValue(graph: Graph, visit: (name: string, value: Value | undefined) => void): void {
  for (const [name, value] of graph.values) visit(name, value);
  const extra = new Set<string>();
  for (const name of graph.outputs) if (!graph.values.has(name)) extra.add(name);
  for (const name of extra) visit(name, undefined);
}

/** The payload's values in payload order (see {@link eachPayloadValue}). */
export function payloadValueNames(graph: Graph): string[] {
  const names: string[] = [];
  eachPayloadValue(graph, (name) => names.push(name));
  return names;
}

/** What shape inference adds to a payload built with `inference: null` (same value order). */
export function graphDetails(graph: Graph, inference: InferenceResult, valueNames: readonly string[]): GraphDetails {
  const valueElemTypes = new Array<string>(valueNames.length);
  const valueShapes = new Array<string>(valueNames.length);
  for (let i = 0; i < valueNames.length; i++) {
    const t = valueTypeText(valueNames[i], graph.values.get(valueNames[i]), inference);
    valueElemTypes[i] = t.elemType;
    valueShapes[i] = t.shape;
  }
  const nodeParams = new Float64Array(graph.nodes.length);
  const nodeMacs = new Float64Array(graph.nodes.length);
  for (let i = 0; i < graph.nodes.length; i++) {
    const cost = inference.costs[i];
    nodeParams[i] = cost?.parameters ?? 0;
    nodeMacs[i] = cost?.macsBatch1 ?? NaN;
  }
  return { valueElemTypes, valueShapes, nodeParams, nodeMacs };
}

const UNRESOLVED = -2;

/**
 * Fills each node's input and output slots with value ids (-1: an empty name, or no such value)
 * and returns the id of a value by name for `named` (graph inputs, outputs, problems; -1 when
 * unknown). The slots are found from each value's producer and consumers, whose short lists of
 * names hold it, so a 100k-node graph needs no map from its 100k long names to ids (building one
 * cost a tenth of an open, docs/opening-a-model.md); slots those lists do not explain (a graph
 * built by hand, a name produced twice) are looked up, in one pass over the names.
 */
function fillEdges(
  nodes: readonly GraphNode[], valueNames: readonly string[], values: readonly (Value | undefined)[],
  edges: { nodeInputStart: Uint32Array; nodeInputs: Int32Array; nodeOutputStart: Uint32Array; nodeOutputs: Int32Array },
  named: readonly string[],
): (name: string) => number {
  const { nodeInputStart, nodeInputs, nodeOutputStart, nodeOutputs } = edges;
  nodeInputs.fill(UNRESOLVED);
  nodeOutputs.fill(UNRESOLVED);
  const mark = (names: readonly string[], at: number, slots: Int32Array, name: string, id: number) => {
    for (let k = 0; k < names.length; k++) if (names[k] === name) slots[at + k] = id;
  };
  for (let id = 0; id < values.length; id++) {
    const v = values[id];
    if (!v) continue;
    const name = valueNames[id];
    if (v.producer >= 0 && v.producer < nodes.length) mark(nodes[v.producer].info.outputs, nodeOutputStart[v.producer], nodeOutputs, name, id);
    for (const c of v.consumers) if (c < nodes.length) mark(nodes[c].info.inputs, nodeInputStart[c], nodeInputs, name, id);
  }
  const wanted = new Map<string, number>();
  for (const name of named) wanted.set(name, -1);
  const unresolved: [names: readonly string[], at: number, slots: Int32Array][] = [];
  const settle = (names: readonly string[], at: number, slots: Int32Array) => {
    for (let k = 0; k < names.length; k++) {
      if (slots[at + k] !== UNRESOLVED) continue;
      if (names[k] === '') slots[at + k] = -1;
      else {
        wanted.set(names[k], -1);
        unresolved.push([names, at, slots]);
      }
    }
  };
  for (let i = 0; i < nodes.length; i++) {
    settle(nodes[i].info.inputs, nodeInputStart[i], nodeInputs);
    settle(nodes[i].info.outputs, nodeOutputStart[i], nodeOutputs);
  }
  if (wanted.size > 0) {
    for (let id = 0; id < valueNames.length; id++) if (wanted.get(valueNames[id]) === -1) wanted.set(valueNames[id], id);
  }
  for (const [names, at, slots] of unresolved) {
    for (let k = 0; k < names.length; k++) if (slots[at + k] === UNRESOLVED) slots[at + k] = wanted.get(names[k]) ?? -1;
  }
  return (name) => wanted.get(name) ?? -1;
}

export function buildGraphPayload(source: PayloadSource, fileName: string, modelHash: string): GraphPayload {
  const graph = source.graph;
  const inference = source.inference ?? NO_INFERENCE;
  const nodes = graph.nodes;
  const nodeCount = nodes.length;

  // ---- values: every name the main graph knows, then graph outputs nothing defines ----
  const valueNames: string[] = [];
  const values: (Value | undefined)[] = [];
  eachPayloadValue(graph, (name, v) => {
    valueNames.push(name);
    values.push(v);
  });
  const valueCount = valueNames.length;
  const valueKind = new Uint8Array(valueCount);
  const valueProducer = new Int32Array(valueCount);
  const valueElemTypes = new Array<string>(valueCount);
  const valueShapes = new Array<string>(valueCount);
  for (let id = 0; id < valueCount; id++) {
    const v = values[id];
    // In the main graph an 'outer' value has no enclosing graph to come from: it is dangling.
    valueKind[id] = !v || v.kind === 'outer' ? ValueKind.Missing
      : v.kind === 'input' ? ValueKind.Input : v.kind === 'initializer' ? ValueKind.Initializer : ValueKind.Intermediate;
    valueProducer[id] = v ? v.producer : -1;
    const t = valueTypeText(valueNames[id], v, inference);
    valueElemTypes[id] = t.elemType;
    valueShapes[id] = t.shape;
  }

  // ---- nodes: ops, costs, CSR inputs/outputs ----
  const opIds = new Map<string, number>();
  const ops: string[] = [];
  const nodeNames = new Array<string>(nodeCount);
  const nodeOp = new Uint32Array(nodeCount);
  const nodeParams = new Float64Array(nodeCount);
  const nodeMacs = new Float64Array(nodeCount);
  const nodeOrder = new Uint32Array(nodeCount);
  const nodeInputStart = new Uint32Array(nodeCount + 1);
  const nodeOutputStart = new Uint32Array(nodeCount + 1);
  let inputTotal = 0;
  let outputTotal = 0;
  for (const n of nodes) {
    inputTotal += n.info.inputs.length;
    outputTotal += n.info.outputs.length;
  }
  const nodeInputs = new Int32Array(inputTotal);
  const nodeOutputs = new Int32Array(outputTotal);
  const subgraphs: Record<number, [string, number][]> = {};
  let inAt = 0;
  let outAt = 0;
  for (let i = 0; i < nodeCount; i++) {
    const n = nodes[i];
    nodeNames[i] = n.name;
    const label = opLabel(n.domain, n.opType);
    let op = opIds.get(label);
    if (op === undefined) {
      op = ops.length;
      opIds.set(label, op);
      ops.push(label);
    }
    nodeOp[i] = op;
    const cost = inference.costs[i];
    nodeParams[i] = cost?.parameters ?? 0;
    nodeMacs[i] = cost?.macsBatch1 ?? NaN;
    nodeInputStart[i] = inAt;
    inAt += n.info.inputs.length;
    nodeOutputStart[i] = outAt;
    outAt += n.info.outputs.length;
    if (n.subgraphs.length > 0) subgraphs[i] = n.subgraphs.map((s) => [s.attribute, totalNodeCount(s.graph)]);
  }
  nodeInputStart[nodeCount] = inAt;
  nodeOutputStart[nodeCount] = outAt;
  graph.order.forEach((node, position) => (nodeOrder[node] = position));
  const valueId = fillEdges(nodes, valueNames, values, { nodeInputStart, nodeInputs, nodeOutputStart, nodeOutputs }, [
    ...graph.inputs, ...graph.outputs, ...graph.problems.flatMap((p) => (p.value === undefined ? [] : [p.value])),
  ]);

  // ---- groups: the scope tree, one group per distinct scope prefix ----
  const groupNames: string[] = [''];
  const parents: number[] = [-1];
  // Children per group by segment: walking a scope is a few small-map lookups, no key strings.
  const children: Map<string, number>[] = [new Map()];
  // Scopes are often shared arrays (constants adopt their consumer's), so remember by identity too.
  const groupByScope = new Map<readonly string[], number>();
  const nodeGroup = new Uint32Array(nodeCount);
  const direct: number[] = [0];
  for (let i = 0; i < nodeCount; i++) {
    const scope = nodes[i].scope;
    let group: number | undefined = groupByScope.get(scope);
    if (group === undefined) {
      group = 0;
      for (const segment of scope) {
        let child: number | undefined = children[group].get(segment);
        if (child === undefined) {
          child = groupNames.length;
          children[group].set(segment, child);
          children.push(new Map());
          groupNames.push(segment);
          parents.push(group);
          direct.push(0);
        }
        group = child;
      }
      groupByScope.set(scope, group);
    }
    nodeGroup[i] = group;
    direct[group]++;
  }
  splitLongSiblingLists(groupNames, parents, direct, nodeGroup, nodeOrder);
  const groupCount = groupNames.length;
  const groupNodeCount = subtreeCounts(parents, direct);

  // ---- problems, located by index ----
  let nodeByName: Map<string, number> | undefined;
  const nodeIndex = (name: string | undefined): number => {
    if (name === undefined) return -1;
    nodeByName ??= new Map(nodes.map((n) => [n.name, n.index]));
    return nodeByName.get(name) ?? -1;
  };
  const problems = graph.problems.map((p) => ({
    message: p.message,
    node: nodeIndex(p.node),
    value: p.value === undefined ? -1 : valueId(p.value),
  }));

  return {
    modelHash,
    fileName,
    nodeCount,
    nodeNames,
    ops,
    nodeOp,
    nodeGroup,
    nodeParams,
    nodeMacs,
    nodeOrder,
    nodeInputStart,
    nodeInputs,
    nodeOutputStart,
    nodeOutputs,
    subgraphs,
    valueCount,
    valueNames,
    valueKind,
    valueProducer,
    valueElemTypes,
    valueShapes,
    graphInputs: graph.inputs.map(valueId),
    graphOutputs: graph.outputs.map(valueId),
    groupCount,
    groupNames,
    groupParent: Int32Array.from(parents),
    groupNodeCount,
    problems,
  };
}
