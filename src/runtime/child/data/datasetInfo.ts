/**
 * What the Evaluate command shows before it runs: the dataset's columns, label column, classes and
 * the automatic mapping onto the model's inputs (or, in one sentence, why there is none).
 */
import { openDataset } from '../../../core/data/dataset';
import { autoMapping, type DatasetMapping, type ModelInput } from '../../../core/data/mapping';
import type { IoSignature } from '../../../shared/runtimeTypes';
import type { DatasetInfo } from '../../methods';

const MAX_COLUMNS = 200;

export function modelInputsOf(signature: readonly IoSignature[]): ModelInput[] {
  return signature.map((s) => ({ name: s.name, elemType: s.elemType, dims: s.dims }));
}

export async function datasetInfo(data: string, labelColumn: string | null | undefined, inputs: readonly IoSignature[]): Promise<DatasetInfo> {
  const reader = await openDataset(data, labelColumn === undefined ? {} : { labelColumn });
  let mapping: DatasetMapping | null = null;
  let mappingError: string | null = null;
  try {
    mapping = autoMapping(reader.columns, modelInputsOf(inputs), reader.labelColumn, data);
  } catch (err) {
    mappingError = err instanceof Error ? err.message : String(err);
  }
  return {
    path: data,
    format: reader.format,
    columns: reader.columns.slice(0, MAX_COLUMNS).map((c) => c.name),
    columnCount: reader.columns.length,
    featureCount: reader.featureCount,
    labelColumn: reader.labelColumn,
    labelKind: reader.labelKind,
    numSamples: reader.numSamples ?? null,
    classNames: reader.classNames ? [...reader.classNames] : null,
    mapping,
    mappingError,
  };
}
