/**
 * The analysis process's model threads, seen from its main thread: one worker_thread per open
 * model (src/analysisProcess/modelThread.ts), plus one spare started ahead so that an open does
 * not wait for a thread to load its script.
 *
 * Why a thread per model: shape inference of a 100k-node model runs for seconds in one
 * synchronous call. On the main thread it held up every request behind it: a second model's
 * open, the reopen of a model answered from the graph cache, even the close of the model being
 * inferred. In the model's own thread it holds up only requests about that model, and closing
 * the model (or cancelling a request about it) terminates the thread, which stops the work.
 */
import type { Worker } from 'node:worker_threads';
import { OnnxLensError } from '../core/errors';
import type { ThreadJob, ThreadMethod, ThreadMethods, ThreadReply } from './threadMessages';

const CLOSED = 'the model is no longer open in the analysis process; reopen it.';

/** One model thread and the jobs it has not answered yet. */
export class ModelThread {
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void; ahead?: (part: string) => void }>();
  private nextJob = 1;
  /** Why the thread is gone, once it is: every later request fails with it. */
  private stopped: Error | undefined;
  /** The thread runs below its own priority for good (ThreadReply): it serves no other model. */
  keptLower = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: ThreadReply) => {
      if ('keptLower' in reply) this.keptLower = true;
      const waiting = this.pending.get(reply.job);
      if (!waiting) return;
      if ('ahead' in reply) {
        waiting.ahead?.(reply.ahead);
        return;
      }
      this.pending.delete(reply.job);
      if ('error' in reply) {
        const { file, reason, message } = reply.error;
        waiting.reject(file !== undefined && reason !== undefined ? new OnnxLensError(file, reason) : new Error(message));
      } else {
        waiting.resolve(reply.result);
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const why = err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : err.message.split('\n')[0];
      this.stop(new Error(`the analysis thread stopped (${why}).`));
    });
    worker.on('exit', () => this.stop(new Error('the analysis thread stopped.')));
    // An idle thread must not keep the process alive: it lives by its IPC channel to the host.
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
  }

  /** Some job has not been answered yet. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  get alive(): boolean {
    return this.stopped === undefined;
  }

  /**
   * Runs `method` in the thread; an aborted `signal` terminates the thread (the model with it).
   * `ahead` gets the parts of the answer the thread sends before it (ThreadReply).
   */
  request<K extends ThreadMethod>(method: K, params: ThreadMethods[K]['params'], signal?: AbortSignal, ahead?: (part: string) => void): Promise<ThreadMethods[K]['result']> {
    if (this.stopped) return Promise.reject(this.stopped);
    const job = this.nextJob++;
    return new Promise((resolve, reject) => {
      this.pending.set(job, { resolve: resolve as (result: unknown) => void, reject, ahead });
      signal?.addEventListener('abort', () => this.terminate(), { once: true });
      this.worker.postMessage({ job, method, params } satisfies ThreadJob);
    });
  }

  /** Stops the thread now, work in progress included; its pending jobs fail as closed. */
  terminate(): void {
    this.stop(new Error(CLOSED));
    void this.worker.terminate();
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
  }
}

/** Idle threads kept for the next models: closing a model and opening the next one is common, a start costs ~120 ms of CPU. */
const MAX_SPARES = 2;

export class ModelThreadPool {
  /** Started threads that hold no model, the ones known to be warm (they served a model) first. */
  private spares: ModelThread[] = [];
  private readonly holding = new Map<number, ModelThread>();

  constructor(private readonly startWorker: () => Worker) {}

  /** Starts a spare thread, unless there is one. */
  warm(): void {
    this.spares = this.spares.filter((t) => t.alive);
    if (this.spares.length === 0) this.spares.push(new ModelThread(this.startWorker()));
  }

  /** The thread that holds model `id` from now on: a spare (a new one when there is none). */
  hold(id: number): ModelThread {
    const thread = this.take();
    this.holding.set(id, thread);
    return thread;
  }

  /** The thread of model `id`; throws when the model was closed (or its thread stopped). */
  of(id: number): ModelThread {
    const thread = this.holding.get(id);
    if (!thread) throw new Error(CLOSED);
    return thread;
  }

  /**
   * Forgets model `id`. A thread still working for it (shape inference, say) is terminated: that
   * work is of no use now and would take the CPU from the next model. An idle one becomes a spare,
   * unless it is kept at a lower priority (ModelThread.keptLower): the next model's open would
   * run there.
   */
  release(id: number): boolean {
    const thread = this.holding.get(id);
    if (!thread) return false;
    this.holding.delete(id);
    this.giveBack(thread, () => void thread.request('close', {}).catch(() => undefined));
    return true;
  }

  /** Runs one job that keeps no model (a hover's summary) on a thread of its own. */
  async borrow<T>(work: (thread: ModelThread) => Promise<T>): Promise<T> {
    const thread = this.take();
    try {
      return await work(thread);
    } finally {
      this.giveBack(thread);
    }
  }

  /** Model threads holding a model now (tests). */
  get size(): number {
    return this.holding.size;
  }

  private take(): ModelThread {
    this.spares = this.spares.filter((t) => t.alive);
    return this.spares.shift() ?? new ModelThread(this.startWorker());
  }

  private giveBack(thread: ModelThread, forget?: () => void): void {
    this.spares = this.spares.filter((t) => t.alive);
    if (thread.busy || !thread.alive || thread.keptLower || this.spares.length >= MAX_SPARES) {
      thread.terminate();
      return;
    }
    forget?.();
    this.spares.unshift(thread);
  }
}
