/**
 * External tensor data: resolved relative to the model's folder, and refused when it would
 * escape that folder (absolute path, `..`, or a symlink out). A model file must not be able to
 * make ONNX Lens read arbitrary files such as ~/.ssh keys.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TensorDataError } from '../errors';

export interface ExternalLocation {
  file: string;
  offset: number;
  length: number | undefined;
}

/** Resolves `location` inside `modelDir`; throws TensorDataError naming the model file otherwise. */
export function resolveExternalPath(modelFile: string, modelDir: string | undefined, tensor: string, location: string): string {
  const refuse = (why: string) => new TensorDataError(modelFile, `external data of tensor '${tensor}' ${why}`);
  if (modelDir === undefined) throw refuse(`at '${location}' cannot be read: the model was not loaded from a folder`);
  if (location.includes('\0')) throw refuse('has an invalid location');
  if (path.isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) {
    throw refuse(`uses an absolute location '${location}', which is refused; locations must be relative to the model's folder`);
  }
  const full = path.resolve(modelDir, location);
  const rel = path.relative(modelDir, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw refuse(`at '${location}' points outside the model's folder, which is refused`);
  }
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    throw refuse(`is missing: '${location}' does not exist next to the model`);
  }
  const realDir = fs.realpathSync(modelDir);
  const realRel = path.relative(realDir, real);
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    throw refuse(`at '${location}' is a link that leads outside the model's folder, which is refused`);
  }
  return real;
}

/** Checks that an external range exists and fits its file, without reading it. */
export function checkExternalRange(modelFile: string, tensor: string, resolved: string, location: string, offset: number, length: number | undefined, expected: number | undefined): void {
  let size: number;
  try {
    const st = fs.statSync(resolved);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new TensorDataError(modelFile, `external data of tensor '${tensor}' at '${location}' is not a readable file`);
  }
  const len = length ?? (expected ?? size - offset);
  if (offset + len > size) {
    throw new TensorDataError(modelFile, `external data of tensor '${tensor}' needs bytes ${offset}..${offset + len} of '${location}', which has only ${size} bytes`);
  }
  if (expected !== undefined && len !== expected) {
    throw new TensorDataError(modelFile, `external data of tensor '${tensor}' has ${len} bytes in '${location}' but its shape needs ${expected}`);
  }
}

export function readExternalRange(resolved: string, offset: number, length: number): Buffer {
  const fd = fs.openSync(resolved, 'r');
  try {
    const out = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, out, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return out.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}
