/**
 * The models the runtime process has read with the project's own reader (for the graph, shapes,
 * labels and external-data locations), keyed by path and invalidated when the file changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inferModelShapes } from '../../core/analysis';
import { OnnxFormatError } from '../../core/errors';
import { buildGraph } from '../../core/graph/build';
import type { Graph } from '../../core/graph/types';
import { readModelFile, type OnnxModel } from '../../core/onnx/reader';
import { findModelLabels } from '../../core/modelLabels';
import { resolveExternalPath } from '../../core/onnx/externalData';
import type { GraphInfo } from '../../core/onnx/types';
import type { InferenceResult } from '../../core/shapes/types';
import type { SessionOptionsSpec } from '../types';

export interface ModelFile {
  path: string;
  mtimeMs: number;
  size: number;
  model: OnnxModel;
  graph: Graph;
  inference: InferenceResult;
  /** External data: location as written in the model → absolute path (checked to stay in the model's folder). */
  externalFiles: Map<string, string>;
  /** Class names from the metadata or a labels file, looked up once per file version. */
  labels: { labels: string[]; source: string } | null;
  /** Class names from the metadata only (when labels files are not to be used). */
  metadataLabels: { labels: string[]; source: string } | null;
}

/** The model's class names as the options allow: a labels file beside it only with `labelsFile` (default true). */
export function modelLabels(file: ModelFile, options: SessionOptionsSpec): ModelFile['labels'] {
  return options.labelsFile === false ? file.metadataLabels : file.labels;
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

function externalLocations(graph: GraphInfo, out: Set<string>): void {
  for (const t of graph.initializers) if (t.data.kind === 'external') out.add(t.data.location);
  for (const n of graph.nodes) for (const a of n.attributes) {
    if (a.t?.data.kind === 'external') out.add(a.t.data.location);
    if (a.g) externalLocations(a.g, out);
    for (const g of a.graphs ?? []) externalLocations(g, out);
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
    const locations = new Set<string>();
    externalLocations(model.info.graph, locations);
    const externalFiles = new Map([...locations].map((loc) => [loc, resolveExternalPath(abs, path.dirname(abs), '(external data)', loc)]));
    const labels = findModelLabels(abs, model.info.metadata);
    const metadataLabels = findModelLabels(abs, model.info.metadata, { files: false });
    const entry: ModelFile = { path: abs, mtimeMs: st.mtimeMs, size: st.size, model, graph, inference, externalFiles, labels, metadataLabels };
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
