/**
 * Class names for a classifier's outputs: from the model's metadata (keys exporters use) or a
 * labels file next to the model. One name per line in files; metadata may hold a JSON array, a
 * JSON/Python dict of index → name (Ultralytics writes `{0: 'person', ...}`), or comma-separated names.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const METADATA_KEYS = ['labels', 'classes', 'class_names', 'names', 'classlabels_strings'];
const MAX_LABEL_FILE_BYTES = 4 << 20;

/** Parses a metadata value into names, or null when it is not a recognisable list. */
export function parseLabelList(text: string): string[] | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    if (parsed && typeof parsed === 'object') return fromIndexMap(Object.entries(parsed as Record<string, unknown>));
  } catch {
    // Not JSON: a Python dict literal or a plain list follows.
  }
  const pairs = [...trimmed.matchAll(/(\d+)\s*:\s*(['"])(.*?)\2/g)].map((m) => [m[1], m[3]] as [string, unknown]);
  if (pairs.length > 0) return fromIndexMap(pairs);
  const parts = trimmed.split(/\r?\n|,/).map((s) => s.trim()).filter(Boolean);
  return parts.length > 1 ? parts : null;
}

function fromIndexMap(entries: [string, unknown][]): string[] | null {
  const names: string[] = [];
  for (const [k, v] of entries) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i > 1e6 || typeof v !== 'string') return null;
    names[i] = v;
  }
  return names.length > 0 ? Array.from(names, (n, i) => n ?? String(i)) : null;
}

/** Candidate label files for a model, most specific first. */
export function labelFileCandidates(modelPath: string): string[] {
  const dir = path.dirname(modelPath);
  const stem = path.basename(modelPath, path.extname(modelPath));
  return [`${stem}.labels.txt`, `${stem}.classes.txt`, 'labels.txt', 'classes.txt', 'synset.txt'].map((f) => path.join(dir, f));
}

export function readLabelFile(file: string): string[] | null {
  try {
    if (fs.statSync(file).size > MAX_LABEL_FILE_BYTES) return null;
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim());
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.length ? lines : null;
  } catch {
    return null; // no such file: labels are optional
  }
}

/** Names from metadata first (they travel with the model), then from a labels file (unless `files` is false: setting onnxLens.useLabelsFile). */
export function findModelLabels(modelPath: string, metadata: readonly { key: string; value: string }[], { files = true } = {}): { labels: string[]; source: string } | null {
  for (const key of METADATA_KEYS) {
    const entry = metadata.find((m) => m.key.toLowerCase() === key);
    const names = entry && parseLabelList(entry.value);
    if (names) return { labels: names, source: `metadata '${entry.key}'` };
  }
  if (!files) return null;
  for (const file of labelFileCandidates(modelPath)) {
    const names = readLabelFile(file);
    if (names) return { labels: names, source: path.basename(file) };
  }
  return null;
}
