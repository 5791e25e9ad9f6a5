/** Filling fixed-size batches sample by sample, and reading them ahead of the consumer. */
import { throwIfAborted } from './errors';
import { takeFloat32 } from './featureBuffers';
import type { Batch } from './types';
import type { LabelKind } from '../../shared/datasetTypes';

export interface BatchLayout {
  batchSize: number;
  featureCount: number;
  /** null: no labels. */
  labelKind: LabelKind | null;
  /** Keep per-sample sources (line numbers or paths). */
  sources: boolean;
}

/**
 * Accumulates samples into preallocated arrays; readers write a sample's features straight into
 * `features` at `offset()` and then call `commit`. Completed batches queue up until `drain`.
 */
export class BatchBuilder {
  features!: Float32Array;
  private labels?: Int32Array | Float64Array;
  private sources?: (number | string)[];
  private count = 0;
  private first = 0;
  private readonly ready: Batch[] = [];

  constructor(private readonly layout: BatchLayout) {
    assertBatchSize(layout.batchSize);
    this.reset(0);
  }

  /** Index in `features` where the next sample's first value goes. */
  offset(): number {
    return this.count * this.layout.featureCount;
  }

  /** Samples committed so far, over all batches. */
  get samples(): number {
    return this.first + this.count;
  }

  commit(label: number, source: number | string | undefined, bytesRead: number): void {
    if (this.labels) this.labels[this.count] = label;
    if (this.sources && source !== undefined) this.sources.push(source);
    if (++this.count === this.layout.batchSize) this.finish(bytesRead);
  }

  /** Completed batches since the last call. */
  drain(): Batch[] {
    return this.ready.splice(0, this.ready.length);
  }

  /** Closes the last, partial batch (if any sample is pending) and returns everything still queued. */
  end(bytesRead: number): Batch[] {
    if (this.count > 0) this.finish(bytesRead);
    return this.drain();
  }

  private finish(bytesRead: number): void {
    const n = this.count;
    const full = n === this.layout.batchSize;
    const batch: Batch = {
      size: n,
      rowIndex: this.first,
      features: full ? this.features : this.features.slice(0, n * this.layout.featureCount),
      bytesRead,
    };
    if (this.labels) batch.labels = full ? this.labels : this.labels.slice(0, n);
    if (this.sources) batch.sources = this.sources;
    this.ready.push(batch);
    this.reset(this.first + n);
  }

  /** Fresh arrays per batch: a batch handed out is never overwritten (the consumer may still hold it). */
  private reset(first: number): void {
    const { batchSize, featureCount, labelKind } = this.layout;
    this.first = first;
    this.count = 0;
    this.features = takeFloat32(batchSize * featureCount); // every slot is written before the batch is out
    this.labels = labelKind === null ? undefined : labelKind === 'class' ? new Int32Array(batchSize) : new Float64Array(batchSize);
    this.sources = this.layout.sources ? [] : undefined;
  }
}

export function assertBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`Batch size must be a whole number ≥ 1, not ${batchSize}.`);
}

/**
 * Pulls up to `depth` items from `source` before the consumer asks for them, so decoding the next
 * batches overlaps whatever the consumer awaits (inference in another thread or process). Errors
 * surface in order, when the consumer reaches them; stopping early (break/return) closes `source`.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number, signal?: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  // Rejections are observed when the consumer reaches them; mark them handled meanwhile.
  const pull = () => {
    const p = it.next();
    p.catch(() => undefined);
    pending.push(p);
  };
  let done = false;
  try {
    for (let i = 0; i < Math.max(1, depth); i++) pull();
    while (pending.length > 0) {
      throwIfAborted(signal);
      const result = await pending.shift()!;
      if (result.done) {
        done = true;
        return;
      }
      pull();
      yield result.value;
    }
  } finally {
    // Settle queued pulls before closing, so the generator is not asked to return while running.
    await Promise.allSettled(pending);
    if (!done) await it.return?.();
  }
}
