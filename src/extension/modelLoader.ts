import * as path from 'node:path';
import * as vscode from 'vscode';
import { analysisClient } from './analysisProcess';
import { isLocalFile, readNonFileModel } from './nonFileModel';
import { RemoteModel } from './remoteModel';

export type ModelLoadResult =
  | { ok: true; model: RemoteModel }
  | { ok: false; message: string };

/** The file name shown in sentences about a model (the core's errors name files the same way). */
export function displayName(uri: vscode.Uri): string {
  return path.basename(uri.path);
}

/**
 * Has the analysis process read and analyse a model and build its graph payload; never throws.
 * The model stays open there (tensors are read lazily) until the caller closes the result.
 * The extension host only waits: parsing a 100k-node model takes seconds, none of them here.
 */
export async function loadModel(uri: vscode.Uri): Promise<ModelLoadResult> {
  const name = displayName(uri);
  const client = analysisClient();
  try {
    // A file is opened by path (read lazily); anything else (git:, virtual workspaces) is read here, capped.
    const opening = isLocalFile(uri)
      ? client.request('open', { file: uri.fsPath, name })
      : client.request('openBytes', { bytes: await readNonFileModel(uri), name, displayPath: uri.toString(true) });
    // Read after the request is sent: it may have started a new process, which the id belongs to.
    const generation = client.generation;
    const { id, summary, payload } = await opening;
    return { ok: true, model: new RemoteModel(client, id, generation, summary, payload) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
