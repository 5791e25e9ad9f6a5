import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { clockNow } from '../shared/openTimeline';
import { analysisClient } from './analysisProcess';
import { isLocalFile, readNonFileModel } from './nonFileModel';
import { RemoteModel } from './remoteModel';
import { ownBuffer } from '../host/ownBuffer';

export type ModelLoadResult =
  | { ok: true; model: RemoteModel }
  | { ok: false; message: string };

/** The file name shown in sentences about a model (the core's errors name files the same way). */
export function displayName(uri: vscode.Uri): string {
  return path.basename(uri.path);
}

/**
 * Has the analysis process read a model and build its graph (structure first: see RemoteModel); never throws.
 * The model stays open there (tensors are read lazily) until the caller closes the result.
 * The extension host only waits: parsing a 100k-node model takes seconds, none of them here.
 * A model read now (not from the graph cache) gives `onFirstView` its first view laid out
 * (src/core/graphLayout/firstView.ts's text) before the result, as soon as the analysis process has it.
 */
export async function loadModel(uri: vscode.Uri, onFirstView: (layout: string) => void = () => undefined): Promise<ModelLoadResult> {
  const name = displayName(uri);
  const client = analysisClient();
  try {
    const requestedAt = clockNow();
    // A file is opened by path (read lazily); anything else (git:, virtual workspaces) is read here, capped.
    const onProgress = ({ ahead }: { ahead?: string }) => ahead !== undefined && onFirstView(ahead);
    const opening = isLocalFile(uri)
      ? client.request('open', { file: uri.fsPath, name, hostNow: clockNow() }, { onProgress })
      : client.request('openBytes', { bytes: await readNonFileModel(uri), name, displayPath: uri.toString(true), hostNow: clockNow() }, { onProgress });
    // Read after the request is sent: it may have started a new process, which the id belongs to.
    const generation = client.generation;
    const { id, graphFile, timeline } = await opening;
    // Read off the host's thread (libuv), already packed for the webview; the file stays: it is
    // the analysis process's graph cache (src/analysisProcess/graphCache.ts).
    const packed = ownBuffer(await fs.promises.readFile(graphFile));
    const marks = { ...timeline, analysisRequested: requestedAt, resultReceived: clockNow() };
    return { ok: true, model: new RemoteModel(client, id, generation, packed, marks) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
