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
  return {
    evaluate: (request, { signal, progress }) => runEvaluation(deps, deps.uri, request, signal, progress),
    latestEvaluation: async () => latestEvaluation(deps.uri),
    pickDataset: async () => ({ path: await pickDataset(deps.uri) }),
    evalSamples: async ({ data, samples }) => ({ samples: await runtimeClient().request('datasetSamples', { data, samples }) }),
  };
}
