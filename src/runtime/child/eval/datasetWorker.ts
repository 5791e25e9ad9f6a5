/**
 * The dataset worker: a worker_thread of the runtime process that reads the evaluation data
 * (parse, label check, column mapping, feed arrays) ahead of the main thread, which only runs ORT
 * sessions. onnxruntime-node's `session.run` computes on the calling thread, so reading in that
 * thread too serialises parsing and inference (measured at 30–48% of a bare inference loop on the
 * sample MLP); here they overlap.
 *
 * Pure JavaScript (and sharp for image folders), no ORT: nothing in here can abort the process.
 * Batches leave by transfer (zero copy); each buffer handed over belongs to that batch alone.
 * The worker outlives a pass and serves the next one (see batchStream.ts): starting one costs
 * ~100 ms (sharp loads with the image reader), and a warm parser is ~1.3x a cold one.
 * Bundled to dist/datasetWorker.js; from source it is started through tsx (see batchStream.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { DatasetError } from '../../../core/data/errors';
import { dropSpareBuffers, giveBack } from '../../../core/data/featureBuffers';
import type { TensorArray } from '../../../core/data/ndarray';
import { openPass } from './datasetPass';
import { lowerThreadPriority, READER_NICENESS } from '../../../rpc/threadPriority';
import type { DatasetWorkerInit, FeedBatch, MainToWorker, WorkerError, WorkerEvent, WorkerToMain } from './workerMessages';

const port = parentPort!;
// Below onnxruntime's threads, once for the worker's life (see src/rpc/threadPriority.ts).
lowerThreadPriority(READER_NICENESS);

/** The pass being served and its credits; passes come one at a time (the main thread waits for 'end'). */
let job = 0;
let credits = 0;
let wake: (() => void) | null = null;
port.on('message', (msg: MainToWorker) => {
  if (msg.kind === 'start') {
    job = msg.job;
    credits = msg.init.credits;
    const post = poster(msg.job);
    pass(msg.init, post).catch((err: unknown) => post({ kind: 'error', error: flatten(err) }));
  } else if (msg.kind === 'credit' && msg.job === job) {
    for (const buffer of msg.buffers) giveBack(buffer);
    credits += msg.count;
    wake?.();
    wake = null;
  }
});

type Post = (event: WorkerEvent, transfer?: ArrayBuffer[]) => void;
const poster = (id: number): Post => (event, transfer = []) => port.postMessage({ ...event, job: id } satisfies WorkerToMain, transfer);

/** An array that owns its whole buffer (so transferring it detaches nothing else); copies a view into a larger buffer. */
function owned<T extends TensorArray | Float64Array | Int32Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !(a.buffer instanceof SharedArrayBuffer) ? a : (a.slice() as T);
}

async function pass(init: DatasetWorkerInit, post: Post): Promise<void> {
  const { meta, batches } = await openPass(init);
  credits = Math.max(credits, 2 * meta.group, readAhead(init.readAheadBytes, meta.batchSize, meta.featureCount));
  post({ kind: 'meta', meta });
  let samples = 0;
  let pending: FeedBatch[] = [];
  const transfer = new Set<ArrayBuffer>();
  const flush = async () => {
    while (credits < pending.length) await new Promise<void>((resolve) => (wake = resolve));
    credits -= pending.length;
    post({ kind: 'batches', batches: pending }, [...transfer]);
    pending = [];
    transfer.clear();
  };
  for await (const { feed } of batches()) {
    const inputs = feed.inputs.map((i) => ({ ...i, data: owned(i.data) }));
    const labels = feed.labels ? owned(feed.labels) : null;
    pending.push({ ...feed, inputs, labels });
    for (const i of inputs) transfer.add(i.data.buffer as ArrayBuffer);
    if (labels) transfer.add(labels.buffer as ArrayBuffer);
    if (feed.sources instanceof Float64Array) transfer.add(feed.sources.buffer as ArrayBuffer);
    // The first batch goes alone, so inference starts as soon as it can.
    if (pending.length >= meta.group || samples === 0) await flush();
    samples += feed.count;
  }
  if (pending.length > 0) await flush();
  post({ kind: 'end', samples });
  dropSpareBuffers();
}

/** Batches that fit in `bytes` of float32 features, at most 256 (a few KB each would otherwise be thousands). */
function readAhead(bytes: number, batchSize: number, featureCount: number): number {
  return Math.min(256, Math.floor(bytes / Math.max(1, batchSize * featureCount * 4)));
}

function flatten(err: unknown): WorkerError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & Partial<Pick<DatasetError, 'file' | 'reason' | 'row' | 'column' | 'path'>> & { module?: string };
  return { name: e.name, message: e.message, file: e.file, reason: e.reason, row: e.row, column: e.column, path: e.path, module: e.module };
}
