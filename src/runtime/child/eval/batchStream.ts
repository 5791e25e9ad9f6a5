/**
 * The main thread's side of the dataset worker: starts it, waits for the dataset's description
 * (columns, mapping, label kind), then hands out feed batches as the evaluation loop asks for them,
 * returning credits for the batches taken so the worker stays a few batches ahead.
 *
 * Errors thrown in the worker come back with the same message (a DatasetError keeps its file, row
 * and column). A worker that finished its pass (or reported an error) is kept for the next one;
 * one stopped mid-pass (cancellation, the consumer failing) is terminated.
 */
import type { Worker } from 'node:worker_threads';
import { startWorkerScript } from '../../../rpc/workerScript';
import { NativeModuleError, OnnxLensError } from '../../../core/errors';
import { abortError, DatasetError } from '../../../core/data/errors';
import type { BatchSource, DatasetMeta, DatasetWorkerInit, FeedBatch, MainToWorker, WorkerError, WorkerToMain } from './workerMessages';
import { pushAll } from '../../../core/lists';

/** The worker script: the bundle beside dist/ortChild.js, or the TypeScript source through tsx. */
function startWorker(): Worker {
  const worker = startWorkerScript(__dirname, 'datasetWorker');
  // An idle worker must not keep the process alive; the runtime process lives by its IPC channel.
  worker.unref();
  worker.on('exit', () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  });
  // 'error' is also seen by the pass that uses the worker; an idle one just exits.
  worker.on('error', () => undefined);
  return worker;
}

/**
 * Workers kept between passes: starting one costs ~100 ms (the image reader loads sharp), and its
 * parser is warm the second time (10k × 784 CSV cells: 320 ms cold, 240 ms warm, measured here).
 */
const idle: Worker[] = [];
const MAX_IDLE = 1;
let nextJob = 1;

/** Rebuilds a worker's error so its message is exactly the one thrown there. */
function rebuild(e: WorkerError): Error {
  if (e.name === 'DatasetError' && e.file !== undefined && e.reason !== undefined) {
    return new DatasetError(e.file, e.reason, { row: e.row, column: e.column, path: e.path });
  }
  if (e.file !== undefined && e.reason !== undefined) return new OnnxLensError(e.file, e.reason);
  if (e.name === 'NativeModuleError') return new NativeModuleError(e.module ?? 'sharp', e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class BatchStream implements BatchSource {
  private readonly worker: Worker;
  private readonly job = nextJob++;
  /** The worker finished this pass (end or a reported error) and can serve another. */
  private reusable = false;
  private readonly queue: FeedBatch[] = [];
  private ended = false;
  private failure: Error | null = null;
  private waiter: (() => void) | null = null;
  private metaResolve!: (m: DatasetMeta) => void;
  private metaReject!: (e: Error) => void;
  /** Resolves with the dataset's description, or rejects with the worker's first error. */
  readonly meta: Promise<DatasetMeta>;
  /** Samples the worker reported at the end. */
  samples = 0;
  /** Batches per message, and credits taken but not yet returned. */
  private group = 1;
  private owed = 0;
  /** Feature buffers of batches already run, going back to the worker with the next credits. */
  private returned: ArrayBuffer[] = [];

  constructor(init: DatasetWorkerInit, private readonly signal?: AbortSignal) {
    this.meta = new Promise<DatasetMeta>((resolve, reject) => {
      this.metaResolve = resolve;
      this.metaReject = reject;
    });
    this.meta.catch(() => undefined);
    this.worker = idle.pop() ?? startWorker();
    this.worker.on('message', this.onMessage);
    this.worker.on('error', this.onError);
    this.worker.on('exit', this.onExit);
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.worker.postMessage({ kind: 'start', job: this.job, init } satisfies MainToWorker);
  }

  private readonly onMessage = (msg: WorkerToMain) => {
    if (msg.job !== this.job) return;
    if (msg.kind === 'meta') {
      this.group = msg.meta.group;
      this.metaResolve(msg.meta);
    } else if (msg.kind === 'batches') pushAll(this.queue, msg.batches);
    else if (msg.kind === 'end') {
      this.samples = msg.samples;
      this.reusable = true;
      this.ended = true;
    } else {
      this.reusable = true;
      this.fail(rebuild(msg.error));
    }
    this.notify();
  };

  private readonly onError = (err: Error) => this.fail(err);

  private readonly onExit = () => {
    this.reusable = false;
    if (!this.ended) this.fail(new Error('the dataset reader stopped unexpectedly'));
  };

  private readonly onAbort = () => {
    this.fail(abortError(this.signal!));
    void this.close();
  };

  private fail(err: Error): void {
    if (this.failure || this.ended) return;
    this.failure = err;
    this.metaReject(err);
    this.notify();
  }

  private notify(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The next batch, or null after the last; throws the worker's error or an AbortError. */
  async next(): Promise<FeedBatch | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const batch = this.queue.shift();
      if (batch) {
        // Credits go back a group at a time, or at once when the queue runs dry (the worker may be waiting for them).
        if (++this.owed >= this.group || this.queue.length === 0) {
          const buffers = this.returned;
          this.returned = [];
          this.worker.postMessage({ kind: 'credit', job: this.job, count: this.owed, buffers } satisfies MainToWorker, buffers);
          this.owed = 0;
        }
        return batch;
      }
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /**
   * Hands a batch's feature buffers back for the worker to fill again (src/core/data/featureBuffers.ts).
   * Only once nothing reads them any more: every model has run on the batch.
   */
  recycle(batch: FeedBatch): void {
    for (const input of batch.inputs) {
      const buffer = input.data.buffer;
      if (buffer instanceof ArrayBuffer && buffer.byteLength > 0 && !this.returned.includes(buffer)) this.returned.push(buffer);
    }
  }

  /** Ends the pass: the worker goes back to the pool when it finished it, else it is terminated. */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.ended && !this.failure) this.failure = new Error('the dataset reader was closed');
    this.ended = true;
    this.queue.length = 0;
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    if (this.reusable && idle.length < MAX_IDLE) idle.push(this.worker);
    else await this.worker.terminate();
  }
}
