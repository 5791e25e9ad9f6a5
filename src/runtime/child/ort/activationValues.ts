/**
 * Which values an activation capture asks ORT for. Only main-graph values can become graph outputs
 * (subgraph values live inside If/Loop bodies). "All" means every data-dependent value: outputs of
 * Constant/ConstantOfShape chains fed only by initializers are weights, not activations, and on
 * models that build their weights that way (the onnx-light zoo) they were 40% of the captured bytes.
 */
import type { Graph } from '../../../core/graph/types';
import { ElemType } from '../../../core/onnx/elemTypes';
import type { InferenceResult } from '../../../core/shapes/types';

/** Element types onnxruntime-node can hand back as JS typed arrays. 4-bit and 8-bit floats abort its binding (docs/environment.md). */
const RETURNABLE = new Set<number>([
  ElemType.FLOAT, ElemType.UINT8, ElemType.INT8, ElemType.UINT16, ElemType.INT16, ElemType.INT32, ElemType.INT64,
  ElemType.STRING, ElemType.BOOL, ElemType.FLOAT16, ElemType.DOUBLE, ElemType.UINT32, ElemType.UINT64,
]);

export interface ActivationPlan {
  /** Values to report, in topological order of their producers (graph outputs included). */
  report: string[];
  /** Of those, the ones that must be added as graph outputs. */
  capture: string[];
  /** Values that were asked for but cannot be captured, with the reason. */
  skipped: { name: string; reason: string }[];
}

/** Values computed from the graph inputs (not foldable to constants). */
function dataDependent(graph: Graph): Set<string> {
  const dependent = new Set<string>(graph.inputs);
  for (const i of graph.order) {
    const node = graph.nodes[i];
    // Subgraphs may read graph inputs from the outer scope; treat such nodes as dependent.
    const fromInputs = node.info.inputs.some((name) => dependent.has(name)) || node.subgraphs.length > 0;
    if (fromInputs) for (const out of node.info.outputs) if (out) dependent.add(out);
  }
  return dependent;
}

/** Values produced inside subgraph bodies (any depth) → the node that owns the body, e.g. "If 'cond_branch'". */
function subgraphValues(graph: Graph, out = new Map<string, string>(), owner?: string): Map<string, string> {
  for (const node of graph.nodes) {
    if (owner !== undefined) for (const o of node.info.outputs) if (o && !out.has(o)) out.set(o, owner);
    for (const sub of node.subgraphs) subgraphValues(sub.graph, out, owner ?? `${node.opType} '${node.name}'`);
  }
  return out;
}

export function planActivations(graph: Graph, inference: InferenceResult, requested: readonly string[] | 'all'): ActivationPlan {
  const skipped: ActivationPlan['skipped'] = [];
  const dependent = dataDependent(graph);
  const orderOf = new Map<string, number>();
  graph.order.forEach((nodeIndex, position) => {
    for (const out of graph.nodes[nodeIndex].info.outputs) if (out) orderOf.set(out, position);
  });
  const inBodies = subgraphValues(graph);
  // "All" also names the values inside If/Loop/Scan bodies, so the user learns why they are missing.
  const wanted = requested === 'all'
    ? [...[...orderOf.keys()].filter((name) => dependent.has(name)), ...[...inBodies.keys()].filter((name) => !graph.values.has(name))]
    : [...new Set(requested)];
  const report: string[] = [];
  for (const name of wanted) {
    const value = graph.values.get(name);
    if (!value || value.kind === 'outer') {
      const owner = inBodies.get(name);
      skipped.push({ name, reason: owner ? `it is computed inside the body of ${owner}, and only main-graph values can become outputs` : 'the model has no value by that name' });
      continue;
    }
    if (value.kind === 'input') {
      skipped.push({ name, reason: 'it is a graph input: its values are the input you gave' });
      continue;
    }
    if (value.kind === 'initializer') {
      skipped.push({ name, reason: 'it is a stored weight: see its statistics in the details panel' });
      continue;
    }
    const elemType = inference.types.get(name)?.elemType ?? 0;
    if (elemType !== 0 && !RETURNABLE.has(elemType)) {
      skipped.push({ name, reason: `onnxruntime-node cannot return its element type (code ${elemType})` });
      continue;
    }
    report.push(name);
  }
  report.sort((a, b) => (orderOf.get(a) ?? 0) - (orderOf.get(b) ?? 0));
  // Graph outputs come back from every run; only the others become extra outputs.
  const capture = report.filter((name) => !graph.values.get(name)?.isGraphOutput);
  return { report, capture, skipped };
}
