/** The model editor's evaluation requests (Evaluate tab). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestHandlers } from '../webviewChannel';
import { runtimeClient } from '../runtime/runtimeProcess';
import { runtimeOptions, settingsSessionOptions } from '../runtime/runtimeSettings';
import { latestEvaluation, runEvaluation, type EvaluationDeps } from './evaluation';

/** Every column of a dataset (read without labels) and the label column it would pick by itself. */
export async function datasetColumns(model: vscode.Uri, data: string): Promise<{ columns: string[]; label: string | null; format: string }> {
  const ask = (labelColumn?: null) => runtimeClient().request('datasetInfo', { model: model.fsPath, options: runtimeOptions(settingsSessionOptions(model), model), data, ...(labelColumn === null ? { labelColumn } : {}) });
  const all = await ask(null);
  const own = await ask().then((i) => i.labelColumn, () => null);
  // Array files and image folders keep labels apart from the inputs: their label "column" is that array or the folder names.
  const columns = own && !all.columns.includes(own) ? [own, ...all.columns] : all.columns;
  return { columns, label: own, format: all.format };
}

/**
 * A drill-down sample, opened where it lives: an image file in its editor; a text dataset at the
 * sample's line (sources are 1-based lines); an array file at its start (the sample is its index).
 */
export async function openSample(data: string, source: number | string | null, index: number): Promise<string> {
  if (typeof source === 'string') {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(source));
    return source;
  }
  const uri = vscode.Uri.file(data);
  if (typeof source === 'number' && /\.(csv|tsv|jsonl|ndjson|txt)$/i.test(data)) {
    const line = Math.max(0, source - 1);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(line, 0, line, 0), preview: true });
    return `${data}:${source}`;
  }
  await vscode.commands.executeCommand('revealInExplorer', uri);
  void vscode.window.showInformationMessage(`ONNX Lens: sample ${index} is element ${index} of ${data.split(/[\\/]/).pop()} (an array file has no lines to open at).`);
  return data;
}

export type EvalMethodName = 'evaluate' | 'latestEvaluation' | 'pickDataset' | 'evalSamples' | 'datasetColumns' | 'openSample';

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
  // Drill-down reads rows of a dataset back into the page, and "open" shows where a sample lives:
  // only for data this editor evaluated (or whose saved report it shows), so a request cannot make
  // the host read or open any other file.
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
    datasetColumns: async ({ data }) => datasetColumns(deps.uri, data),
    openSample: async ({ data, source, index }) => {
      if (!known(data)) throw new Error(`${path.basename(data)} is not a dataset this model was evaluated on.`);
      // An image sample lives inside its image folder.
      if (typeof source === 'string' && !path.resolve(source).startsWith(path.resolve(data) + path.sep)) throw new Error(`${path.basename(source)} is not in ${path.basename(data)}.`);
      return { opened: await openSample(data, source, index) };
    },
  };
}
