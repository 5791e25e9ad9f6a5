/** The model editor's evaluation requests (Evaluate tab). */
import * as vscode from 'vscode';
import type { RequestHandlers } from '../webviewChannel';
import { runtimeClient } from '../runtime/runtimeProcess';
import { latestEvaluation, runEvaluation, type EvaluationDeps } from './evaluation';

export type EvalMethodName = 'evaluate' | 'latestEvaluation' | 'pickDataset' | 'evalSamples';

export const DATASET_FILTERS: Record<string, string[]> = {
  Datasets: ['csv', 'tsv', 'jsonl', 'ndjson', 'npy', 'npz', 'gz', 'idx1-ubyte', 'idx3-ubyte'],
  'All files': ['*'],
};

/** A dataset file or an image folder (one sub-folder per class). */
export async function pickDataset(near: vscode.Uri): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFiles: true,
    canSelectFolders: true,
    openLabel: 'Evaluate on this data',
    filters: DATASET_FILTERS,
    defaultUri: vscode.Uri.joinPath(near, '..'),
  });
  return picked?.[0]?.fsPath ?? null;
}

export function evalHandlers(deps: EvaluationDeps & { uri: vscode.Uri }): Pick<RequestHandlers, EvalMethodName> {
  // Drill-down reads rows of a dataset back into the page: only of data this editor evaluated (or
  // whose saved report it shows), so a request cannot make the host read any other file.
  const evaluated = new Set<string>();
  const known = (data: string) => {
    if (evaluated.has(data)) return true;
    const latest = latestEvaluation(deps.uri)?.report;
    return latest?.data.path === data || latest?.splits?.data.path === data;
  };
  return {
    evaluate: async (request, { signal, progress }) => {
      const result = await runEvaluation(deps, deps.uri, request, signal, progress);
      for (const d of [result.report.data.path, result.report.splits?.data.path]) if (d) evaluated.add(d);
      return result;
    },
    latestEvaluation: async () => latestEvaluation(deps.uri),
    pickDataset: async () => ({ path: await pickDataset(deps.uri) }),
    evalSamples: async ({ data, samples }) => {
      if (!known(data)) throw new Error(`the samples of ${data} cannot be shown: it is not a dataset this model was evaluated on.`);
      return { samples: await runtimeClient().request('datasetSamples', { data, samples }) };
    },
  };
}
