/**
 * Class names for a classifier's outputs: from the model's metadata (keys exporters use) or a
 * labels file next to the model (or dataset). A list is applied only when its length equals the
 * number of classes (when that is known): 10 digit names on a 1000-class model would be wrong
 * names, so they are not shown, and `note` says why. One name per line in files; metadata may hold a JSON array, a
 * JSON/Python dict of index → name (Ultralytics writes `{0: 'person', ...}`), or comma-separated names.
 */
import * as path from 'node:path';
import { FolderFileRefused, readFolderFileText, resolveFolderFile } from './files/folderFile';

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

/** Candidate label file names beside a model or dataset, most specific first. */
export function labelFileNames(besidePath: string): string[] {
  const stem = path.basename(besidePath, path.extname(besidePath));
  return [`${stem}.labels.txt`, `${stem}.classes.txt`, 'labels.txt', 'classes.txt', 'synset.txt'];
}

/** Candidate label files for a model or dataset, as paths (the files a command reads, so never written over). */
export function labelFileCandidates(besidePath: string): string[] {
  return labelFileNames(besidePath).map((f) => path.join(path.dirname(besidePath), f));
}

/**
 * One name per line from a labels file in `folder`, through the folder-file rules
 * (core/files/folderFile.ts): a regular file inside the folder (no link out, no device), at most
 * MAX_LABEL_FILE_BYTES. Null when there is no such file; a refused one is null too, with `note`
 * saying why (a link out of the folder is not silently read).
 */
export function readLabelFile(folder: string, name: string): { labels: string[] | null; note: string | null } {
  let text: string;
  try {
    text = readFolderFileText(resolveFolderFile(folder, name), MAX_LABEL_FILE_BYTES);
  } catch (err) {
    if (err instanceof FolderFileRefused) return { labels: null, note: err.missing ? null : `the labels file ${err.why}` };
    return { labels: null, note: `the labels file ${name} cannot be read` };
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { labels: lines.length ? lines : null, note: null };
}

export interface LabelLookup {
  /** The names and where they came from, or null. */
  found: { labels: string[]; source: string } | null;
  /** Why a list that exists was not used (refused file, wrong count), said where labels are shown. */
  note: string | null;
}

/** Whether `count` names fit a model or dataset with `classes` classes (unknown: they fit). */
export function labelCountNote(source: string, count: number, classes: number | undefined): string | null {
  if (classes === undefined || count === classes) return null;
  return `${source} has ${count} class name${count === 1 ? '' : 's'} but there ${classes === 1 ? 'is 1 class' : `are ${classes} classes`}, so the names are not used`;
}

/** The first labels file beside `besidePath` (see labelFileNames) whose count fits `classes`. */
export function findLabelFile(besidePath: string, classes?: number): LabelLookup {
  const folder = path.dirname(path.resolve(besidePath));
  const notes: string[] = [];
  for (const name of labelFileNames(besidePath)) {
    const { labels, note } = readLabelFile(folder, name);
    if (note) notes.push(note);
    if (!labels) continue;
    const mismatch = labelCountNote(name, labels.length, classes);
    if (mismatch) {
      notes.push(mismatch);
      continue;
    }
    return { found: { labels, source: name }, note: notes[0] ?? null };
  }
  return { found: null, note: notes[0] ?? null };
}

/**
 * Names from metadata first (they travel with the model), then from a labels file (unless `files`
 * is false: setting onnxLens.useLabelsFile). `classes`, when known, must equal the number of
 * names, or the list is not applied (`note` says so).
 */
export function findModelLabels(modelPath: string, metadata: readonly { key: string; value: string }[], classes?: number, { files = true } = {}): LabelLookup {
  let metadataNote: string | null = null;
  for (const key of METADATA_KEYS) {
    const entry = metadata.find((m) => m.key.toLowerCase() === key);
    const names = entry && parseLabelList(entry.value);
    if (!names) continue;
    const source = `metadata '${entry.key}'`;
    metadataNote ??= labelCountNote(source, names.length, classes);
    if (!labelCountNote(source, names.length, classes)) return { found: { labels: names, source }, note: null };
  }
  if (!files) return { found: null, note: metadataNote };
  const file = findLabelFile(modelPath, classes);
  return { found: file.found, note: file.found ? null : metadataNote ?? file.note };
}
