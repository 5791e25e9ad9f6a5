/**
 * `openDataset`: sniffs the format of a file or folder and returns its streaming reader. Inputs and
 * labels split over two files (.npy pairs, IDX images + labels) are paired by name, or by
 * `options.labelsPath`.
 */
import * as path from 'node:path';
import { arrayReader, memorySource, streamSource, type LabelArray } from './arrayDataset';
import { openCsv } from './csvDataset';
import { DatasetError, readDataFile } from './errors';
import { readIdx } from './idx';
import { openImageFolder } from './imageFolder';
import { openJsonl } from './jsonlDataset';
import { findClassNames } from './labels';
import type { NdArray } from './ndarray';
import { readNpy } from './npy';
import { npzKeys, parseNpz } from './npz';
import { findLabelsFile, INPUT_KEYS, LABEL_KEYS, labelNamesFor } from './pairing';
import { sniffDataset, type Sniffed } from './sniff';
import type { DatasetReader, OpenDatasetOptions } from './types';

/** `sniffed`: what `sniffDataset` said of this file, when the caller already asked (it costs ~4 file operations). */
export async function openDataset(file: string, options: OpenDatasetOptions = {}, sniffed?: Sniffed): Promise<DatasetReader> {
  sniffed ??= await sniffDataset(file);
  const format = options.format ?? sniffed.format;
  switch (format) {
    case 'csv':
    case 'tsv':
      return openCsv(file, options, format);
    case 'jsonl':
      return openJsonl(file, options);
    case 'image-folder':
      return openImageFolder(file, options);
    case 'npz':
      return openNpz(file, options);
    case 'npy':
    case 'idx': {
      const source = await streamSource(file, format, sniffed.gzip, sniffed.size);
      const labels = await pairedLabels(file, format, options);
      return arrayReader(format, source, labels, findClassNames(file, options.classNames, options.numClasses), options);
    }
  }
}

/** The labels file of an .npy or IDX inputs file: given, or found beside it by name. */
async function pairedLabels(file: string, format: 'npy' | 'idx', options: OpenDatasetOptions): Promise<LabelArray | null> {
  if (options.labelColumn === null) return null;
  const labelsPath = options.labelsPath ?? findLabelsFile(file);
  if (!labelsPath) {
    const example = format === 'npy' ? `${labelNamesFor(stem(file))[0] ?? 'y'}.npy` : `${labelNamesFor(stem(file))[0] ?? 'train-labels-idx1-ubyte'}`;
    throw new DatasetError(file, `has no labels file beside it (such as ${example}); name the labels file, or read it without labels`);
  }
  const array: NdArray = format === 'npy' ? await readNpy(labelsPath) : await readIdx(labelsPath);
  return { file: labelsPath, name: 'label', array };
}

async function openNpz(file: string, options: OpenDatasetOptions): Promise<DatasetReader> {
  const bytes = await readDataFile(file);
  const keys = npzKeys(bytes, file);
  const inputKey = options.inputKey ?? pickKey(keys, INPUT_KEYS);
  if (inputKey === undefined || !keys.includes(inputKey)) {
    const why = inputKey === undefined ? 'none of them is named x, inputs, data, images or features' : `none is named '${inputKey}'`;
    throw new DatasetError(file, `holds the arrays ${keys.join(', ')} and ${why}; choose the inputs array`);
  }
  let labelKey: string | undefined;
  if (options.labelColumn !== null) {
    labelKey = options.labelColumn ?? pickKey(keys, [...labelNamesFor(inputKey), ...LABEL_KEYS]);
    if (labelKey === undefined || !keys.includes(labelKey)) {
      const why = labelKey === undefined ? 'none of the others is named y, labels or targets' : `none is named '${labelKey}'`;
      throw new DatasetError(file, `holds the arrays ${keys.join(', ')} and ${why}; choose the labels array`);
    }
  }
  const arrays = parseNpz(bytes, file, labelKey ? [inputKey, labelKey] : [inputKey]);
  const inputs = arrays.get(inputKey)!;
  if (inputs.shape.length === 0) throw new DatasetError(file, 'holds a single number, not an array of samples', { column: inputKey });
  const labels: LabelArray | null = labelKey ? { file, name: labelKey, column: labelKey, array: arrays.get(labelKey)! } : null;
  return arrayReader('npz', memorySource(file, inputKey, inputs, bytes.length), labels, findClassNames(file, options.classNames, options.numClasses), options);
}

function pickKey(keys: readonly string[], preferred: readonly string[]): string | undefined {
  return preferred.find((k) => keys.includes(k));
}

function stem(file: string): string {
  return path.basename(file).replace(/\.gz$/, '').replace(/\.npy$/i, '');
}
