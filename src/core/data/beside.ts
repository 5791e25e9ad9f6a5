/**
 * Datasets that sit beside a model (`digits-test.csv` next to `digits.onnx`): what the Run panel
 * offers as an input row and what Quantize proposes as evaluation data. A held-out split first
 * (test, then validation), then the rest, by name. Only the model's own folder is read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DATA_FILE = /\.(csv|tsv|jsonl|ndjson|npy|npz)(\.gz)?$/i;
/** Files that hold labels or names for another file, not samples. */
const NOT_SAMPLES = /(^|[-_.])(labels?|classes|synset|y|targets?)\.(npy|npz|csv|tsv)$/i;

function rank(name: string): number {
  if (/test/i.test(name)) return 0;
  if (/val/i.test(name)) return 1;
  if (/train/i.test(name)) return 3;
  return 2;
}

/** Absolute paths of the data files in the model's folder, most likely evaluation data first. */
export function datasetsBeside(modelPath: string, max = 20): string[] {
  const dir = path.dirname(path.resolve(modelPath));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => DATA_FILE.test(n) && !NOT_SAMPLES.test(n))
    .filter((n) => {
      try {
        return fs.statSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, max)
    .map((n) => path.join(dir, n));
}
