/**
 * The Evaluate tab's form values → an `EvaluateRequest`, or the one sentence saying which field is
 * wrong. Pure, unit-tested.
 */
import type { EvaluateRequest } from '../../src/shared/protocol';

export const DEFAULT_BATCH = 64;

export type Task = NonNullable<EvaluateRequest['task']>;
export const TASKS: { value: Task; label: string }[] = [
  { value: 'auto', label: 'auto (from the output)' },
  { value: 'classification', label: 'classification' },
  { value: 'regression', label: 'regression' },
];

/** The form's values as typed; pure, so the rules are tested without a page. */
export interface FormValues {
  data: string;
  compareData: string;
  labelColumn: string;
  task: Task;
  batchSize: string;
  bootstrap: string;
}

/** The request for these values, or the one sentence saying what to fix. */
export function toEvaluateRequest(v: FormValues): EvaluateRequest | { error: string } {
  const data = v.data.trim();
  if (!data) return { error: 'Choose a labelled dataset to evaluate on (a CSV, JSON Lines, .npy/.npz or IDX file, or a folder of images in class folders).' };
  const batch = Number(v.batchSize);
  if (v.batchSize.trim() === '' || !Number.isInteger(batch) || batch < 1) return { error: `The batch size must be a whole number of at least 1, not "${v.batchSize}".` };
  const resamples = v.bootstrap.trim() === '' ? 0 : Number(v.bootstrap);
  if (!Number.isInteger(resamples) || resamples < 0) return { error: `Bootstrap resamples must be a whole number (0 for no intervals), not "${v.bootstrap}".` };
  const compare = v.compareData.trim();
  if (compare && compare === data) return { error: 'The dataset to compare with is the dataset itself; choose another one (e.g. the training split).' };
  const request: EvaluateRequest = { data, task: v.task, batchSize: batch, bootstrap: resamples };
  const label = v.labelColumn.trim();
  if (label) request.labelColumn = label;
  if (compare) request.compareData = compare;
  return request;
}
