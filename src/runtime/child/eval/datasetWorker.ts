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
import { openDataset } from '../../../core/data/dataset';
import { DatasetError } from '../../../core/data/errors';
import { dropSpareBuffers, giveBack } from '../../../core/data/featureBuffers';
import { batchInputs, inputPlan } from '../../../core/data/batchInputs';
import { findClassNames, usableNames } from '../../../core/data/labels';
import { autoMapping, batchSizeFor, checkMapping } from '../../../core/data/mapping';
import type { TensorArray } from '../../../core/data/ndarray';
import type { Batch } from '../../../core/data/types';
import { lowerThreadPriority, READER_NICENESS } from './threadPriority';
import type { DatasetMeta, DatasetWorkerInit, FeedBatch, MainToWorker, WorkerError, WorkerEvent, WorkerToMain } from './workerMessages';

const port = parentPort!;
// Below onnxruntime's threads, once for the worker's life (see threadPriority.ts).
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

function sourcesOf(batch: Batch): Float64Array | string[] | null {
  const s = batch.sources;
  if (!s || s.length === 0) return null;
  return typeof s[0] === 'number' ? Float64Array.from(s as number[]) : (s as string[]);
}

async function pass(init: DatasetWorkerInit, post: Post): Promise<void> {
  const open = { ...init.open };
  // The model's class names serve when the data has none of its own (labels.txt beside it, folders).
  const own = open.classNames ? undefined : findClassNames(init.file, undefined, open.numClasses);
  if (init.fallbackClassNames && !open.classNames && !usableNames(own)) open.classNames = init.fallbackClassNames.names;
  const reader = await openDataset(init.file, open);
  if (reader.labelColumn === null) throw new DatasetError(init.file, 'has no labels; evaluation compares the model with the true labels');
  const mapping = init.mapping
    ? checkMapping(init.mapping, reader.columns, init.inputs, reader.file)
    : autoMapping(reader.columns, init.inputs, reader.labelColumn, reader.file);
  const plan = inputPlan(mapping, reader.columns);
  const batchSize = batchSizeFor(mapping, init.batchSize);
  const namesSource = reader.classNamesSource === 'options' && open.classNames === init.fallbackClassNames?.names ? init.fallbackClassNames?.source : reader.classNamesSource;
  const meta: DatasetMeta = {
    file: reader.file,
    format: reader.format,
    columns: [...reader.columns],
    featureCount: reader.featureCount,
    labelColumn: reader.labelColumn,
    labelKind: reader.labelKind,
    numSamples: reader.numSamples ?? null,
    totalBytes: reader.totalBytes,
    classNames: reader.classNames ? [...reader.classNames] : null,
    classNamesSource: reader.classNames ? (namesSource ?? null) : null,
    classNamesNote: reader.classNamesNote ?? own?.note ?? null,
    mapping,
    mappingSource: init.mapping ? 'saved' : 'auto',
    batchSize,
    group: groupSize(batchSize, reader.featureCount),
  };
  credits = Math.max(credits, 2 * meta.group, readAhead(init.readAheadBytes, batchSize, reader.featureCount));
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
  for await (const batch of reader.batches(batchSize)) {
    const feeds = batchInputs(batch, plan);
    const inputs = [...feeds.inputs].map(([name, a]) => ({ name, dtype: a.dtype, shape: a.shape, data: owned(a.data) }));
    const labels = batch.labels ? owned(batch.labels) : null;
    const sources = sourcesOf(batch);
    pending.push({ rowIndex: batch.rowIndex, count: feeds.count, inputs, labels, sources, bytesRead: batch.bytesRead });
    for (const i of inputs) transfer.add(i.data.buffer as ArrayBuffer);
    if (labels) transfer.add(labels.buffer as ArrayBuffer);
    if (sources instanceof Float64Array) transfer.add(sources.buffer as ArrayBuffer);
    // The first batch goes alone, so inference starts as soon as it can.
    if (pending.length >= meta.group || samples === 0) await flush();
    samples += batch.size;
  }
  if (pending.length > 0) await flush();
  post({ kind: 'end', samples });
  dropSpareBuffers();
}

/** Bytes a group of batches should reach before it is sent (measured: 16 KB batches one per message spent half the reader's time in messaging). */
const GROUP_BYTES = 512 << 10;

function groupSize(batchSize: number, featureCount: number): number {
  return Math.max(1, Math.min(32, Math.floor(GROUP_BYTES / Math.max(1, batchSize * featureCount * 4))));
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
