/**
 * Datasets stored as arrays: an inputs array [N, ...sample] and a labels array [N] (or [N, 1]).
 * .npy and IDX inputs are streamed from the file (gunzipped on the fly); .npz members are decoded
 * in memory (ZIP members cannot be read in slices). Labels, small, are always read whole.
 */
import * as path from 'node:path';
import { assertBatchSize, readAhead } from './batching';
import { openByteReader, readHeadSync, type ByteReader } from './byteReader';
import { writeFloat32 } from './convert';
import { takeFloat32 } from './featureBuffers';
import { DatasetError, throwIfAborted } from './errors';
import { idxHeaderLength, parseIdxHeader } from './idx';
import { defaultLabelKind, LabelDecoder, usableNames, type ClassNames } from './labels';
import { DTYPE_BYTES, elementCount, type NdArray } from './ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';
import { NPY_PREAMBLE_BYTES, npyHeaderLength, parseNpyHeader, writeNpyElementsFloat32 } from './npy';
import type { Batch, DatasetReader, OpenDatasetOptions } from './types';
import type { DatasetFormat } from '../../shared/datasetTypes';

/** One sequential pass over the samples. */
interface SampleCursor {
  /** Writes the next `count` samples as float32 into `out` from 0. */
  next(count: number, out: Float32Array): Promise<void>;
  bytesRead(): number;
  close(): void;
}

export interface SampleSource {
  /** File (or file:key) the samples come from, for errors. */
  file: string;
  name: string;
  sampleShape: number[];
  numSamples: number;
  totalBytes: number;
  dtype: NumericDtype;
  open(): Promise<SampleCursor>;
}

export interface LabelArray {
  /** The file holding the labels, for errors. */
  file: string;
  /** The reader's `labelColumn`: the .npz key, or 'label' for a labels file. */
  name: string;
  /** The .npz key, named in errors; undefined for a labels file of its own. */
  column?: string;
  array: NdArray;
}

/** Samples of an array already in memory (an .npz member). */
export function memorySource(file: string, name: string, array: NdArray, totalBytes: number): SampleSource {
  const [numSamples, ...sampleShape] = array.shape;
  const size = elementCount(sampleShape);
  return {
    file, name, sampleShape, numSamples, totalBytes, dtype: array.dtype,
    open: async () => {
      let at = 0;
      return {
        next: async (count, out) => {
          writeFloat32(array.data.subarray(at * size, (at + count) * size), out, 0);
          at += count;
        },
        bytesRead: () => Math.round((totalBytes * at) / Math.max(1, numSamples)),
        close: () => undefined,
      };
    },
  };
}

/** Reads the header of a .npy or IDX file (gzipped or not) and streams its samples on each pass. */
export async function streamSource(file: string, kind: 'npy' | 'idx', gzip: boolean, totalBytes: number): Promise<SampleSource> {
  const header = gzip ? await gzipHeader(file, kind) : fileHeader(file, kind);
  if (header.shape.length === 0) throw new DatasetError(file, 'holds a single number, not an array of samples');
  const [numSamples, ...sampleShape] = header.shape;
  const size = elementCount(sampleShape);
  const bytesPerSample = size * DTYPE_BYTES[header.dtype];
  return {
    file, name: kind === 'npy' ? 'x' : 'image', sampleShape, numSamples, totalBytes, dtype: header.dtype,
    open: async () => {
      const reader = openByteReader(file, { gzip, offset: header.dataOffset });
      // A gunzip stream cannot seek: it reads past the header again.
      if (gzip) await headerOf(reader, file, kind);
      return {
        next: async (count, out) => {
          const bytes = await reader.readExactView(count * bytesPerSample, `the data its header announces (${numSamples} samples)`);
          writeNpyElementsFloat32(bytes, header, count * size, out);
        },
        bytesRead: () => reader.fileBytesRead,
        close: () => reader.close(),
      };
    },
  };
}

type ArrayHeader = { dtype: NumericDtype; shape: number[]; littleEndian: boolean; dataOffset: number };

/** Bytes read for a raw file's header; a longer .npy header (rare) is read again at its length. */
const HEAD_BYTES = 4 << 10;

