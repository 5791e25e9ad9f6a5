/**
 * A model thread: a worker_thread of the analysis process that reads one model, builds its
 * graph and structure, and later runs its shape inference and answers node details and tensor
 * values. Shape inference of a 100k-node model takes seconds and cannot be interrupted; in a
 * thread of its own it no longer holds up the main thread, which keeps answering the host (a
 * second model's open, a reopen from the graph cache) and can stop the work by terminating the
 * thread when the model is closed. The main thread's side is src/analysisProcess/modelThreads.ts.
 *
 * Pure JavaScript, no onnxruntime (that lives in the runtime process only): nothing here can abort
 * the process. Bundled to dist/analysisThread.js.
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { OnnxLensError } from '../core/errors';
import { buildGraph } from '../core/graph/build';
import { buildGraphPayload } from '../core/graph/payload';
import { encodeFirstView, layOutFirstView } from '../core/graphLayout/firstView';
import { editorDiff } from '../core/diff/editorDiff';
import { summarizeModelFile } from '../core/modelAnalysis';
import { readModelBytes, readModelFile, type OnnxModel } from '../core/onnx/reader';
import { clockNow, HostClock, type OpenTimeline } from '../shared/openTimeline';
import type { GraphPayload } from '../shared/graphPayload';
import { encodeGraphPayload } from '../shared/payloadCodec';
import { GraphCache } from './graphCache';
import { BACKGROUND_NICENESS, inBackground, keptLower } from '../rpc/threadPriority';
import { LoadedModel } from './loadedModel';
import type { ModelSource, ThreadError, ThreadJob, ThreadMethods, ThreadReply } from './threadMessages';

const port = parentPort!;
const cache = GraphCache.fromEnvironment();
const hostClock = new HostClock();
let loaded: LoadedModel | undefined;

/** `ahead` sends part of the answer before it (ThreadReply). */
type Handlers = { [K in keyof ThreadMethods]: (params: ThreadMethods[K]['params'], ahead: (part: string) => void) => Promise<ThreadMethods[K]['result']> | ThreadMethods[K]['result'] };

/** The model's name in errors, where it is shown, and how it is (re)read. */
function describe(source: ModelSource): { label: string; displayPath: string; read: () => OnnxModel } {
  if ('file' in source) return { label: source.file, displayPath: path.resolve(source.file), read: () => readModelFile(source.file) };
  return { label: source.name, displayPath: source.displayPath, read: () => readModelBytes(source.bytes, source.name) };
}

function model(): LoadedModel {
  if (!loaded) throw new Error('the model is no longer open in the analysis process; reopen it.');
  return loaded;
}

const handlers: Handlers = {
  open: ({ source, name, key, hostNow }, ahead) => {
    hostClock.sync(hostNow);
    const { label, displayPath, read } = describe(source);
    return aboutFile(label, () => {
      const timeline: OpenTimeline = {};
      const opened = read();
      timeline.modelRead = hostClock.now();
      try {
        const graph = buildGraph(opened.info.graph);
        timeline.graphBuilt = hostClock.now();
        const payload = buildGraphPayload({ graph, inference: null }, name, key);
        // Sent before the structure is encoded and packed (~0.25 s at 100k nodes): the page draws it meanwhile.
        const firstView = firstViewOf(payload);
        if (firstView) {
          timeline.firstViewLaidOut = hostClock.now();
          ahead(firstView);
        }
        const graphFile = cache.store(key, name, new Uint8Array(encodeGraphPayload(payload)));
        timeline.payloadBuilt = hostClock.now();
        loaded = new LoadedModel(label, displayPath, read, { model: opened, graph });
        return { graphFile, timeline };
      } catch (err) {
        opened.close();
        throw err;
      }
    });
  },
  adopt: ({ source }) => {
    const { label, displayPath, read } = describe(source);
    loaded = new LoadedModel(label, displayPath, read);
    return null;
  },
  details: ({ hostNow }) => {
    hostClock.sync(hostNow);
    const current = model();
    // Asked for right after the graph is posted: nobody waits on it as on the next model's open.
    const { summary, details } = aboutFile(current.label, () => inBackground(BACKGROUND_NICENESS, () => current.details()));
    return { summary, details, timeline: { shapesInferred: current.detailsAt === undefined ? undefined : hostClock.now() - (clockNow() - current.detailsAt) } };
  },
  nodeDetails: ({ node }) => model().nodeDetails(node),
  tensorStats: ({ value }) => model().tensorStats(value),
  tensorPage: ({ value, offset, count }) => model().tensorPage(value, offset, count),
  diff: ({ other, labels, version, hashes }) => {
    const a = model();
    const { label, displayPath, read } = describe(other);
    const b = new LoadedModel(label, displayPath, read);
    try {
      const [sa, sb] = [aboutFile(a.label, () => a.analysis()), aboutFile(b.label, () => b.analysis())];
      return editorDiff(sa, sb, { labels, version, hashes });
    } finally {
      b.close();
    }
  },
  close: () => {
    loaded?.close();
    loaded = undefined;
    return null;
  },
  summarize: ({ file }) => summarizeModelFile(file),
};

/**
 * The default first view, laid out for the page to draw before it unpacks the structure, as text;
 * undefined when it cannot be laid out: the page's own layout then says why, in the page.
 */
function firstViewOf(payload: GraphPayload): string | undefined {
  try {
    return encodeFirstView(layOutFirstView(payload));
  } catch {
    return undefined;
  }
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

function flatten(err: unknown): ThreadError {
  if (err instanceof OnnxLensError) return { message: err.message, file: err.file, reason: err.reason };
  return { message: err instanceof Error ? err.message : String(err) };
}

port.on('message', async ({ job, method, params }: ThreadJob) => {
  let reply: ThreadReply;
  try {
    const result = await (handlers[method] as (p: unknown, ahead: (part: string) => void) => unknown)(params, (part) => port.postMessage({ job, ahead: part } satisfies ThreadReply));
    reply = { job, result };
  } catch (err) {
    reply = { job, error: flatten(err) };
  }
  if (keptLower()) reply.keptLower = true;
  // Copied, not transferred: the details' bytes stay cached in the LoadedModel (a few MB at 100k nodes).
  port.postMessage(reply);
});
