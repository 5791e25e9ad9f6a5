/**
 * The analysis process: reads and analyses models away from the extension host, so a 100k-node
 * model (seconds of parsing and inference) or a pathological file never stalls other extensions,
 * and a crash costs a restart of this process, not of the host. Forked by the extension
 * (src/extension/analysisProcess.ts); bundled to dist/analysisChild.js.
 *
 * Its main thread only answers the host: each model is read and analysed in a thread of its own
 * (src/analysisProcess/modelThreadPool.ts), so one model's shape inference never holds up
 * another's open, and a model opened before is answered from the graph cache at once.
 *
 * Opening answers in two steps so the graph is drawn before shapes are known: `open` answers with
 * the structure as soon as the graph is built (read + graph + payload: what the first frame
 * needs), written to the graph cache (src/analysisProcess/graphCache.ts) for the host to read, or found
 * there when the model was opened before; shape inference and the summary follow on `details`,
 * which the host asks for once the page has drawn the graph (on two cores, inference running
 * during the webview's layout would slow the first frame).
 */
import { OnnxLensError } from '../core/errors';
import { serveRequests, type ReportProgress } from '../rpc/childServer';
import { startWorkerScript } from '../rpc/workerScript';
import { HostClock } from '../shared/openTimeline';
import { GraphCache } from './graphCache';
import type { AnalysisMethods, OpenResult } from './methods';
import { modelBytesHash, modelFileHash } from './modelHash';
import { ModelThreadPool } from './modelThreadPool';
import type { ModelSource } from './threadMessages';

let nextId = 1;
const cache = GraphCache.fromEnvironment();
/** The host's clock: its open requests carry a reading (src/shared/openTimeline.ts). */
const hostClock = new HostClock();
const threads = new ModelThreadPool(() => startWorkerScript(__dirname, 'modelThread'));
threads.warm();
/** Where each open model comes from: a diff reads model b again in model a's thread. */
const sources = new Map<number, ModelSource>();
/** The content hash of each open model (the graph cache's key; a diff's overlay is cached under both). */
const hashes = new Map<number, string>();

/**
 * Opens a model in a thread of its own: its structure from the graph cache when it was opened
 * before (the thread reads the model later, for the details), else read and built there now and
 * stored in the cache. `label` names the model in errors.
 */
async function openModel(source: ModelSource, label: string, name: string, hash: () => string, hostNow: number | undefined, progress: ReportProgress): Promise<OpenResult> {
  hostClock.sync(hostNow);
  const analysisStarted = hostClock.now();
  const key = aboutFile(label, hash);
  const id = nextId++;
  const thread = threads.hold(id);
  sources.set(id, source);
  hashes.set(id, key);
  try {
    const cached = cache.lookup(key, name);
    if (cached) {
      // Nothing to wait for: the thread only notes where the model is (its own failures come with the details).
      thread.request('adopt', { source }).catch(() => undefined);
      return { id, graphFile: cached, timeline: { analysisStarted, payloadBuilt: hostClock.now() } };
    }
    const firstView = (layout: string) => progress({ done: 1, total: 2, message: 'first view laid out', ahead: layout });
    const { graphFile, timeline } = await thread.request('open', { source, name, key, hostNow: hostClock.now() }, undefined, firstView);
    return { id, graphFile, timeline: { analysisStarted, ...timeline } };
  } catch (err) {
    threads.release(id);
    sources.delete(id);
    hashes.delete(id);
    throw aboutFileError(label, err);
  } finally {
    // The next open gets a thread that has loaded its script; started after this one's answer, not during it.
    setImmediate(() => threads.warm());
  }
}

/** Errors that are not already one sentence about the file become one. */
function aboutFileError(file: string, err: unknown): OnnxLensError {
  if (err instanceof OnnxLensError) return err;
  return new OnnxLensError(file, `unexpected error: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
}

function aboutFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw aboutFileError(file, err);
  }
}

serveRequests<AnalysisMethods>({
  open: ({ file, name, hostNow }, _signal, progress) => openModel({ file }, file, name, () => modelFileHash(file), hostNow, progress),
  openBytes: ({ bytes, name, displayPath, hostNow }, _signal, progress) => openModel({ bytes, name, displayPath }, name, name, () => modelBytesHash(bytes), hostNow, progress),
  details: ({ id }, signal) => threads.of(id).request('details', { hostNow: hostClock.now() }, signal),
  nodeDetails: ({ id, node }, signal) => threads.of(id).request('nodeDetails', { node }, signal),
  tensorStats: ({ id, value }, signal) => threads.of(id).request('tensorStats', { value }, signal),
  tensorPage: ({ id, value, offset, count }, signal) => threads.of(id).request('tensorPage', { value, offset, count }, signal),
  close: ({ id }) => {
    sources.delete(id);
    hashes.delete(id);
    return { closed: threads.release(id) };
  },
  summarize: ({ file }, signal) => threads.borrow((thread) => thread.request('summarize', { file }, signal)),
  // In model a's thread, which has its analysis already; b is read there again (its own thread is
  // another isolate): a diff is asked for once, after both sides are drawn.
  diff: ({ a, b, labels, version }, signal) => {
    const other = sources.get(b);
    if (!other) throw new Error('the model is no longer open in the analysis process; reopen it.');
    return threads.of(a).request('diff', { other, labels, version, hashes: [hashes.get(a) ?? `${a}`, hashes.get(b) ?? `${b}`] }, signal);
  },
}, 'the ONNX Lens analysis process');
