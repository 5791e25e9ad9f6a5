import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary } from '../core/summary/types';
import { describeError } from '../core/errors';

export type ModelLoadResult =
  | { ok: true; summary: ModelSummary }
  | { ok: false; message: string };

/** The file name shown in sentences about a model (the core's errors name files the same way). */
export function displayName(uri: vscode.Uri): string {
  return path.basename(uri.path);
}

/**
 * Reads a model's summary; never throws. The summarizer is imported on first use so that
 * activating the extension stays cheap (esbuild keeps the module's body lazy in the bundle).
 */
export async function loadModelSummary(uri: vscode.Uri): Promise<ModelLoadResult> {
  const name = displayName(uri);
  if (uri.scheme !== 'file') {
    return { ok: false, message: `${name}: only files on disk can be opened, not "${uri.scheme}:" resources.` };
  }
  try {
    const { summarizeModelFile } = await import('../core/analysis');
    return { ok: true, summary: await summarizeModelFile(uri.fsPath) };
  } catch (error) {
    return { ok: false, message: describeError(error, uri.fsPath) };
  }
}
