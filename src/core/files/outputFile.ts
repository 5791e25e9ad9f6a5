/**
 * Every file ONNX Lens writes (CLI and editor: quantized models and their data, reports, JUnit,
 * exported pictures, saved tensors) goes through here, under one rule set (docs/security.md):
 *  - never an input of the command — the model, its external data, datasets, calibration data,
 *    labels, mappings — compared by device and inode, so no spelling, symlink or hard link of an
 *    input gets through, and never a file inside an input folder (an image-folder dataset);
 *  - an existing file only when the user said so (`--force`, or a confirmation in the editor);
 *  - checked BEFORE the work starts (`checkOutput`), so a bad destination costs nothing;
 *  - written to a temporary sibling opened exclusively (`wx`: never an existing file or a link
 *    planted under that name), fsynced, then published: renamed over the target when replacing
 *    is allowed, else hard-linked into place, which fails instead of replacing a file that
 *    appeared meanwhile (two reports saved at once get distinct names, see `writeUniqueFile`);
 *  - failures name the target, never the temporary file, and leave nothing behind.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxLensError } from '../errors';

/** A destination refused before anything was written (the CLI exits 2: a usage error). */
export class OutputRefusedError extends OnnxLensError {}

/** Writing an accepted destination failed (disk full, permissions); nothing is left behind. */
export class OutputWriteError extends OnnxLensError {
  constructor(file: string, reason: string, readonly code?: string) {
    super(file, reason);
  }
}

/** A file (or folder) the command reads: never to be written over. */
export interface CommandInput {
  path: string;
  /** How the message names it: 'the model', 'the dataset', "the model's external data". */
  role: string;
}

export interface OutputTarget {
  /** The path as given (for messages) — relative paths resolve against the working directory. */
  file: string;
  /** The option that named it ('--report', '-o'), for messages; undefined in the editor. */
  flag?: string;
  /** Replace an existing file (`--force`, or the user confirmed). */
  replace?: boolean;
  inputs: readonly CommandInput[];
  /** How to ask for replacing in the message: 'use --force to replace it' (default) or the editor's words. */
  replaceHint?: string;
}

interface Identity {
  dev: number;
  ino: number;
  dir: boolean;
  real: string;
}

function identity(p: string): Identity | null {
  try {
    const st = fs.statSync(p);
    return { dev: st.dev, ino: st.ino, dir: st.isDirectory(), real: fs.realpathSync(p) };
  } catch {
    return null;
  }
}

