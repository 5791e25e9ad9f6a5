/**
 * One pass over a dataset as the evaluation loop consumes it: the file opened and described
 * (columns, labels, mapping onto the model's inputs), then its batches as model feeds. Where it
 * runs is decided by batchSource.ts: in the dataset worker (datasetWorker.ts, which transfers the
 * batches) or on the runtime process's main thread, for files whose reading costs less than
 * sending them would.
 */
import { openDataset } from '../../../core/data/dataset';
import { DatasetError } from '../../../core/data/errors';
import { batchInputs, inputPlan } from '../../../core/data/batchInputs';
import { findClassNames, usableNames } from '../../../core/data/labels';
import { autoMapping, batchSizeFor, checkMapping } from '../../../core/data/mapping';
import type { Batch } from '../../../core/data/types';
import type { DatasetMeta, FeedBatch, PassInit } from './workerMessages';

export interface OpenedPass {
  meta: DatasetMeta;
  /** The batches as feeds. */
  batches(signal?: AbortSignal): AsyncGenerator<ReadBatch>;
}

export interface ReadBatch {
  /**
   * Its arrays may share buffers with the reader's (a whole feature row fed as one input is the
   * batch's own array); whoever sends them to another thread copies what it must.
   */
  feed: FeedBatch;
  /** The reader's feature rows, to hand back for reuse once nothing reads the feeds. */
  features: Float32Array;
}

export async function openPass(init: PassInit): Promise<OpenedPass> {
  const open = { ...init.open };
  // The model's class names serve when the data has none of its own (labels.txt beside it, folders).
  const own = open.classNames ? undefined : findClassNames(init.file, undefined, open.numClasses);
  if (init.fallbackClassNames && !open.classNames && !usableNames(own)) open.classNames = init.fallbackClassNames.names;
  const reader = await openDataset(init.file, open, init.sniffed);
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
  async function* batches(signal?: AbortSignal): AsyncGenerator<ReadBatch> {
    for await (const batch of reader.batches(batchSize, signal)) {
      const feeds = batchInputs(batch, plan);
      const inputs = [...feeds.inputs].map(([name, a]) => ({ name, dtype: a.dtype, shape: a.shape, data: a.data }));
      const feed = { rowIndex: batch.rowIndex, count: feeds.count, inputs, labels: batch.labels ?? null, sources: sourcesOf(batch), bytesRead: batch.bytesRead };
      yield { feed, features: batch.features };
    }
  }
  return { meta, batches };
}

function sourcesOf(batch: Batch): Float64Array | string[] | null {
  const s = batch.sources;
  if (!s || s.length === 0) return null;
  return typeof s[0] === 'number' ? Float64Array.from(s as number[]) : (s as string[]);
}

/** Bytes a group of batches should reach before it is sent (measured: 16 KB batches one per message spent half the reader's time in messaging). */
const GROUP_BYTES = 512 << 10;

function groupSize(batchSize: number, featureCount: number): number {
  return Math.max(1, Math.min(32, Math.floor(GROUP_BYTES / Math.max(1, batchSize * featureCount * 4))));
}
