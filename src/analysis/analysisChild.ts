/**
 * The analysis process: reads and analyses models away from the extension host, so a 100k-node
 * model (seconds of parsing and inference) or a pathological file never stalls other extensions,
 * and a crash costs a restart of this process, not of the host. Forked by the extension
 * (src/extension/analysisProcess.ts); bundled to dist/analysisChild.js.
 */
import * as path from 'node:path';
import { analyzeModel, summarizeModelFile } from '../core/analysis';
import { OnnxLensError } from '../core/errors';
import { buildGraphPayload } from '../core/graph/payload';
import { readModelBytes, readModelFile, type OnnxModel } from '../core/onnx/reader';
import { serveRequests } from '../runtime/childServer';
import { LoadedModel } from './loadedModel';
import type { AnalysisMethods } from './methods';
import { modelBytesHash, modelFileHash } from './modelHash';

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

/** Analyses an opened model and keeps it under a new id; the model is closed if that fails. */
function keep(model: OnnxModel, displayPath: string, name: string, hash: () => string) {
  try {
    const analysis = analyzeModel(model, displayPath);
    const loaded = new LoadedModel(analysis, buildGraphPayload(analysis, name, hash()));
    const id = nextId++;
    models.set(id, loaded);
    return { id, summary: loaded.summary, payload: loaded.payload };
  } catch (err) {
    model.close();
    throw err;
  }
}

serveRequests<AnalysisMethods>({
  open: ({ file, name }) => aboutFile(file, () => keep(readModelFile(file), path.resolve(file), name, () => modelFileHash(file))),
  openBytes: ({ bytes, name, displayPath }) => aboutFile(name, () => keep(readModelBytes(bytes, name), displayPath, name, () => modelBytesHash(bytes))),
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
