/**
 * Image-folder datasets, laid out like torchvision's ImageFolder: root/<class>/**\/<image>. Classes
 * are the sub-folder names sorted by code point (so indices match a model trained with
 * ImageFolder); images within a class are sorted the same way.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readAhead, assertBatchSize } from './batching';
import { DatasetError, fileError, throwIfAborted } from './errors';
import { takeFloat32 } from './featureBuffers';
import { IMAGE_EXTENSIONS, loadImageInto } from './image';
import { LabelDecoder } from './labels';
import { defaultPreprocess, preprocessProblems, sampleShape } from './preprocess';
import type { Batch, DatasetReader, OpenDatasetOptions } from './types';
import { pushAll } from '../lists';

/** Images decoded at once: sharp runs each on libuv's pool (4 threads by default); more only queues. */
const CONCURRENCY = 8;

interface Sample {
  file: string;
  label: number;
  bytes: number;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function openImageFolder(root: string, options: OpenDatasetOptions): Promise<DatasetReader> {
  const spec = options.preprocess ?? defaultPreprocess([]);
  const problems = preprocessProblems(spec);
  if (problems.length > 0) throw new RangeError(`Preprocessing settings are not usable: ${problems.join('; ')}.`);
  const folders = (await list(root)).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byCodePoint);
  if (folders.length === 0) throw new DatasetError(root, 'has no sub-folders; an image dataset needs one sub-folder of images per class');
  const samples: Sample[] = [];
  for (let label = 0; label < folders.length; label++) {
    for (const file of await imagesUnder(path.join(root, folders[label]))) samples.push({ file, label, bytes: 0 });
  }
  if (samples.length === 0) throw new DatasetError(root, `has no images (${[...IMAGE_EXTENSIONS].join(', ')}) in its class sub-folders`);
  await forEachLimited(samples, 64, async (s) => {
    s.bytes = (await fs.stat(s.file)).size;
  });
  const classNames = options.classNames && options.classNames.length > 0 ? options.classNames : folders;
  const numClasses = options.numClasses ?? classNames.length;
  const shape = sampleShape(spec);
  const size = shape.reduce((a, b) => a * b, 1);
  const totalBytes = samples.reduce((n, s) => n + s.bytes, 0);

  async function* pass(batchSize: number, signal?: AbortSignal): AsyncGenerator<Batch> {
    assertBatchSize(batchSize);
    const decoder = new LabelDecoder(root, undefined, 'class', numClasses, undefined);
    let bytesRead = 0;
    for (let first = 0; first < samples.length; first += batchSize) {
      throwIfAborted(signal);
      const batch = samples.slice(first, first + batchSize);
      const features = takeFloat32(batch.length * size); // each image fills its `size` values
      await forEachLimited(batch, CONCURRENCY, async (s, i) => {
        throwIfAborted(signal);
        await loadImageInto(s.file, spec, features, i * size);
      });
      bytesRead += batch.reduce((n, s) => n + s.bytes, 0);
      const labels = Int32Array.from(batch, (s, i) => decoder.check(s.label, first + i + 1));
      yield { size: batch.length, rowIndex: first, features, labels, sources: batch.map((s) => s.file), bytesRead };
    }
  }

  return {
    file: root, format: 'image-folder',
    columns: [{ name: 'image', shape, size }],
    featureCount: size,
    labelColumn: 'folder',
    labelKind: 'class',
    numSamples: samples.length,
    classNames,
    classNamesSource: classNames === folders ? 'folder names' : 'options',
    totalBytes,
    preprocess: spec,
    batches: (batchSize, signal) => readAhead(pass(batchSize, signal), options.readAhead ?? 2, signal),
  };
}

async function list(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw fileError(dir, err);
  }
}

/** Image files under `dir`, recursively, sorted by path; hidden entries skipped. */
async function imagesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await list(dir)).filter((e) => !e.name.startsWith('.')).sort((a, b) => byCodePoint(a.name, b.name));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) pushAll(out, await imagesUnder(full));
    else if (IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure rejects. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (err) {
        failed = true; // the others stop taking items; Promise.all reports this error
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
