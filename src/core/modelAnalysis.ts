/**
 * The one pipeline every consumer runs: read the file lazily, build the graph, infer shapes and
 * costs, summarise. The CLI, the editor and the benchmarks all come through here.
 */
import * as path from 'node:path';
import { buildGraph } from './graph/build';
import type { Graph } from './graph/types';
import { readModelFile, type OnnxModel } from './onnx/reader';
import { inferShapes } from './shapes';
import type { InferenceResult } from './shapes/types';
import { summarize } from './summary/summarize';
import type { ModelSummary } from '../shared/modelSummary';

export interface ModelAnalysis {
  model: OnnxModel;
  graph: Graph;
  inference: InferenceResult;
  summary: ModelSummary;
}

export function inferModelShapes(model: OnnxModel, graph: Graph): InferenceResult {
  return inferShapes(graph, model.info.opsets, (t, max) => model.tensorNumbers(t, max));
}

export function analyzeModel(model: OnnxModel, displayPath: string): ModelAnalysis {
  const graph = buildGraph(model.info.graph);
  const inference = inferModelShapes(model, graph);
  return { model, graph, inference, summary: summarize(model, displayPath, graph, inference) };
}

/** Reads, analyses and closes a model file; throws OnnxLensError when it cannot be read. */
export async function summarizeModelFile(file: string): Promise<ModelSummary> {
  const model = readModelFile(file);
  try {
    return analyzeModel(model, path.resolve(file)).summary;
  } finally {
    model.close();
  }
}
