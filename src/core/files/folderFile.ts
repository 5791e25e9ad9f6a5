/**
 * Files a model (or a dataset) names relative to its own folder: external tensor data and label
 * files. One rule for every such path, so a crafted file cannot make ONNX Lens (or onnxruntime,
 * which reads the same locations) read anything else on the disk:
 *  - relative only: no absolute path, drive letter or UNC prefix, no NUL;
 *  - inside the folder once every symlink is followed (`..` or a link leading out is refused);
 *  - a regular file: not a folder, device (/dev/zero), FIFO or socket — those can hang a reader
 *    or grow it without bound;
 *  - opened without following a last-moment symlink, and checked again after opening (same
 *    device and inode as what was checked), so a swap between check and read is caught.
 * docs/security.md describes the rules for users.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a path was refused, as the end of a sentence: "… is a link that leads outside the folder". */
export class FolderFileRefused extends Error {
  constructor(
    readonly why: string,
    readonly missing = false,
  ) {
    super(why);
    this.name = 'FolderFileRefused';
  }
}

export interface FolderFile {
  /** The path as the model wrote it. */
  relative: string;
  /** The real path (every symlink followed). */
  path: string;
  size: number;
  dev: number;
  ino: number;
}

const isAbsoluteAnywhere = (p: string) => path.isAbsolute(p) || /^[a-zA-Z]:/.test(p) || p.startsWith('\\') || path.win32.isAbsolute(p);

function inside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** True only when `file` surely does not exist (an unreadable folder is left to the real-path walk). */
function surelyAbsent(file: string): boolean {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false }) === undefined;
  } catch {
    return false;
  }
}

/** Resolves `relative` inside `folder` under the rules above; throws FolderFileRefused otherwise. */
export function resolveFolderFile(folder: string, relative: string): FolderFile {
  if (relative === '' || relative.includes('\0')) throw new FolderFileRefused('has an invalid location');
  if (isAbsoluteAnywhere(relative)) throw new FolderFileRefused(`uses an absolute location '${relative}', which is refused; locations must be relative to the folder`);
  const full = path.resolve(folder, relative);
  if (!inside(path.resolve(folder), full)) throw new FolderFileRefused(`at '${relative}' points outside the folder, which is refused`);
  // One lstat says an absent file is absent; the real-path walks below cost an lstat per path
  // component each (label files are looked up by five names on every evaluation pass: ~0.3 ms a
  // time). A link is still resolved below, and refused when it leads out of the folder.
  if (surelyAbsent(full)) throw new FolderFileRefused(`is missing: '${relative}' does not exist in the folder`, true);
  let real: string;
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
    real = fs.realpathSync(full);
  } catch {
    throw new FolderFileRefused(`is missing: '${relative}' does not exist in the folder`, true);
  }
  if (!inside(realFolder, real)) throw new FolderFileRefused(`at '${relative}' is a link that leads outside the folder, which is refused`);
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch {
    throw new FolderFileRefused(`is missing: '${relative}' does not exist in the folder`, true);
  }
  if (!st.isFile()) throw new FolderFileRefused(`at '${relative}' is ${st.isDirectory() ? 'a folder' : 'a device, pipe or socket'}, not a regular file, which is refused`);
  return { relative, path: real, size: st.size, dev: st.dev, ino: st.ino };
}

/**
 * Opens a resolved file for reading: O_NOFOLLOW (the real path has no link left in it, so one
 * appearing now is a swap) and O_NONBLOCK (a FIFO swapped in cannot block the open); then the
 * opened file must still be the regular file that was checked.
 */
export function openFolderFile(f: FolderFile): number {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = fs.openSync(f.path, flags);
  } catch (err) {
    throw new FolderFileRefused(`at '${f.relative}' cannot be opened: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile() || st.dev !== f.dev || st.ino !== f.ino) {
    fs.closeSync(fd);
    throw new FolderFileRefused(`at '${f.relative}' changed while it was being opened, which is refused`);
  }
  return fd;
}

/** Bytes [offset, offset + length) of a resolved file (fewer only if the file shrank meanwhile). */
export function readFolderFileRange(f: FolderFile, offset: number, length: number): Buffer {
  const fd = openFolderFile(f);
  try {
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}

/** The whole file as text, refused above `maxBytes` (label files are small; /dev/zero is not). */
export function readFolderFileText(f: FolderFile, maxBytes: number): string {
  if (f.size > maxBytes) throw new FolderFileRefused(`at '${f.relative}' has ${f.size} bytes, more than the ${maxBytes} allowed`);
  return readFolderFileRange(f, 0, f.size).toString('utf8');
}
