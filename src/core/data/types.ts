/**
 * Datasets for evaluation: one reader interface over CSV/TSV, JSON Lines, .npy/.npz, IDX (MNIST)
 * and image folders. Readers stream: they never hold more than a few batches of a text or IDX
 * file in memory, and they never write anything next to the user's data.
 */
import type { DatasetFormat, LabelKind, PreprocessSpec } from '../../shared/datasetTypes';

/**
 * A feature column: a CSV column or JSONL scalar key (shape []), or an array-valued one (a JSONL
 * list, the inputs array of .npy/.npz/IDX, one image). Its values occupy `size` consecutive slots of
 * a sample's feature row.
 */
export interface DatasetColumn {
  name: string;
  /** Per-sample shape; [] for a scalar. */
  shape: number[];
  /** Product of `shape`. */
  size: number;
}

export interface Batch {
  /** Number of samples in this batch; the last batch may be shorter than the requested size. */
  size: number;
  /** Index (0-based) of the batch's first sample in the dataset. */
  rowIndex: number;
  /** size × featureCount, row-major: each sample's columns in `DatasetReader.columns` order. */
  features: Float32Array;
  /** One label per sample; absent when the dataset is read without labels. */
  labels?: Int32Array | Float64Array;
  /**
   * Where each sample came from, for drill-down: the 1-based line for text files, the image path
   * for image folders; absent for array files (the sample index `rowIndex + i` says it all).
   */
  sources?: (number | string)[];
  /** Bytes of the data file(s) consumed to produce this batch and all before it. */
  bytesRead: number;
}

export interface DatasetReader {
  readonly file: string;
  readonly format: DatasetFormat;
  /** Feature columns in file order (the label column is not among them). */
  readonly columns: readonly DatasetColumn[];
  /** Values per sample: the sum of the columns' sizes. */
  readonly featureCount: number;
  /** The label column or array key; null when read without labels. */
  readonly labelColumn: string | null;
  readonly labelKind: LabelKind;
  /** Known up front for array files and image folders; undefined for text files. */
  readonly numSamples?: number;
  /** From options, a labels.txt/classes.txt next to the data, or image folder names. */
  readonly classNames?: readonly string[];
  /** Where `classNames` came from (a file name or 'folder names'), for the UI. */
  readonly classNamesSource?: string;
  /** Why a labels file beside the data was not used (its count does not fit, or it was refused). */
  readonly classNamesNote?: string;
  /** Total bytes `Batch.bytesRead` counts towards. */
  readonly totalBytes: number;
  /** Image folders: the preprocessing that produced the features. */
  readonly preprocess?: PreprocessSpec;
  /**
   * Batches of `batchSize` samples (the last one partial), read ahead of the consumer. Stops with an
   * AbortError when `signal` aborts; a bad row stops it with a DatasetError. Each call starts a new
   * pass over the data.
   */
  batches(batchSize: number, signal?: AbortSignal): AsyncIterable<Batch>;
}

export interface OpenDatasetOptions {
  /** Label column (CSV/JSONL) or array key (.npz). Default 'label' (text) or auto-detected (arrays); null: no labels. */
  labelColumn?: string | null;
  /** .npz: key of the inputs array (default: x, X, inputs, data, images or features). */
  inputKey?: string;
  /** A separate labels file: .npy labels for an .npy inputs file, IDX labels for IDX images. */
  labelsPath?: string;
  /** Class names; default from labels.txt/classes.txt next to the data or image folder names. */
  classNames?: readonly string[];
  /** Number of classes, to check labels are in range when class names are not known. */
  numClasses?: number;
  /** Force the label kind; default 'class' when classes are known or labels are stored as integers. */
  labelKind?: LabelKind;
  /** Force a format instead of sniffing it. */
  format?: DatasetFormat;
  /** Image folders: how images become features (default `defaultPreprocess([])`: 224×224 RGB NCHW). */
  preprocess?: PreprocessSpec;
  /**
   * Batches decoded ahead of the consumer (default 2). .npy and IDX files also take 0, none: their
   * file reader reads its next chunk ahead itself, and a batch is only a conversion of it.
   */
  readAhead?: number;
}
