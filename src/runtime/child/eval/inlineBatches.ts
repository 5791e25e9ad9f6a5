/**
 * A pass read on the calling thread (see batchSource.ts for when): the same batches the dataset
 * worker would send, without the copies and messages. Feature arrays are reused once handed back,
 * as in the worker (src/core/data/featureBuffers.ts), and kept for the next pass.
 */
import { giveBack } from '../../../core/data/featureBuffers';
import { openPass, type OpenedPass, type ReadBatch } from './datasetPass';
import type { BatchSource, DatasetMeta, FeedBatch, PassInit } from './workerMessages';

export class InlineBatches implements BatchSource {
  readonly meta: Promise<DatasetMeta>;
  private readonly opened: Promise<OpenedPass>;
  private iterator: AsyncGenerator<ReadBatch> | null = null;
  /** Each batch handed out → the reader's feature array behind it. */
  private readonly features = new Map<FeedBatch, Float32Array>();

  constructor(init: PassInit, private readonly signal?: AbortSignal) {
    // No batches read ahead: the file's next chunk is (byteReader.ts), and on this thread a batch
    // decoded ahead would only be decoded between the same two runs.
    this.opened = openPass({ ...init, open: { ...init.open, readAhead: 0 } });
    this.meta = this.opened.then((o) => o.meta);
    this.meta.catch(() => undefined);
  }

  async next(): Promise<FeedBatch | null> {
    this.iterator ??= (await this.opened).batches(this.signal);
    const read = await this.iterator.next();
    if (read.done) return null;
    this.features.set(read.value.feed, read.value.features);
    return read.value.feed;
  }

  recycle(batch: FeedBatch): void {
    const buffers = new Set<ArrayBufferLike>(batch.inputs.map((i) => i.data.buffer));
    const features = this.features.get(batch);
    if (features) buffers.add(features.buffer);
    this.features.delete(batch);
    for (const buffer of buffers) if (buffer instanceof ArrayBuffer) giveBack(buffer);
  }

  /**
   * The arrays handed back stay with featureBuffers for this thread's next pass (at most its cap):
   * dropped, the next pass would touch fresh memory for its first batches (~1.6 ms for three
   * arrays of 64 MNIST images here; docs/evaluation.md).
   */
  async close(): Promise<void> {
    this.features.clear();
    await this.iterator?.return(undefined);
  }
}
