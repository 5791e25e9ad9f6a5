/**
 * The main thread's side of the dataset worker: starts it, waits for the dataset's description
 * (columns, mapping, label kind), then hands out feed batches as the evaluation loop asks for them,
 * returning one credit per batch taken so the worker stays a few batches ahead.
 *
 * Errors thrown in the worker come back with the same message (a DatasetError keeps its file, row
 * and column). Closing — at the end, on an error or on cancellation — terminates the worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OnnxLensError } from '../../core/errors';
import { abortError, DatasetError } from '../../core/data/errors';
import type { DatasetMeta, DatasetWorkerInit, FeedBatch, MainToWorker, WorkerError, WorkerToMain } from './workerMessages';

/** The worker script: the bundle beside dist/ortChild.js, or the TypeScript source through tsx. */
function startWorker(init: DatasetWorkerInit): Worker {
  const bundled = path.join(__dirname, 'datasetWorker.js');
  if (fs.existsSync(bundled)) return new Worker(bundled, { workerData: init });
  // Node 20 does not pass --import loaders on to worker threads: register tsx inside the worker.
  const source = path.join(__dirname, 'datasetWorker.ts');
  const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, workerData: init });
}

/** Rebuilds a worker's error so its message is exactly the one thrown there. */
function rebuild(e: WorkerError): Error {
  if (e.name === 'DatasetError' && e.file !== undefined && e.reason !== undefined) {
    return new DatasetError(e.file, e.reason, { row: e.row, column: e.column, path: e.path });
  }
  if (e.file !== undefined && e.reason !== undefined) return new OnnxLensError(e.file, e.reason);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export class BatchStream {
  private readonly worker: Worker;
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

  constructor(init: DatasetWorkerInit, private readonly signal?: AbortSignal) {
    this.meta = new Promise<DatasetMeta>((resolve, reject) => {
      this.metaResolve = resolve;
      this.metaReject = reject;
    });
    this.meta.catch(() => undefined);
    this.worker = startWorker(init);
    this.worker.on('message', (msg: WorkerToMain) => {
      if (msg.kind === 'meta') this.metaResolve(msg.meta);
      else if (msg.kind === 'batch') this.queue.push(msg.batch);
      else if (msg.kind === 'end') {
        this.samples = msg.samples;
        this.ended = true;
      } else this.fail(rebuild(msg.error));
      this.notify();
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => {
      if (!this.ended) this.fail(new Error('the dataset reader stopped unexpectedly'));
    });
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

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
        this.worker.postMessage({ kind: 'credit', count: 1 } satisfies MainToWorker);
        return batch;
      }
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** Batches received and not yet taken (the read-ahead actually achieved). */
  get buffered(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.ended && !this.failure) this.failure = new Error('the dataset reader was closed');
    this.ended = true;
    this.queue.length = 0;
    await this.worker.terminate();
  }
}
