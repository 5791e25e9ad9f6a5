/**
 * Batches → model inputs, following a mapping: the arrays to hand to ONNX Runtime (see
 * runtime/ort/feeds.ts `toFeeds`). The common case — one float32 input fed by every feature in
 * order — hands over the batch's own Float32Array without copying.
 */
import { fromFloat32 } from './convert';
import { takeFloat32 } from './featureBuffers';
import { fixedBatch, type DatasetMapping, type InputBinding } from './mapping';
import { elementCount, type NdArray } from './ndarray';
import type { Batch, DatasetColumn } from './types';

export interface InputPlan {
  inputs: {
    binding: InputBinding;
    /** Per sample: [start, length] runs in the feature row, in feeding order. */
    runs: [number, number][];
    /** Values per sample. */
    size: number;
    /** The input takes the whole feature row in order. */
    whole: boolean;
  }[];
  featureCount: number;
  /** The model's fixed batch size, or null when free. Short batches are padded with zeros up to it. */
  fixedBatch: number | null;
}

export interface BatchInputs {
  inputs: Map<string, NdArray>;
  /** Real samples at the front of each input; the rest (up to the fixed batch) is padding. */
  count: number;
}

/** Precomputes where each input's values sit in a feature row. */
export function inputPlan(mapping: DatasetMapping, columns: readonly DatasetColumn[]): InputPlan {
  const offsets = new Map<string, [number, number]>();
  let at = 0;
  for (const c of columns) {
    offsets.set(c.name, [at, c.size]);
    at += c.size;
  }
  const inputs = mapping.inputs.map((binding) => {
    const runs: [number, number][] = [];
    for (const name of binding.columns) {
      const run = offsets.get(name);
      if (!run) throw new RangeError(`inputPlan: column '${name}' is not in the dataset`);
      const last = runs[runs.length - 1];
      // Adjacent columns merge into one run: CSV features become a single copy per sample.
      if (last && last[0] + last[1] === run[0]) last[1] += run[1];
      else runs.push([run[0], run[1]]);
    }
    const size = runs.reduce((n, r) => n + r[1], 0);
    return { binding, runs, size, whole: runs.length === 1 && runs[0][0] === 0 && size === at };
  });
  return { inputs, featureCount: at, fixedBatch: fixedBatch(mapping) };
}

export function batchInputs(batch: Batch, plan: InputPlan): BatchInputs {
  const rows = plan.fixedBatch ?? batch.size;
  if (batch.size > rows) throw new RangeError(`batchInputs: a batch of ${batch.size} for a model that takes ${rows}`);
  const result = new Map<string, NdArray>();
  for (const { binding, runs, size, whole } of plan.inputs) {
    let values: Float32Array;
    if (whole && rows === batch.size) {
      values = batch.features;
    } else {
      values = takeFloat32(rows * size);
      values.fill(0, batch.size * size); // padding up to a fixed batch
      for (let s = 0; s < batch.size; s++) {
        let o = s * size;
        const row = s * plan.featureCount;
        for (const [start, length] of runs) {
          values.set(batch.features.subarray(row + start, row + start + length), o);
          o += length;
        }
      }
    }
    const shape = binding.batchDim === null ? [...binding.sampleDims] : [rows, ...binding.sampleDims];
    if (elementCount(shape) !== values.length) throw new RangeError(`batchInputs: ${values.length} values for input '${binding.input}' of shape [${shape.join(', ')}]`);
    result.set(binding.input, { dtype: binding.elemType, shape, data: fromFloat32(values, binding.elemType) } as NdArray);
  }
  return { inputs: result, count: batch.size };
}
