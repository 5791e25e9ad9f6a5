/**
 * `--input name=<source>` and `--dim symbol=value` for run/bench/profile. A source is a file
 * (.npy, .npz, .json, or an image with the default preprocessing for the input's shape) or one of
 * random, uniform, zeros, ones, or a number (every element that value).
 */
import * as path from 'node:path';
import { defaultPreprocess } from '../core/data/preprocess';
import { concreteDims, defaultInputSpecs } from '../core/inputs/defaultInputs';
import type { InputSource, InputSpec, IoSignature } from '../shared/runtimeTypes';

export class UsageError extends Error {}

/** A whole-number option of at least `min` (undefined when not given); anything else is a usage error naming `flag`. */
export function wholeNumber(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not '${text}'`);
  return n;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.bmp']);

function keyValue(arg: string, what: string): [string, string] {
  const at = arg.indexOf('=');
  if (at <= 0 || at === arg.length - 1) throw new UsageError(`${what} must look like name=value, not '${arg}'`);
  return [arg.slice(0, at), arg.slice(at + 1)];
}

export function parseDimArgs(args: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const arg of args) {
    const [name, value] = keyValue(arg, '--dim');
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--dim ${name} must be a whole number, not '${value}'`);
    out[name] = n;
  }
  return out;
}

function sourceFor(value: string, sig: IoSignature, seed: number): InputSource {
  const lower = value.toLowerCase();
  if (lower === 'random' || lower === 'normal') return { kind: 'random', distribution: 'normal', seed };
  if (lower === 'uniform') return { kind: 'random', distribution: 'uniform', seed };
  if (lower === 'zeros') return { kind: 'zeros' };
  if (lower === 'ones') return { kind: 'ones' };
  if (value.trim() !== '' && Number.isFinite(Number(value))) return { kind: 'constant', value: Number(value) };
  const ext = path.extname(lower);
  if (ext === '.npy' || ext === '.npz') return { kind: 'npy', path: path.resolve(value) };
  if (ext === '.json') return { kind: 'json', path: path.resolve(value) };
  if (IMAGE_EXTENSIONS.has(ext)) return { kind: 'image', path: path.resolve(value), preprocess: defaultPreprocess(sig.dims) };
  throw new UsageError(`--input ${sig.name}: '${value}' is neither a data file (.npy, .npz, .json, an image) nor random, uniform, zeros, ones or a number`);
}

/** The data files `--input name=file` arguments name (inputs of the command, never written over). */
export function inputFileArgs(inputArgs: readonly string[]): string[] {
  return inputArgs.flatMap((arg) => {
    const at = arg.indexOf('=');
    const value = at > 0 ? arg.slice(at + 1) : '';
    const ext = path.extname(value.toLowerCase());
    return ext === '.npy' || ext === '.npz' || ext === '.json' || IMAGE_EXTENSIONS.has(ext) ? [path.resolve(value)] : [];
  });
}

/** Specs for every model input: the defaults, overridden by `--input` arguments. */
export function inputSpecsFromArgs(signature: readonly IoSignature[], inputArgs: readonly string[], dimArgs: readonly string[]): InputSpec[] {
  const dimValues = parseDimArgs(dimArgs);
  const specs = defaultInputSpecs(signature, dimValues);
  for (const arg of inputArgs) {
    const [name, value] = keyValue(arg, '--input');
    const index = signature.findIndex((s) => s.name === name);
    if (index < 0) throw new UsageError(`--input ${name}: the model has no such input (its inputs: ${signature.map((s) => s.name).join(', ')})`);
    specs[index] = { name, dims: concreteDims(signature[index].dims, dimValues), source: sourceFor(value, signature[index], index) };
  }
  return specs;
}
