/**
 * The host layer's FilePicker and Viewer (src/host/ports.ts) in VS Code: open and save dialogs near
 * the model, reports in their panel, drill-down samples where they live.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FilePicker, ReadFileKind, Viewer } from '../../host/ports';
import { openReport } from '../reports/reportPanel';

export const DATASET_FILTERS: Record<string, string[]> = {
  Datasets: ['csv', 'tsv', 'jsonl', 'ndjson', 'npy', 'npz', 'gz', 'idx1-ubyte', 'idx3-ubyte'],
  'All files': ['*'],
};

const READ_FILTERS: Record<Exclude<ReadFileKind, 'dataset-or-folder'>, Record<string, string[]>> = {
  npy: { 'NumPy arrays': ['npy', 'npz'] },
  json: { JSON: ['json'] },
  image: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff'] },
  dataset: { Datasets: ['csv', 'tsv', 'jsonl', 'ndjson', 'npy', 'npz', 'gz'] },
  overlay: { 'Overlay (JSON)': ['json'] },
};

/** A file (or an image folder, for a dataset to evaluate on) picked in VS Code's open dialog, starting in the model's folder. */
async function pickToRead(model: vscode.Uri, kind: ReadFileKind, purpose: string): Promise<string | null> {
  const folder = kind === 'dataset-or-folder';
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFiles: true,
    canSelectFolders: folder,
    openLabel: purpose,
    filters: folder ? DATASET_FILTERS : READ_FILTERS[kind],
    defaultUri: vscode.Uri.joinPath(model, '..'),
    ...(kind === 'overlay' ? { title: `Load an overlay onto ${path.basename(model.fsPath)}` } : {}),
  });
  return picked?.[0]?.fsPath ?? null;
}

/** A dataset file or an image folder (one sub-folder per class). */
export function pickDataset(near: vscode.Uri): Promise<string | null> {
  return pickToRead(near, 'dataset-or-folder', 'Evaluate on this data');
}

export function filePicker(model: vscode.Uri): FilePicker {
  return {
    pickToRead: (kind, purpose) => pickToRead(model, kind, purpose),
    pickToWrite: async (suggestedName, filter, title) => {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(path.dirname(model.fsPath), suggestedName)),
        filters: { [filter.name]: filter.extensions },
        saveLabel: 'Save',
        title,
      });
      if (!target) return null;
      if (target.scheme !== 'file') throw new Error(`${target.toString()} is not on the local disk; choose a local file.`);
      return target.fsPath;
    },
  };
}

/**
 * A drill-down sample, opened where it lives: an image file in its editor; a text dataset at the
 * sample's line (sources are 1-based lines); an array file at its start (the sample is its index).
 */
async function openSample(data: string, source: number | string | null, index: number): Promise<string> {
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

export const viewer: Viewer = { openReport, openSample };
