/**
 * Where a pass's batches come from. Parsing text or decoding images costs as much as a small
 * model's inference, so those are read ahead in the dataset worker (batchStream.ts). An
 * uncompressed .npy or IDX file is bytes converted to float32, ~0.04 ms per 64 MNIST images: it is
 * read on the calling thread (inlineBatches.ts), with no worker, messages or 8 MB read-ahead. The
 * two measured the same within the machine's spread (bench/eval.bench.ts, 10k IDX images, a
 * 784-512-512-10 MLP: 81–90% of a bare ORT loop read here, 83–89% through the worker;
 * docs/evaluation.md). A text file read once before is replayed from memory when it has not changed
 * (decodedCache.ts).
 */
import { sniffDataset } from '../../../core/data/sniff';
import { BatchStream } from './batchStream';
import { cachedFormat, record, replay } from './decodedCache';
import { InlineBatches } from './inlineBatches';
import type { BatchSource, DatasetWorkerInit } from './workerMessages';

export type { BatchSource } from './workerMessages';

export async function openBatches(init: DatasetWorkerInit, signal?: AbortSignal): Promise<BatchSource> {
  const sniffed = await sniffDataset(init.file);
  const format = init.open.format ?? sniffed.format;
  const inline = !sniffed.gzip && (format === 'npy' || format === 'idx');
  if (inline) return new InlineBatches({ ...init, sniffed }, signal);
  if (!cachedFormat(format)) return new BatchStream({ ...init, sniffed }, signal);
  return (await replay({ ...init, sniffed })) ?? record(init, () => new BatchStream({ ...init, sniffed }, signal));
}
