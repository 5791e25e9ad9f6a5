/**
 * The tensors of the latest run of each model, kept in the runtime process so the webview can page
 * through them, bin them and draw slabs by run id, without sending them all at once.
 */
import * as path from 'node:path';
import { OnnxLensError } from '../../../core/errors';
import { isNumericDtype, type NdArray } from '../../../core/data/ndarray';
import { encodeNpy } from '../../../core/data/npy';
import { encodeNpyStrings, type AnyArray } from '../../../core/data/npyStrings';
import { encodeNpz } from '../../../core/data/npz';
import { writeOutputFile } from '../../../core/files/outputFile';
import { histogram, numericMoments, tensorPage } from '../../../core/tensorStats';
import type { RuntimeMethods } from '../../methods';
import type { BinaryPage } from '../../../shared/protocol';
import { numericView, type RuntimeTensor } from './tensorSummary';

const MAX_SLAB_ELEMENTS = 1 << 24;

interface StoredRun {
  model: string;
  tensors: Map<string, RuntimeTensor>;
}

/** By run id; a model's older run is dropped when it runs again. */
const runs = new Map<number, StoredRun>();
let nextRunId = 1;

export function storeRun(model: string, tensors: Map<string, RuntimeTensor>): number {
  for (const [id, r] of runs) if (r.model === model) runs.delete(id);
  const runId = nextRunId++;
  runs.set(runId, { model, tensors });
  return runId;
}

export function forgetRuns(model?: string): void {
  for (const [id, r] of runs) if (model === undefined || r.model === path.resolve(model)) runs.delete(id);
}

/** A tensor of a kept run, with a numeric view of it; failures name the model. */
function storedTensor(runId: number, name: string, use: string): { model: string; t: RuntimeTensor; values: NonNullable<ReturnType<typeof numericView>> } {
  const run = runs.get(runId);
  if (!run) throw new OnnxLensError('run', 'that run is no longer held by the runtime process (only the latest run of each model is); run the model again.');
  const t = run.tensors.get(name);
  if (!t) throw new OnnxLensError(path.basename(run.model), `the last run has no tensor '${name}'.`);
  const values = numericView(t);
  if (!values) throw new OnnxLensError(path.basename(run.model), `'${name}' holds strings, which ${use}.`);
  return { model: path.basename(run.model), t, values };
}

export function pageOf(runId: number, name: string, offset: number, count: number): BinaryPage {
  const { model, t, values } = storedTensor(runId, name, 'have no numeric pages');
  try {
    return tensorPage({ name, elemType: 0, dims: [...t.dims], values: values as Float32Array, bytes: 0, storage: 'run' }, offset, count);
  } catch (err) {
    throw new OnnxLensError(model, (err as Error).message);
  }
}

export async function histogramOf(runId: number, name: string): Promise<{ edges: number[]; counts: number[] }> {
  const { values } = storedTensor(runId, name, 'have no histogram');
  const m = await numericMoments(values);
  return histogram(values, m.min, m.max);
}

/** The sub-tensor at `leading` indices (e.g. [0] of [N, C, H, W] → C×H×W), as float32. */
export function slabOf(runId: number, name: string, leading: readonly number[]): { dims: number[]; data: Float32Array } {
  const { model, t, values } = storedTensor(runId, name, 'cannot be drawn');
  if (leading.length > t.dims.length) throw new OnnxLensError(model, `'${name}' has ${t.dims.length} dimensions; ${leading.length} leading indices were given.`);
  let offset = 0;
  leading.forEach((idx, axis) => {
    if (!Number.isInteger(idx) || idx < 0 || idx >= t.dims[axis]) throw new OnnxLensError(model, `index ${idx} is outside dimension ${axis} of '${name}' (size ${t.dims[axis]}).`);
    offset = offset * t.dims[axis] + idx;
  });
  const dims = t.dims.slice(leading.length);
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > MAX_SLAB_ELEMENTS) throw new OnnxLensError(model, `the slab of '${name}' has ${size} elements, more than ${MAX_SLAB_ELEMENTS} can be drawn.`);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Number(values[offset * size + i]);
  return { dims, data };
}

/** A tensor of a kept run as an array to save: numbers (float16 decoded) or strings. */
export function arrayOf(runId: number, name: string): AnyArray {
  const run = runs.get(runId);
  if (!run) throw new OnnxLensError('run', 'that run is no longer held by the runtime process (only the latest run of each model is); run the model again.');
  const t = run.tensors.get(name);
  if (!t) throw new OnnxLensError(path.basename(run.model), `the last run has no tensor '${name}'.`);
  const shape = [...t.dims];
  if (t.type === 'string') return { dtype: 'string', shape, data: [...(t.data as readonly string[])] };
  const values = numericView(t);
  if (!values || !isNumericDtype(t.type)) throw new OnnxLensError(path.basename(run.model), `'${name}' holds ${t.type} elements, which cannot be saved as .npy.`);
  return { dtype: t.type, shape, data: values } as NdArray;
}

/** Writes tensors of a run: one .npy each, or all in one .npz (destinations already checked by the caller). */
export function saveRun(p: RuntimeMethods['save']['params']): string[] {
  if ('npz' in p) {
    const arrays: Record<string, AnyArray> = {};
    for (const name of p.names) arrays[name] = arrayOf(p.runId, name);
    writeOutputFile(p.npz, encodeNpz(arrays), { replace: p.replace });
    return [p.npz];
  }
  // Every array is encoded before the first file is written: a tensor that cannot be saved leaves no files.
  const encoded = p.files.map((f) => {
    const a = arrayOf(p.runId, f.name);
    return { file: f.file, bytes: a.dtype === 'string' ? encodeNpyStrings(a) : encodeNpy(a) };
  });
  for (const e of encoded) writeOutputFile(e.file, e.bytes, { replace: p.replace });
  return encoded.map((e) => e.file);
}
