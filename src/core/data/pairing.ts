/**
 * Finding the labels that go with an inputs array by the names people give them: x_test.npy ↔
 * y_test.npy, inputs ↔ labels, train-images-idx3-ubyte.gz ↔ train-labels-idx1-ubyte.gz, and the
 * same for .npz keys (x_test ↔ y_test).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Name tokens of inputs and what the matching labels token may be. */
const TOKEN_PAIRS: Record<string, string[]> = {
  x: ['y'], X: ['y', 'Y'], inputs: ['labels', 'targets'], input: ['label', 'target'],
  images: ['labels'], features: ['labels', 'targets'], data: ['labels', 'targets'], samples: ['labels'],
  idx3: ['idx1'],
};

export const INPUT_KEYS = ['x', 'X', 'inputs', 'input', 'data', 'images', 'features'];
export const LABEL_KEYS = ['y', 'Y', 'labels', 'label', 'targets', 'target'];

/**
 * Names a labels array could have, given the inputs array's name (without extension): each token
 * between separators swapped for its labels counterpart, e.g. 't10k-images-idx3-ubyte' →
 * 't10k-labels-idx1-ubyte'. Several tokens swap together (images+idx3 above).
 */
export function labelNamesFor(inputName: string): string[] {
  const parts = inputName.split(/([_\-.\s])/);
  const options = parts.map((p, i) => (i % 2 === 0 && TOKEN_PAIRS[p] ? TOKEN_PAIRS[p] : null));
  if (options.every((o) => o === null)) return [];
  const out = new Set<string>();
  // All swappable tokens swapped with their first counterpart, then each alternative on its own.
  out.add(parts.map((p, i) => options[i]?.[0] ?? p).join(''));
  options.forEach((alts, i) => alts?.forEach((alt) => out.add(parts.map((p, j) => (j === i ? alt : options[j]?.[0] ?? p)).join(''))));
  out.delete(inputName);
  return [...out];
}

/** The first existing labels file for an inputs file (same folder, same extension). */
export function findLabelsFile(inputsPath: string): string | undefined {
  const dir = path.dirname(inputsPath);
  let base = path.basename(inputsPath);
  let gz = '';
  if (base.endsWith('.gz')) {
    base = base.slice(0, -3);
    gz = '.gz';
  }
  const ext = path.extname(base).toLowerCase() === '.npy' ? path.extname(base) : '';
  const stem = ext ? base.slice(0, -ext.length) : base;
  const candidates = labelNamesFor(stem).flatMap((s) => [`${s}${ext}${gz}`, ...(gz ? [`${s}${ext}`] : [`${s}${ext}.gz`])]);
  if (ext) candidates.push('y.npy', 'labels.npy');
  return candidates.map((c) => path.join(dir, c)).find((f) => f !== inputsPath && isFile(f));
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false; // absent candidates are the normal case
  }
}
