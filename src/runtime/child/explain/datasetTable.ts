/**
 * A dataset read whole for an explanation — the background of KernelSHAP and LIME, the rows
 * permutation importance shuffles, the row explained: every model input's values per row (mapped
 * as Evaluate maps them, src/core/data/mapping.ts), the labels, and the names of the explained
 * input's features (the dataset's columns when one column feeds one value, else `input[i]`).
 * At most MAX_ROWS rows are read; more say nothing new about a background and cost model time.
 */
import * as path from 'node:path';
import { batchInputs, inputPlan } from '../../../core/data/batchInputs';
import { openDataset } from '../../../core/data/dataset';
import { autoMapping } from '../../../core/data/mapping';
import { writeFloat32 } from '../../../core/data/convert';
import { OnnxLensError } from '../../../core/errors';
import type { IoSignature } from '../../../shared/runtimeTypes';
import type { LabelKind } from '../../../shared/datasetTypes';
import { modelInputsOf } from '../data/datasetInfo';

export const MAX_ROWS = 20_000;

export interface DatasetTable {
  file: string;
  rows: number;
  /** Per model input: rows × sample size values. */
  inputs: Map<string, { data: Float32Array; sampleDims: number[] }>;
  labels: Float64Array | null;
  labelKind: LabelKind;
  classNames: readonly string[] | null;
  /** Names of the values of each input, in order. */
  featureNames: Map<string, string[]>;
  /** True when the file has more rows than were read. */
  truncated: boolean;
}

export async function readDatasetTable(file: string, labelColumn: string | null | undefined, signature: readonly IoSignature[], signal?: AbortSignal, maxRows = MAX_ROWS): Promise<DatasetTable> {
  const reader = await openDataset(file, labelColumn === undefined ? {} : { labelColumn }).catch((err: unknown) => {
    if (labelColumn === undefined) return openDataset(file, { labelColumn: null });
    throw err;
  });
  const mapping = autoMapping(reader.columns, modelInputsOf(signature), reader.labelColumn, path.basename(file));
  const plan = inputPlan({ ...mapping, inputs: mapping.inputs.map((b) => ({ ...b, batchDim: 'batch' })) }, reader.columns);
  const chunks = new Map<string, Float32Array[]>();
  const labels: number[] = [];
  let rows = 0;
  let truncated = false;
  for await (const batch of reader.batches(512, signal)) {
    const take = Math.min(batch.size, maxRows - rows);
    const part = take < batch.size ? { ...batch, size: take, features: batch.features.subarray(0, take * reader.featureCount) } : batch;
    for (const [name, a] of batchInputs(part, plan).inputs) {
      const copy = new Float32Array(a.data.length);
      writeFloat32(a.data, copy, 0);
      chunks.set(name, [...(chunks.get(name) ?? []), copy]);
    }
    if (batch.labels) for (let i = 0; i < take; i++) labels.push(Number(batch.labels[i]));
    rows += take;
    if (rows >= maxRows) {
      truncated = true;
      break;
    }
  }
  if (rows === 0) throw new OnnxLensError(path.basename(file), 'has no rows.');
  const inputs = new Map<string, { data: Float32Array; sampleDims: number[] }>();
  const featureNames = new Map<string, string[]>();
  for (const binding of mapping.inputs) {
    const parts = chunks.get(binding.input) ?? [];
    const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
    inputs.set(binding.input, { data, sampleDims: binding.sampleDims });
    const size = binding.sampleDims.reduce((a, b) => a * b, 1);
    featureNames.set(binding.input, binding.columns.length === size ? [...binding.columns] : Array.from({ length: size }, (_, i) => `${binding.input}[${i}]`));
  }
  return {
    file, rows, inputs, labels: reader.labelColumn ? Float64Array.from(labels) : null, labelKind: reader.labelKind,
    classNames: reader.classNames ?? null, featureNames, truncated,
  };
}
