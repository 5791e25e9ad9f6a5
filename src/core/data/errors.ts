import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { OnnxLensError } from '../errors';

/** Where in a data file a problem sits; every field is optional because not every format has rows. */
export interface DatasetLocation {
  /** 1-based line of a text file (CSV, JSON Lines), or 1-based sample number of a binary one. */
  row?: number;
  /** Column name (CSV/JSONL key) or array key (an .npz member). */
  column?: string;
  /** Position inside a JSON value, e.g. `[3][1]` or `pixels[0][2]`. */
  path?: string;
}

/**
 * A data file (tensor, image, dataset) that cannot be used. `message` is one sentence that names
 * the file by its base name, then the row/column/path when known, then the reason, e.g.
 * `digits.csv, row 12, column f3: 'abc' is not a number.` (`file` keeps the full path).
 */
export class DatasetError extends OnnxLensError {
  readonly row?: number;
  readonly column?: string;
  readonly path?: string;

  constructor(file: string, reason: string, where: DatasetLocation = {}) {
    const sentence = reason.endsWith('.') ? reason : `${reason}.`;
    super(file, sentence);
    this.row = where.row;
    this.column = where.column;
    this.path = where.path;
    let prefix = path.basename(file) || file;
    if (where.row !== undefined) prefix += `, row ${where.row}`;
    if (where.column !== undefined) prefix += `, column ${where.column}`;
    if (where.path !== undefined) prefix += ` at ${where.path}`;
    this.message = `${prefix}: ${sentence}`;
  }
}

/** The error an aborted read throws: the same one `fetch` and Node streams use, so callers test `name === 'AbortError'`. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Turns a Node file-system error into the DatasetError for `file` (missing, a folder, no permission). */
export function fileError(file: string, err: unknown): DatasetError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT' ? 'no such file'
    : code === 'EISDIR' ? 'it is a folder'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : err instanceof Error ? err.message.split('\n')[0].replace(/\.$/, '')
    : String(err);
  return new DatasetError(file, `cannot be read: ${why}`);
}

/** Names for a message: 'a, b, c', or 'f0, f1, f2, f3, …, label' when there are many. */
export function listNames(names: readonly string[], max = 6): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max - 2).join(', ')}, …, ${names[names.length - 1]}`;
}

/**
 * Files up to this size are read synchronously: a labels file of 60k samples takes ~0.05 ms so,
 * against four round trips through libuv's pool (~0.15 ms each here) for `fs.promises.readFile`.
 */
const SYNC_READ_BYTES = 1 << 20;

/** A whole data file; a missing or unreadable one is a DatasetError naming it. */
export async function readDataFile(file: string): Promise<Buffer> {
  try {
    return fsSync.statSync(file).size <= SYNC_READ_BYTES ? fsSync.readFileSync(file) : await fs.readFile(file);
  } catch (err) {
    throw fileError(file, err);
  }
}

/** The size of a data file that must be a file; a missing file or a folder is the DatasetError for it. */
export async function dataFileSize(file: string): Promise<number> {
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    return st.size;
  } catch (err) {
    throw fileError(file, err);
  }
}
