/**
 * The analysis process: reads and analyses models away from the extension host, so a 100k-node
 * model (seconds of parsing and inference) or a pathological file never stalls other extensions,
 * and a crash costs a restart of this process, not of the host. Forked by the extension
 * (src/extension/analysisProcess.ts); bundled to dist/analysisChild.js.
 *
 * Opening answers in two steps so the graph is drawn before shapes are known: `open` answers with
 * the structure as soon as the graph is built (read + graph + payload: what the first frame
 * needs), written to the graph cache (src/analysisProcess/graphCache.ts) for the host to read, or found
 * there when the model was opened before; shape inference and the summary follow on `details`,
 * which the host asks for once the page has drawn the graph (on two cores, inference running
 * during the webview's layout would slow the first frame).
 */
import * as path from 'node:path';
import { buildGraph } from '../core/graph/build';
import { OnnxLensError } from '../core/errors';
import { summarizeModelFile } from '../core/modelAnalysis';
import { buildGraphPayload } from '../core/graph/payload';
import { readModelBytes, readModelFile, type OnnxModel } from '../core/onnx/reader';
import { clockNow, HostClock, type OpenTimeline } from '../shared/openTimeline';
import { encodeGraphPayload } from '../shared/payloadCodec';
import { serveRequests } from '../rpc/childServer';
import { GraphCache } from './graphCache';
import { LoadedModel } from './loadedModel';
import type { AnalysisMethods } from './methods';
import { modelBytesHash, modelFileHash } from './modelHash';
import { editorDiff } from '../core/diff/editorDiff';

const models = new Map<number, LoadedModel>();
/** The content hash of each open model (the graph cache's key; the overlay's layout cache key derives from both). */
const hashes = new Map<number, string>();
let nextId = 1;
const cache = GraphCache.fromEnvironment();
/** The host's clock: its open requests carry a reading (src/shared/openTimeline.ts). */
const hostClock = new HostClock();

/**
 * Opens a model: its structure from the graph cache when it was opened before (the model is read
 * later, for the details), else read and built now and stored there. `read` (re)reads the model.
 */
function openModel(label: string, displayPath: string, name: string, hash: () => string, read: () => OnnxModel, hostNow?: number): AnalysisMethods['open']['result'] {
  hostClock.sync(hostNow);
  const timeline: OpenTimeline = { analysisStarted: hostClock.now() };
  const key = hash();
  const cached = cache.lookup(key, name);
  if (cached) {
    timeline.payloadBuilt = hostClock.now();
    return keep(new LoadedModel(label, displayPath, read), cached, timeline, key);
  }
  const model = read();
  timeline.modelRead = hostClock.now();
  try {
    const graph = buildGraph(model.info.graph);
    timeline.graphBuilt = hostClock.now();
    const payload = buildGraphPayload({ graph, inference: null }, name, key);
    const graphFile = cache.store(key, name, new Uint8Array(encodeGraphPayload(payload)));
    timeline.payloadBuilt = hostClock.now();
    return keep(new LoadedModel(label, displayPath, read, { model, graph }), graphFile, timeline, key);
  } catch (err) {
    model.close();
    throw err;
  }
}

function keep(loaded: LoadedModel, graphFile: string, timeline: OpenTimeline, hash: string): AnalysisMethods['open']['result'] {
  const id = nextId++;
  models.set(id, loaded);
  hashes.set(id, hash);
  return { id, graphFile, timeline };
}

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
  open: ({ file, name, hostNow }) => aboutFile(file, () => openModel(file, path.resolve(file), name, () => modelFileHash(file), () => readModelFile(file), hostNow)),
  openBytes: ({ bytes, name, displayPath, hostNow }) => aboutFile(name, () => openModel(name, displayPath, name, () => modelBytesHash(bytes), () => readModelBytes(bytes, name), hostNow)),
  details: ({ id }) => {
    const loaded = opened(id);
    const { summary, details } = aboutFile(loaded.label, () => loaded.details());
    return { summary, details, timeline: { shapesInferred: loaded.detailsAt === undefined ? undefined : hostClock.now() - (clockNow() - loaded.detailsAt) } };
  },
  nodeDetails: ({ id, node }) => opened(id).nodeDetails(node),
  tensorStats: ({ id, value }) => opened(id).tensorStats(value),
  tensorPage: ({ id, value, offset, count }) => opened(id).tensorPage(value, offset, count),
  close: ({ id }) => {
    const model = models.get(id);
    model?.close();
    hashes.delete(id);
    return { closed: models.delete(id) };
  },
  summarize: ({ file }) => summarizeModelFile(file),
  diff: ({ a, b, labels, version }) => {
    const [la, lb] = [opened(a), opened(b)];
    const [sa, sb] = [aboutFile(la.label, () => la.analysis()), aboutFile(lb.label, () => lb.analysis())];
    return editorDiff(sa, sb, { labels, version, hashes: [hashes.get(a) ?? `${a}`, hashes.get(b) ?? `${b}`] });
  },
}, 'the ONNX Lens analysis process');
