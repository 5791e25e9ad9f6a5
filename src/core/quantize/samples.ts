/**
 * The inputs quantization runs the model on: samples of a dataset in any format the evaluation
 * reads (mapped onto the model's inputs the same way), or seeded random inputs when no data is
 * given (enough to compare two models, not to calibrate them).
 */
import { autoMapping, batchInputs, batchSizeFor, inputPlan, modelInputs, openDataset, type ModelInput } from '../data';
import { arrayCtor, type NdArray } from '../data/ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';
import { elemTypeName } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import { QuantizeError } from './errors';
import type { Feeds } from './runner';

export interface SampleBatch {
  feeds: Feeds;
  /** Real samples at the front (a fixed-batch model's last batch is padded). */
  count: number;
  labels: Int32Array | null;
}

export interface SampleSet {
  batches: SampleBatch[];
  samples: number;
  /** 'data': read from `file`; 'random': seeded noise. */
  source: 'data' | 'random';
  file: string | null;
  hasLabels: boolean;
}

export function graphInputs(model: OnnxModel): ModelInput[] {
  const inits = new Set(model.info.graph.initializers.map((t) => t.name));
  return modelInputs(model.info.graph.inputs.filter((v) => !inits.has(v.name)).map((v) => ({
    name: v.name,
    elemType: v.type.kind === 'tensor' ? elemTypeName(v.type.elemType) : 'unknown',
    shape: v.type.kind === 'tensor' ? v.type.shape : null,
  })));
}

export interface LoadSamplesOptions {
  maxSamples: number;
  batchSize: number;
  labelColumn?: string | null;
  signal?: AbortSignal;
}

/** Up to `maxSamples` samples of `file` as feeds for `model`; a dataset that does not fit the model's inputs is a DatasetError naming the file. */
export async function loadSamples(model: OnnxModel, file: string, o: LoadSamplesOptions): Promise<SampleSet> {
  const inputs = graphInputs(model);
  const reader = await openDataset(file, { labelColumn: o.labelColumn === undefined ? 'label' : o.labelColumn });
  const mapping = autoMapping(reader.columns, inputs, reader.labelColumn, file);
  const plan = inputPlan(mapping, reader.columns);
  const batchSize = batchSizeFor(mapping, o.batchSize);
  const batches: SampleBatch[] = [];
  let samples = 0;
  for await (const batch of reader.batches(batchSize, o.signal)) {
    const take = Math.min(batch.size, o.maxSamples - samples);
    const trimmed = take < batch.size ? { ...batch, size: take, features: batch.features.subarray(0, take * plan.featureCount) } : batch;
    const f = batchInputs(trimmed, plan);
    const labels = batch.labels ? Int32Array.from(Array.from(batch.labels as ArrayLike<number>).slice(0, take)) : null;
    batches.push({ feeds: f.inputs, count: f.count, labels });
    samples += take;
    if (samples >= o.maxSamples) break;
  }
  if (samples === 0) throw new QuantizeError(file, 'has no samples to run the model on');
  return { batches, samples, source: 'data', file, hasLabels: reader.labelColumn !== null && batches.every((b) => b.labels !== null) };
}

/** `n` seeded normal numbers with standard deviation `std` (mulberry32 + Box–Muller): the same on every machine. */
export function seededNormals(seed: number, n: number, std = 1): Float32Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(a) * std;
  }
  return out;
}

/** `count` seeded random samples (symbolic dims 1): normal noise for floats, zeros for integers. */
export function randomSamples(model: OnnxModel, count: number, seed = 1): SampleSet {
  const inputs = graphInputs(model);
  const feeds: Feeds = new Map();
  for (const input of inputs) {
    const dtype = input.elemType as NumericDtype;
    const dims = input.dims.map((d, i) => (typeof d === 'number' ? d : i === 0 ? count : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new (arrayCtor(dtype === 'float16' ? 'float32' : dtype))(n);
    if (data instanceof Float32Array || data instanceof Float64Array) data.set(seededNormals(seed++, n));
    feeds.set(input.name, { dtype, shape: dims, data } as NdArray);
  }
  return { batches: [{ feeds, count, labels: null }], samples: count, source: 'random', file: null, hasLabels: false };
}