function fileHeader(file: string, kind: 'npy' | 'idx'): ArrayHeader {
  let head = readHeadSync(file, HEAD_BYTES);
  const length = kind === 'npy' ? npyHeaderLength(head, file) : idxHeaderLength(head, file);
  if (length > head.length && head.length === HEAD_BYTES) head = readHeadSync(file, length);
  if (head.length < length) throw new DatasetError(file, `is truncated: it ends inside its ${kind === 'npy' ? '.npy' : 'IDX'} header`);
  return kind === 'npy' ? parseNpyHeader(head, file) : { ...parseIdxHeader(head, file), littleEndian: false };
}

async function gzipHeader(file: string, kind: 'npy' | 'idx'): Promise<ArrayHeader> {
  const probe = openByteReader(file, { gzip: true });
  try {
    return await headerOf(probe, file, kind);
  } finally {
    probe.close();
  }
}

async function headerOf(reader: ByteReader, file: string, kind: 'npy' | 'idx'): Promise<ArrayHeader> {
  if (kind === 'npy') {
    const pre = await reader.read(NPY_PREAMBLE_BYTES);
    const rest = await reader.readExact(Math.max(0, npyHeaderLength(pre, file) - pre.length), 'its .npy header');
    const all = new Uint8Array(pre.length + rest.length);
    all.set(pre);
    all.set(rest, pre.length);
    return parseNpyHeader(all, file);
  }
  const magic = await reader.read(4);
  const rest = await reader.readExact(idxHeaderLength(magic, file) - 4, 'its IDX header');
  const all = new Uint8Array(4 + rest.length);
  all.set(magic);
  all.set(rest, 4);
  return { ...parseIdxHeader(all, file), littleEndian: false };
}

const INTEGER_DTYPES = new Set<NumericDtype>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);

/** A DatasetReader over an inputs source and an optional labels array. */
export function arrayReader(format: DatasetFormat, source: SampleSource, labels: LabelArray | null, lookup: ClassNames | undefined, options: OpenDatasetOptions): DatasetReader {
  const classes = usableNames(lookup);
  const n = source.numSamples;
  if (labels) {
    const { shape } = labels.array;
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
      throw new DatasetError(labels.file, `holds labels of shape (${shape.join(', ')}); one label per sample, shape (${n},), is needed`, { column: labels.column });
    }
    const inputs = labels.file === source.file ? `'${source.name}'` : path.basename(source.file);
    if (shape[0] !== n) throw new DatasetError(labels.file, `has ${shape[0]} labels but ${inputs} has ${n} samples`, { column: labels.column });
  }
  const numClasses = options.numClasses ?? classes?.names.length;
  const labelKind = options.labelKind ?? defaultLabelKind(numClasses, labels !== null && INTEGER_DTYPES.has(labels.array.dtype));
  const size = elementCount(source.sampleShape);

  async function* pass(batchSize: number, signal?: AbortSignal): AsyncGenerator<Batch> {
    assertBatchSize(batchSize);
    const decoder = labels && new LabelDecoder(labels.file, labels.column, labelKind, numClasses, classes?.names, classes?.source);
    const cursor = await source.open();
    try {
      for (let first = 0; first < n; first += batchSize) {
        throwIfAborted(signal);
        const count = Math.min(batchSize, n - first);
        const features = takeFloat32(count * size); // cursor.next writes all of it
        await cursor.next(count, features); // a chunk at most: the abort is seen at the next batch
        const batch: Batch = { size: count, rowIndex: first, features, bytesRead: cursor.bytesRead() };
        if (labels && decoder) {
          const out = labelKind === 'class' ? new Int32Array(count) : new Float64Array(count);
          const data = labels.array.data;
          for (let i = 0; i < count; i++) out[i] = decoder.check(Number(data[first + i]), first + i + 1);
          batch.labels = out;
        }
        yield batch;
      }
    } finally {
      cursor.close();
    }
  }

  return {
    file: source.file, format,
    columns: [{ name: source.name, shape: source.sampleShape, size }],
    featureCount: size,
    labelColumn: labels?.name ?? null,
    labelKind,
    numSamples: n,
    classNames: classes?.names,
    classNamesSource: classes?.source,
    classNamesNote: lookup?.note,
    totalBytes: source.totalBytes,
    batches: (batchSize, signal) => {
      const depth = options.readAhead ?? 2;
      return depth > 0 ? readAhead(pass(batchSize, signal), depth, signal) : pass(batchSize, signal);
    },
  };
}

