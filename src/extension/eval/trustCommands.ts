/**
 * The palette's way into the Evaluate tab's Uncertainty, Robustness and Drift views:
 * "Test Robustness…" (the data, then the perturbations, run with a cancellable progress
 * notification), "Compare Data Drift…" (reference, then current data) and "Show Uncertainty".
 * The requests are the host layer's (src/host/trustRequests.ts), like the views' own buttons, and
 * the result is shown in the model's Evaluate tab with the saved report announced.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runDrift, runRobustness } from '../../host/trustRequests';
import type { Work } from '../../host/ports';
import type { EvalView, RobustRequest } from '../../shared/protocol';
import { PERTURBATION_INFO, PERTURBATION_KINDS } from '../../shared/robustReport';
import { announceReport, reportCommandError } from '../reports/announce';
import { commandPorts, type ExtensionHost } from '../host/modelPorts';
import type { ModelEditors } from '../modelEditors';
import { openModelEditor } from '../runtime/runtimeCommands';
import { trustGuard } from '../trust';
import { chooseData } from './evaluateCommand';

export const TEST_ROBUSTNESS_COMMAND = 'onnxLens.testRobustness';
export const COMPARE_DRIFT_COMMAND = 'onnxLens.compareDrift';
export const SHOW_UNCERTAINTY_COMMAND = 'onnxLens.showUncertainty';

/** Ticked at first: the perturbations any input takes (the image ones need channels × height × width). */
const FIRST_CHOICE = new Set(['noise', 'feature-noise', 'dropout']);

function modelOf(editors: ModelEditors, arg: unknown): vscode.Uri | undefined {
  const model = arg instanceof vscode.Uri ? arg : editors.active?.uri;
  if (!model) void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, or run this on an .onnx file in the explorer.');
  return model;
}

async function choosePerturbations(model: vscode.Uri): Promise<RobustRequest['perturbations'] | undefined> {
  const items = PERTURBATION_KINDS.map((kind) => {
    const info = PERTURBATION_INFO[kind];
    return { label: info.title, description: `${info.severity}: ${info.defaults.join(', ')}`, ...(info.imageOnly ? { detail: 'images only' } : {}), picked: FIRST_CHOICE.has(kind), perturbation: kind };
  });
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Test robustness of ${path.basename(model.fsPath)}: the perturbations (at their default severities)`, ignoreFocusOut: true });
  if (!picked || picked.length === 0) return undefined;
  return picked.map((p) => ({ perturbation: p.perturbation, severities: PERTURBATION_INFO[p.perturbation].defaults }));
}

/** Runs `work` under a cancellable progress notification titled `title`. */
function withProgress<T>(title: string, work: (w: Work) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let last = 0;
    return work({
      signal: abort.signal,
      progress: (done, total, message) => {
        const percent = total > 0 ? (100 * done) / total : 0;
        progress.report({ increment: Math.max(0, percent - last), message });
        last = percent;
      },
    });
  });
}

async function showView(editors: ModelEditors, model: vscode.Uri, view: EvalView, push?: Parameters<ModelEditors['pushToPage']>[1]): Promise<boolean> {
  const editor = await openModelEditor(editors, model);
  if (!editor) return false;
  if (push) editors.pushToPage(editor, push);
  editors.pushToPage(editor, { type: 'showTab', tab: 'evaluate', view });
  return true;
}

async function testRobustness(host: ExtensionHost, editors: ModelEditors, arg: unknown): Promise<boolean> {
  const model = modelOf(editors, arg);
  if (!model) return false;
  try {
    trustGuard('robust');
    const data = await chooseData(model, `Test robustness of ${path.basename(model.fsPath)}: choose the labelled data`);
    if (!data) return false;
    const perturbations = await choosePerturbations(model);
    if (!perturbations) return false;
    const result = await withProgress(`Testing robustness of ${path.basename(model.fsPath)} on ${path.basename(data)}`,
      (work) => runRobustness(commandPorts(host, model), { data, perturbations }, work));
    await showView(editors, model, 'robustness', { type: 'robustness', result });
    const worst = result.report.curves.reduce((a, b) => (b.metric !== null && (a.metric === null || b.metric < a.metric) ? b : a));
    announceReport(model, `${result.report.metricName} ${result.report.clean.metric?.toFixed(3) ?? '–'} clean, ${worst.metric?.toFixed(3) ?? '–'} at ${worst.perturbation} ${worst.severity}`, result.savedTo);
    return true;
  } catch (error) {
    reportCommandError(error);
    return false;
  }
}

async function compareDrift(host: ExtensionHost, editors: ModelEditors, arg: unknown): Promise<boolean> {
  const model = modelOf(editors, arg);
  if (!model) return false;
  try {
    trustGuard('drift');
    const reference = await chooseData(model, 'Compare data drift: the reference data (what the model was trained on)');
    if (!reference) return false;
    const current = await chooseData(model, `Compare data drift: the current data to compare with ${path.basename(reference)}`);
    if (!current) return false;
    const result = await withProgress(`Comparing ${path.basename(current)} with ${path.basename(reference)}`,
      (work) => runDrift(commandPorts(host, model), { reference, current }, work));
    await showView(editors, model, 'drift', { type: 'drift', result });
    const r = result.report;
    announceReport(model, `${r.features.filter((f) => f.drifted).length} of ${r.features.length} features drifted in ${path.basename(current)}`, result.savedTo);
    return true;
  } catch (error) {
    reportCommandError(error);
    return false;
  }
}

export function registerTrustCommands(host: ExtensionHost, editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(TEST_ROBUSTNESS_COMMAND, (arg: unknown) => testRobustness(host, editors, arg)),
    vscode.commands.registerCommand(COMPARE_DRIFT_COMMAND, (arg: unknown) => compareDrift(host, editors, arg)),
    vscode.commands.registerCommand(SHOW_UNCERTAINTY_COMMAND, async (arg: unknown) => {
      const model = modelOf(editors, arg);
      return model ? showView(editors, model, 'uncertainty') : false;
    }),
  );
}
