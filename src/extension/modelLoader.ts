import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { LoadedModel } from './loadedModel';

export type ModelLoadResult =
  | { ok: true; model: LoadedModel }
  | { ok: false; message: string };

/** The file name shown in sentences about a model (the core's errors name files the same way). */
export function displayName(uri: vscode.Uri): string {
  return path.basename(uri.path);
}

/**
 * Reads and analyses a model and builds its graph payload; never throws. The file stays open
 * (tensors are read lazily) until the caller closes the returned model. The core is imported on
 * first use so that activating the extension stays cheap (esbuild keeps the module lazy).
 */
export async function loadModel(uri: vscode.Uri): Promise<ModelLoadResult> {
  const name = displayName(uri);
  if (uri.scheme !== 'file') {
    return { ok: false, message: `${name}: only files on disk can be opened, not "${uri.scheme}:" resources.` };
  }
  try {
    const [{ readModelFile }, { analyzeModel }, { buildGraphPayload }, { modelFileHash }, { LoadedModel }] = await Promise.all([
      import('../core/onnx/reader'), import('../core/analysis'), import('../core/graph/payload'), import('./modelHash'), import('./loadedModel'),
    ]);
    const file = uri.fsPath;
    const model = readModelFile(file);
    try {
      const analysis = analyzeModel(model, path.resolve(file));
      return { ok: true, model: new LoadedModel(analysis, buildGraphPayload(analysis, name, modelFileHash(file))) };
    } catch (error) {
      model.close();
      throw error;
    }
  } catch (error) {
    return { ok: false, message: describeError(error, uri.fsPath) };
  }
}
