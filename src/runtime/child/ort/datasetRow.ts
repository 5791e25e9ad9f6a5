/**
 * One row of a dataset (CSV/TSV, JSON Lines, .npy/.npz, IDX, image folder) as a model input: the
 * dataset is mapped onto the model's inputs as Evaluate maps it (core/data/mapping.ts) and read up
 * to the row asked for, so a Run feeds a real sample instead of noise.
 */
import * as path from 'node:path';
import { openDataset } from '../../../core/data/dataset';
import { batchInputs, inputPlan } from '../../../core/data/batchInputs';
import { autoMapping } from '../../../core/data/mapping';
import type { NdArray } from '../../../core/data/ndarray';
import { OnnxLensError } from '../../../core/errors';
import type { IoSignature } from '../../../shared/runtimeTypes';

/** The inputs a dataset row gives, by input name (every input the dataset maps onto). */
export async function datasetRowInputs(file: string, row: number, signature: readonly IoSignature[]): Promise<Map<string, NdArray>> {
  const name = path.basename(file);
  if (!Number.isInteger(row) || row < 0) throw new OnnxLensError(name, `has no row ${row}: rows are numbered from 0.`);
  const reader = await openDataset(file).catch(() => openDataset(file, { labelColumn: null }));
  const mapping = autoMapping(reader.columns, signature.map((s) => ({ name: s.name, elemType: s.elemType, dims: s.dims })), reader.labelColumn, name);
  const plan = inputPlan(mapping, reader.columns);
  const f = reader.featureCount;
  for await (const batch of reader.batches(256)) {
    if (row < batch.rowIndex + batch.size) {
      const at = row - batch.rowIndex;
      const one = { size: 1, rowIndex: row, features: batch.features.slice(at * f, (at + 1) * f), bytesRead: batch.bytesRead };
      return batchInputs(one, { ...plan, fixedBatch: plan.fixedBatch === null ? null : 1 }).inputs;
    }
  }
  throw new OnnxLensError(name, `has no row ${row}${reader.numSamples !== undefined ? `: it has ${reader.numSamples} rows (0 to ${reader.numSamples - 1})` : ''}.`);
}
