/**
 * Builds the ModelSummary (what `inspect` prints and the model editor shows) from a read model.
 */
import type { Graph } from '../graph/types';
import { eachSubgraph, opLabel, totalNodeCount } from '../graph/walk';
import { elemTypeName } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import type { TypeInfo } from '../onnx/types';
import type { InferenceResult } from '../shapes/types';
import { checkTensorData, storedTensors } from './tensors';
import type { ModelSummary, SummaryProblem, SummaryValue } from '../../shared/modelSummary';

const LARGEST_TENSORS = 10;
const MAX_WARNINGS = 20;

export function summarize(model: OnnxModel, absolutePath: string, graph: Graph, inference: InferenceResult): ModelSummary {
  const info = model.info;
  const tensors = storedTensors(info.graph);
  const problems: SummaryProblem[] = [
    ...graphProblems(graph).map((message) => ({ severity: 'error' as const, message })),
    ...checkTensorData(model, tensors).map((message) => ({ severity: 'error' as const, message })),
  ];
  if (info.opsets.length === 0) problems.push({ severity: 'warning', message: 'the model imports no opset (opset_import is empty)' });
  const warnings = inference.warnings;
  for (const w of warnings.slice(0, MAX_WARNINGS)) problems.push({ severity: 'warning', message: w });
  if (warnings.length > MAX_WARNINGS) problems.push({ severity: 'warning', message: `${warnings.length - MAX_WARNINGS} more shape-inference warnings` });

  const opCounts: Record<string, number> = {};
  for (const n of graph.nodes) {
    // Keyed `domain:op` outside the default domain, so com.microsoft's LayerNormalization stays apart.
    const key = opLabel(n.domain, n.opType);
    opCounts[key] = (opCounts[key] ?? 0) + 1;
  }
  const declaredValue = (name: string, declared: TypeInfo | null | undefined): SummaryValue => {
    const inferred = inference.types.get(name);
    if (inferred && (inferred.elemType !== 0 || inferred.shape)) return { name, elemType: elemTypeName(inferred.elemType), shape: inferred.shape };
    return { name, ...describeType(declared ?? { kind: 'unknown' }) };
  };

  return {
    path: absolutePath,
    fileBytes: model.fileBytes,
    irVersion: info.irVersion,
    producer: { name: info.producerName, version: info.producerVersion },
    domain: info.domain,
    modelVersion: info.modelVersion,
    docString: info.docString,
    opsets: Object.fromEntries(info.opsets.map((o) => [o.domain, o.version])),
    metadata: Object.fromEntries(info.metadata.map((m) => [m.key, m.value])),
    inputs: graph.inputs.map((name) => ({ name, ...describeType(graph.values.get(name)?.declared ?? { kind: 'unknown' }) })),
    outputs: info.graph.outputs.map((o) => declaredValue(o.name, o.type)),
    nodeCount: graph.nodes.length,
    nodeCountTotal: totalNodeCount(graph),
    opCounts,
    parameterCount: tensors.reduce((a, t) => a + (Number.isSafeInteger(t.elements) ? t.elements : 0), 0),
    parameterBytes: tensors.reduce((a, t) => a + (Number.isSafeInteger(t.bytes) ? t.bytes : 0), 0),
    // Strict total when every dim is fixed; otherwise per-sample with symbolic dims taken as 1 (flagged).
    macs: inference.totalMacs ?? inference.totalMacsBatch1,
    macsSymbolicAsOne: inference.totalMacs === null && inference.totalMacsBatch1 !== null,
    initializerCount: info.graph.initializers.length + info.graph.sparseInitializers.length,
    functionCount: info.functions.length,
    subgraphCount: countSubgraphs(graph),
    usesExternalData: tensors.some((t) => t.tensor?.data.kind === 'external'),
    largestTensors: [...tensors]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, LARGEST_TENSORS)
      .map((t) => ({ name: t.name, elemType: elemTypeName(t.elemType), shape: t.dims, bytes: t.bytes, elements: t.elements })),
    values: graph.order.flatMap((i) =>
      graph.nodes[i].info.outputs.filter((o) => o !== '').map((o) => declaredValue(o, graph.values.get(o)?.declared)),
    ),
    problems,
  };
}

export function describeType(t: TypeInfo): { elemType: string; shape: SummaryValue['shape'] } {
  switch (t.kind) {
    case 'tensor':
      return { elemType: elemTypeName(t.elemType), shape: t.shape };
    case 'sparse_tensor':
      return { elemType: `sparse<${elemTypeName(t.elemType)}>`, shape: t.shape };
    case 'sequence':
      return { elemType: `sequence<${describeType(t.elem).elemType}>`, shape: null };
    case 'optional':
      return { elemType: `optional<${describeType(t.elem).elemType}>`, shape: null };
    case 'map':
      return { elemType: `map<${elemTypeName(t.keyType)},${describeType(t.value).elemType}>`, shape: null };
    default:
      return { elemType: 'unknown', shape: null };
  }
}

function countSubgraphs(g: Graph): number {
  let total = 0;
  eachSubgraph(g, () => total++);
  return total;
}

function graphProblems(g: Graph): string[] {
  const out = g.problems.map((p) => p.message);
  eachSubgraph(g, (s) => {
    for (const p of s.problems) out.push(`in subgraph '${s.name || 'unnamed'}': ${p.message}`);
  });
  return out;
}
