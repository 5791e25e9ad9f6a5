/** The model editor's `explain` request (Run tab's Explain, Evaluate tab's Why? and Feature importance), through src/host/explanation.ts. */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { readReportScript } from '../core/report/saveEval';
import { runExplanation } from '../host/explanation';
import { reportsFolderFor } from './reports/reportsFolder';
import { runtimeClient } from './runtime/runtimeProcess';
import { runtimeOptions, settingsSessionOptions } from './runtime/runtimeSettings';
import type { RequestHandlers } from './webviewChannel';

export function explainHandlers(deps: { uri: vscode.Uri; extensionPath: string }): Pick<RequestHandlers, 'explain'> {
  return {
    explain: (request, { signal, progress }) => {
      if (deps.uri.scheme !== 'file') throw new Error(`${path.basename(deps.uri.path)} is not on the local disk, so onnxruntime cannot open it.`);
      return runExplanation({
        rpc: runtimeClient(),
        model: deps.uri.fsPath,
        options: (requested) => runtimeOptions(requested ?? settingsSessionOptions(deps.uri), deps.uri),
        reportsFolder: reportsFolderFor(deps.uri),
        reportScript: () => readReportScript(path.join(deps.extensionPath, 'dist')),
      }, request, signal, progress);
    },
  };
}