function insideFolder(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The real path of `p`, or — when it does not exist yet — its folder's real path and its name. */
function realOrPlanned(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

/** The input `target` is (or lies inside), or undefined. Inputs that do not exist yet (another output of the command) compare by path. */
export function inputAt(target: string, inputs: readonly CommandInput[]): CommandInput | undefined {
  const out = identity(target);
  const realTarget = realOrPlanned(target);
  for (const input of inputs) {
    const id = identity(input.path);
    if (!id) {
      if (realOrPlanned(input.path) === realTarget) return input;
      continue;
    }
    if (out && out.dev === id.dev && out.ino === id.ino) return input;
    if (id.dir && insideFolder(id.real, realTarget)) return input;
  }
  return undefined;
}

/** Same file on disk, whatever the spelling (symlinks, hard links, case on case-insensitive systems). */
export function isSameFile(a: string, b: string): boolean {
  const ia = identity(a);
  const ib = identity(b);
  return ia !== null && ib !== null && ia.dev === ib.dev && ia.ino === ib.ino;
}

/**
 * Refuses a destination before any work: an input of the command, an existing file without
 * `replace`, a folder, or a folder that does not exist or is not writable. Returns the absolute path.
 */
export function checkOutput(t: OutputTarget): string {
  const abs = path.resolve(t.file);
  const name = t.flag ? `${t.flag} ${t.file}` : t.file;
  const refuse = (why: string) => new OutputRefusedError(name, why);
  const hit = inputAt(abs, t.inputs);
  if (hit) throw refuse(`is ${hit.role}, an input of this command${identity(hit.path)?.dir && !isSameFile(hit.path, abs) ? ' (it lies inside that folder)' : ''}; inputs are never overwritten, choose another file`);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(abs);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw refuse('is a folder; give a file name');
  if (st && !st.isFile()) throw refuse('is not a regular file (a device, pipe or socket), which is never written');
  if (st && !t.replace) throw refuse(`already exists; ${t.replaceHint ?? 'use --force to replace it'}`);
  const dir = path.dirname(abs);
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch {
    throw refuse(`cannot be written: its folder ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw refuse(`cannot be written: ${dir} is a file, not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw refuse(`cannot be written: the folder ${dir} is read-only`);
  }
  return abs;
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES': case 'EPERM': case 'EROFS': return 'permission denied (is the folder read-only?)';
    case 'ENOENT': return 'its folder does not exist';
    case 'ENOSPC': return 'the disk is full';
    case 'EISDIR': return 'it is a folder';
    case 'EEXIST': return 'a file of that name appeared while it was being written; nothing was replaced';
    default: return String(e.message ?? err).split('\n')[0];
  }
}

/** A temporary sibling of `target`, opened exclusively; its name is random, so concurrent writers never share one. */
export interface TempFile {
  path: string;
  fd: number;
}

export function openTempBeside(target: string): TempFile {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  return { path: tmp, fd: fs.openSync(tmp, 'wx', 0o666) };
}

/** Writes all of `data` at the file's current end. */
export function writeAll(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.byteLength) done += fs.writeSync(fd, data, done, data.byteLength - done);
}

/** fsync and close: the bytes are on disk before the name points at them. */
export function finishTemp(t: TempFile): void {
  try {
    fs.fsyncSync(t.fd);
  } finally {
    fs.closeSync(t.fd);
  }
}

/**
 * Gives the finished temporary file its final name: rename (replaces) when `replace`, else a hard
 * link that fails if the name is taken (then the temporary name is removed). File systems without
 * hard links fall back to a rename after one more existence check.
 */
export function publishTemp(tmp: string, target: string, replace: boolean): void {
  if (replace) {
    fs.renameSync(tmp, target);
    return;
  }
  try {
    fs.linkSync(tmp, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
    if (fs.existsSync(target)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    fs.renameSync(tmp, target);
    return;
  }
  fs.rmSync(tmp, { force: true });
}

/** Writes `data` to `target` (already checked with `checkOutput`) the safe way; throws OutputWriteError naming `target`. */
export function writeOutputFile(target: string, data: string | Uint8Array, options: { replace?: boolean } = {}): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let tmp: TempFile | undefined;
  try {
    tmp = openTempBeside(target);
    try {
      writeAll(tmp.fd, bytes);
    } finally {
      finishTemp(tmp);
    }
    publishTemp(tmp.path, target, options.replace ?? false);
  } catch (err) {
    if (tmp) fs.rmSync(tmp.path, { force: true });
    throw new OutputWriteError(target, `cannot be written: ${describeFsError(err)}`, (err as NodeJS.ErrnoException).code);
  }
}

/**
 * Writes `data` under the first free name `name(1)`, `name(2)`, … in `folder` (created if
 * missing) and returns it; a name another writer takes at the same moment is skipped, never replaced.
 */
export function writeUniqueFile(folder: string, name: (n: number) => string, data: string | Uint8Array): string {
  fs.mkdirSync(folder, { recursive: true });
  for (let n = 1; n < 10_000; n++) {
    const target = path.join(folder, name(n));
    if (fs.existsSync(target)) continue;
    try {
      writeOutputFile(target, data, { replace: false });
      return target;
    } catch (err) {
      if (err instanceof OutputWriteError && err.code === 'EEXIST') continue;
      throw err;
    }
  }
  throw new OutputWriteError(path.join(folder, name(1)), 'cannot be written: no free file name is left');
}
