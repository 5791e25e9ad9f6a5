/** How a command that wrote a report ends: one notification with its headline, or its error in one sentence. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkspaceTrustError } from '../trust';
import { openReport } from './reportPanel';
import { isCancelled } from '../../shared/cancellation';

export const OPEN_REPORT = 'Open Report';

/** "ONNX Lens: model.onnx: <brief>." with a button that opens the HTML report in a panel (reportPanel.ts). */
export function announceReport(model: vscode.Uri, brief: string, savedTo: { html: string } | null): void {
  const open = savedTo ? OPEN_REPORT : undefined;
  void vscode.window.showInformationMessage(`ONNX Lens: ${path.basename(model.fsPath)}: ${brief}.`, ...(open ? [open] : [])).then((chosen) => {
    if (chosen && savedTo) openReport(savedTo.html).catch(reportCommandError);
  });
}

/**
 * A command's failure as one error notification; a cancellation is the user's choice, not an error,
 * and a Restricted Mode refusal has already asked for trust in a notification of its own.
 */
export function reportCommandError(error: unknown): void {
  if (error instanceof WorkspaceTrustError) return;
  if (isCancelled(error)) return;
  void vscode.window.showErrorMessage(`ONNX Lens: ${error instanceof Error ? error.message : String(error)}`);
}
