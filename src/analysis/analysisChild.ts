/**
 * The analysis process: reads and analyses models away from the extension host, so a 100k-node
 * model (seconds of parsing and inference) or a pathological file never stalls other extensions,
 * and a crash costs a restart of this process, not of the host. Forked by the extension
 * (src/extension/analysisProcess.ts); bundled to dist/analysisChild.js.
 */
import * as path from 'node:path';
import { inferModelShapes, summarizeModelFile } from '../core/analysis';
import { buildGraph } from '../core/graph/build';
import { summarize } from '../core/summary/summarize';
import { clockNow, type OpenTimeline } from '../shared/openTimeline';
import { OnnxLensError } from '../core/errors';
import { buildGraphPayload } from '../core/graph/payload';
import { readModelFile } from '../core/onnx/reader';
import { serveRequests } from '../runtime/childServer';
import { LoadedModel } from './loadedModel';
import type { AnalysisMethods } from './methods';
import { modelFileHash } from './modelHash';

const models = new Map<number, LoadedModel>();
let nextId = 1;

function opened(id: number): LoadedModel {
  const model = models.get(id);
  if (!model) throw new Error('the model is no longer open in the analysis process; reopen it.');
  return model;
}

/** Errors that are not already one sentence about the file become one. */
function aboutFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof OnnxLensError) throw err;
    throw new OnnxLensError(file, `unexpected error: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
}

serveRequests<AnalysisMethods>({
  open: ({ file, name }) => aboutFile(file, () => {
    const timeline: OpenTimeline = { analysisStarted: clockNow() };
    const model = readModelFile(file);
    timeline.modelRead = clockNow();
    try {
      const graph = buildGraph(model.info.graph);
      timeline.graphBuilt = clockNow();
      const inference = inferModelShapes(model, graph);
      timeline.shapesInferred = clockNow();
      const analysis = { model, graph, inference, summary: summarize(model, path.resolve(file), graph, inference) };
      const loaded = new LoadedModel(analysis, buildGraphPayload(analysis, name, modelFileHash(file)));
      timeline.payloadBuilt = clockNow();
      const id = nextId++;
      models.set(id, loaded);
      timeline.resultEncoded = clockNow();
      return { id, summary: loaded.summary, payload: loaded.payload, timeline };
    } catch (err) {
      model.close();
      throw err;
    }
  }),
  nodeDetails: ({ id, node }) => opened(id).nodeDetails(node),
  tensorStats: ({ id, value }) => opened(id).tensorStats(value),
  tensorPage: ({ id, value, offset, count }) => opened(id).tensorPage(value, offset, count),
  close: ({ id }) => {
    const model = models.get(id);
    model?.close();
    return { closed: models.delete(id) };
  },
  summarize: ({ file }) => summarizeModelFile(file),
}, 'the ONNX Lens analysis process');
