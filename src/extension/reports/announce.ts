/** How a command that wrote a report ends: one notification with its headline, or its error in one sentence. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkspaceTrustError } from '../trust';

/** "ONNX Lens: model.onnx: <brief>." with a button that opens the standalone HTML report. */
export function announceReport(model: vscode.Uri, brief: string, savedTo: { html: string } | null): void {
  const open = savedTo ? 'Open HTML Report' : undefined;
  void vscode.window.showInformationMessage(`ONNX Lens: ${path.basename(model.fsPath)}: ${brief}.`, ...(open ? [open] : [])).then((chosen) => {
    if (chosen && savedTo) void vscode.env.openExternal(vscode.Uri.file(savedTo.html));
  });
}

/**
 * A command's failure as one error notification; a cancellation is the user's choice, not an error,
 * and a Restricted Mode refusal has already asked for trust in a notification of its own.
 */
export function reportCommandError(error: unknown): void {
  if (error instanceof WorkspaceTrustError) return;
  const message = error instanceof Error ? error.message : String(error);
  if (!/was cancelled/.test(message)) void vscode.window.showErrorMessage(`ONNX Lens: ${message}`);
}
