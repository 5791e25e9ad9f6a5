/**
 * The models the runtime process has read with the project's own reader (for the graph, shapes,
 * labels and external-data locations), keyed by path and invalidated when the file changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inferModelShapes } from '../../../core/modelAnalysis';
import { OnnxFormatError } from '../../../core/errors';
import { buildGraph } from '../../../core/graph/build';
import type { Graph } from '../../../core/graph/types';
import { readModelFile, type OnnxModel } from '../../../core/onnx/reader';
import { findModelLabels, type LabelLookup } from '../../../core/modelLabels';
import { checkModelExternalData } from '../../../core/onnx/externalData';
import type { InferenceResult } from '../../../core/shapes/types';
import type { SessionOptionsSpec } from '../../../shared/runtimeTypes';

export interface ModelFile {
  path: string;
  mtimeMs: number;
  size: number;
  model: OnnxModel;
  graph: Graph;
  inference: InferenceResult;
  /**
   * Class names from the metadata or a labels file for an output of `classes` classes (undefined:
   * whatever list is found), looked up once per file version and class count; a list of another
   * length is not applied, and `note` says so (core/modelLabels.ts). `files` false: metadata only.
   */
  labelsFor(classes?: number, files?: boolean): LabelLookup;
}

/** The model's class names as the options allow: a labels file beside it only with `labelsFile` (default true). */
export function modelLabels(file: ModelFile, options: SessionOptionsSpec, classes?: number): LabelLookup {
  return file.labelsFor(classes, options.labelsFile !== false);
}

const MAX_OPEN = 4;
const open = new Map<string, ModelFile>();

export function statModel(file: string): fs.Stats {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new OnnxFormatError(file, 'is not a file');
    return st;
  } catch (err) {
    if (err instanceof OnnxFormatError) throw err;
    throw new OnnxFormatError(file, `cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

export function modelFile(file: string): ModelFile {
  const abs = path.resolve(file);
  const st = statModel(abs);
  const cached = open.get(abs);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached;
  cached?.model.close();
  open.delete(abs);
  const model = readModelFile(abs);
  try {
    const graph = buildGraph(model.info.graph);
    const inference = inferModelShapes(model, graph);
    // Every external tensor checked (core/onnx/externalData.ts) when the model is read, so a bad
    // location is the first request's error; sessions.ts checks again before onnxruntime opens it.
    checkModelExternalData(abs, path.dirname(abs), model.info);
    const lookups = new Map<string, LabelLookup>();
    const labelsFor = (classes?: number, files = true): LabelLookup => {
      const key = `${classes}|${files}`;
      let found = lookups.get(key);
      if (!found) lookups.set(key, (found = findModelLabels(abs, model.info.metadata, classes, { files })));
      return found;
    };
    const entry: ModelFile = { path: abs, mtimeMs: st.mtimeMs, size: st.size, model, graph, inference, labelsFor };
    open.set(abs, entry);
    if (open.size > MAX_OPEN) {
      const [oldest] = open.keys();
      open.get(oldest)?.model.close();
      open.delete(oldest);
    }
    return entry;
  } catch (err) {
    model.close();
    throw err;
  }
}

export function forgetModel(file?: string): void {
  for (const [key, entry] of open) {
    if (file === undefined || key === path.resolve(file)) {
      entry.model.close();
      open.delete(key);
    }
  }
}
