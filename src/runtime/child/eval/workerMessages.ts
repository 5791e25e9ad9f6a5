/**
 * Messages between the evaluation loop (the runtime process's main thread, which only runs ORT
 * sessions) and the dataset worker (a worker_thread that parses the data file, maps columns to
 * model inputs and builds the feeds), and the loop's view of either source of batches (the
 * worker, or its own thread: batchSource.ts). Types only.
 *
 * Flow control is by credit: the worker sends a batch only while it holds a credit, and the main
 * thread returns one credit per batch it takes (in bulk, a group at a time), so at most `credits`
 * decoded batches wait in memory.
 */
import type { DatasetMapping, ModelInput } from '../../../core/data/mapping';
import type { TensorArray } from '../../../core/data/ndarray';
import type { NumericDtype } from '../../../shared/tensorTypes';
import type { Sniffed } from '../../../core/data/sniff';
import type { DatasetColumn, OpenDatasetOptions } from '../../../core/data/types';
import type { DatasetFormat, LabelKind } from '../../../shared/datasetTypes';

/** One pass over a dataset: what to read and how to feed it to the model. */
export interface PassInit {
  file: string;
  open: OpenDatasetOptions;
  /** Class names to fall back on when none sit beside the data (the model's own), with their source. */
  fallbackClassNames?: { names: string[]; source: string };
  inputs: ModelInput[];
  mapping?: DatasetMapping;
  batchSize: number;
  /** The file's format as already sniffed (batchSource.ts sniffs it to choose the reader). */
  sniffed?: Sniffed;
}

/** One pass, as the main thread asks the worker for it. */
export interface DatasetWorkerInit extends PassInit {
  /** Batches the worker may send before the main thread takes one (at least two groups). */
  credits: number;
  /**
   * More credits when batches are small: as many as fit in this many bytes of features. A deep
   * read-ahead lets the reader, which runs below onnxruntime's threads, fill whatever CPU they
   * leave whenever they leave it, instead of stopping after a few batches.
   */
  readAheadBytes: number;
}

export interface DatasetMeta {
  file: string;
  format: DatasetFormat;
  columns: DatasetColumn[];
  featureCount: number;
  labelColumn: string | null;
  labelKind: LabelKind;
  numSamples: number | null;
  totalBytes: number;
  classNames: string[] | null;
  classNamesSource: string | null;
  /** Why a labels file beside the data was not used. */
  classNamesNote: string | null;
  mapping: DatasetMapping;
  mappingSource: 'auto' | 'saved';
  /** The batch size read with (the model's fixed batch when it has one). */
  batchSize: number;
  /** Batches sent per message (small batches travel together: a message costs ~50 µs each way). */
  group: number;
}

export interface FeedArray {
  name: string;
  dtype: NumericDtype;
  shape: number[];
  /** Transferred, not copied: the worker gives up its buffer. */
  data: TensorArray;
}

export interface FeedBatch {
  rowIndex: number;
  /** Real samples; the feeds may hold padding up to a fixed batch size behind them. */
  count: number;
  inputs: FeedArray[];
  labels: Int32Array | Float64Array | null;
  /** Line numbers (text files) as a Float64Array, image paths as strings; null for array files. */
  sources: Float64Array | string[] | null;
  bytesRead: number;
}

/** What an evaluation loop reads its batches from: the dataset worker or its own thread (batchSource.ts). */
export interface BatchSource {
  /** Resolves with the dataset's description, or rejects with the first error reading it. */
  readonly meta: Promise<DatasetMeta>;
  /** The batches are the ones a previous pass decoded, kept in memory (decodedCache.ts). */
  readonly fromMemory?: boolean;
  /** The next batch, or null after the last; throws a reading error or an AbortError. */
  next(): Promise<FeedBatch | null>;
  /** Hands a batch's arrays back for reuse, once nothing reads them any more. */
  recycle(batch: FeedBatch): void;
  close(): Promise<void>;
}

/** A thrown error, flattened for postMessage and rebuilt with the same message on the other side. */
export interface WorkerError {
  name: string;
  message: string;
  /** OnnxLensError: the file and the reason sentence. */
  file?: string;
  /** NativeModuleError: the module that cannot load. */
  module?: string;
  reason?: string;
  row?: number;
  column?: string;
  path?: string;
}

export type WorkerEvent =
  | { kind: 'meta'; meta: DatasetMeta }
  | { kind: 'batches'; batches: FeedBatch[] }
  | { kind: 'end'; samples: number }
  | { kind: 'error'; error: WorkerError };

/** Every message of a pass carries its job number; the worker serves one pass at a time. */
export type WorkerToMain = WorkerEvent & { job: number };

export type MainToWorker =
  | { kind: 'start'; job: number; init: DatasetWorkerInit }
  /** `count` batches taken; `buffers`: feature buffers of batches already run, handed back for reuse (transferred). */
  | { kind: 'credit'; job: number; count: number; buffers: ArrayBuffer[] };
