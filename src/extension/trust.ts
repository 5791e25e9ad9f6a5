/**
 * Workspace Trust. ONNX Lens supports untrusted workspaces in a limited way (package.json
 * `capabilities.untrustedWorkspaces`): viewing a model — graph, Model tab, hover — only parses it
 * in the analysis process, which is safe in Restricted Mode. Running, benchmarking, profiling,
 * evaluating and quantizing load the model into onnxruntime and read the datasets and input files
 * a workspace names, so they wait for trust. All of them go through the runtime process, whose
 * every request passes `trustGuard` first (src/extension/runtime/runtimeProcess.ts): no path to
 * onnxruntime can forget the check. A refused request is one sentence, and VS Code is asked to
 * show its trust editor when the user wants to grant it.
 */
import * as vscode from 'vscode';

/** A request refused because the workspace is not trusted; its message is the sentence to show. */
export class WorkspaceTrustError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkspaceTrustError';
  }
}

export const MANAGE_TRUST = 'Manage Workspace Trust';

/** What a runtime request does, as the subject of the refusal sentence. */
function actionOf(method: string): string {
  switch (method) {
    case 'evaluate': return 'Evaluating models';
    case 'datasetInfo':
    case 'datasetSamples': return 'Reading datasets';
    case 'quantize': return 'Quantizing models';
    case 'robust': return 'Testing robustness';
    case 'drift': return 'Comparing datasets for drift';
    case 'explain': return 'Explaining predictions';
    default: return 'Running models';
  }
}

/** The sentence for a refused action in Restricted Mode. */
export function restrictedSentence(method: string): string {
  return `${actionOf(method)} is turned off in Restricted Mode: ONNX Lens loads models into onnxruntime and reads datasets only in a trusted workspace.`;
}

let asking: Thenable<unknown> | undefined;

/** Offers VS Code's trust editor in one notification (never a second while one is showing). */
function askForTrust(sentence: string): void {
  if (asking) return;
  asking = vscode.window.showWarningMessage(`ONNX Lens: ${sentence}`, MANAGE_TRUST).then((choice) => {
    asking = undefined;
    if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}

/**
 * Throws WorkspaceTrustError for `method` in an untrusted workspace (and asks for trust);
 * `release` only frees memory and always passes.
 */
export function trustGuard(method: string): void {
  if (vscode.workspace.isTrusted || method === 'release') return;
  const sentence = restrictedSentence(method);
  askForTrust(sentence);
  throw new WorkspaceTrustError(sentence);
}
