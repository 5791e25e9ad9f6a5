/**
 * "ONNX Lens: Evaluate Model…": pick the data (workspace datasets or a file/folder dialog), confirm
 * how its columns map onto the model's inputs (or change the label column), evaluate with a
 * cancellable progress notification, then show the report in the model's Evaluate tab.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { announceReport, reportCommandError } from '../reports/announce';
import { runEvaluation } from '../../host/evaluation';
import type { DatasetInfo } from '../../runtime/methods';
import { pickDataset } from '../host/fileDialogs';
import { commandPorts, type ExtensionHost } from '../host/modelPorts';
import { openModelEditor } from '../runtime/runtimeCommands';
import type { ModelEditors } from '../modelEditors';
import { runtimeClient } from '../runtime/runtimeProcess';
import { sessionSettings } from '../runtime/runtimeSettings';
import { trustGuard } from '../trust';

export const EVALUATE_MODEL_COMMAND = 'onnxLens.evaluateModel';

const DATA_GLOB = '**/*.{csv,tsv,jsonl,ndjson,npy,npz,gz,idx1-ubyte,idx3-ubyte}';
const BROWSE = '$(folder-opened) Browse for a file or an image folder…';

/** A dataset of the workspace, or one browsed for; `purpose` titles the pick ("Evaluate digits.onnx: choose the data"). */
export async function chooseData(model: vscode.Uri, purpose = `Evaluate ${path.basename(model.fsPath)}: choose the data`): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(DATA_GLOB, '**/{node_modules,.git,.onnx-lens}/**', 200);
  const items: (vscode.QuickPickItem & { path?: string })[] = [
    ...found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), path: uri.fsPath })),
    { label: BROWSE },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: purpose, placeHolder: 'CSV/TSV (label column), JSON Lines, .npy/.npz, IDX, or an image folder' });
  if (!picked) return undefined;
  return picked.path ?? (await pickDataset(model)) ?? undefined;
}

function mappingText(info: DatasetInfo): string {
  const cols = info.columns;
  const shown = cols.length > 3 ? `${cols.slice(0, 2).join(', ')} … ${cols[cols.length - 1]}` : cols.join(', ');
  const inputs = info.mapping?.inputs.map((b) => `'${b.input}'`).join(', ') ?? '?';
  const classes = info.classNames ? ` · ${info.classNames.length} classes` : '';
  return `${info.columnCount} column${info.columnCount === 1 ? '' : 's'} (${shown}) → input ${inputs} · label '${info.labelColumn ?? 'none'}'${classes}`;
}

/** Columns with a label-like name first, then the last column (labels usually end a row), then the rest in file order. */
export function likelyLabelsFirst(columns: readonly string[]): string[] {
  const named = columns.filter((c) => /^(y|target|targets|class|classes|labels?|category|digit|species|outcome)$/i.test(c.trim()));
  const last = columns.length ? [columns[columns.length - 1]] : [];
  return [...new Set([...named, ...last, ...columns])];
}

/** A dataset without the label column asked for (CSV header, JSON Lines keys): fixable by choosing one. */
const NO_LABEL = /has no label (column|key) '([^']*)'/;

/**
 * The dataset as the mapping step shows it. When the label column is missing, the wizard stays
 * open and asks for it from the file's own columns (the fix, in place), instead of ending on an
 * error notification; undefined when the user backs out.
 */
async function readDataset(model: vscode.Uri, data: string, labelColumn: string | undefined): Promise<{ info: DatasetInfo; labelColumn: string | undefined } | undefined> {
  const settings = sessionSettings(model);
  const ask = (label: string | null | undefined) => runtimeClient().request('datasetInfo', { model: model.fsPath, options: settings.complete(settings.defaults()), data, ...(label !== undefined ? { labelColumn: label } : {}) });
  try {
    return { info: await ask(labelColumn), labelColumn };
  } catch (error) {
    const missing = NO_LABEL.exec(error instanceof Error ? error.message : String(error));
    if (!missing) throw error;
    const all = await ask(null);
    const column = await vscode.window.showQuickPick(likelyLabelsFirst(all.columns).map((c) => ({ label: c })), {
      title: `Evaluate ${path.basename(model.fsPath)} on ${path.basename(data)}: which column holds the true labels?`,
      placeHolder: `${path.basename(data)} has no '${missing[2]}' column; pick the label column from its ${all.columnCount} columns`,
      ignoreFocusOut: true,
    });
    if (!column) return undefined;
    return { info: await ask(column.label), labelColumn: column.label };
  }
}

/** Confirms the mapping; returns the label column to use, or undefined when the user backed out. */
async function confirmMapping(model: vscode.Uri, data: string): Promise<string | undefined> {
  let labelColumn: string | undefined;
  for (;;) {
    const read = await readDataset(model, data, labelColumn);
    if (!read) return undefined;
    const info = read.info;
    labelColumn = read.labelColumn;
    const evaluate = { label: '$(play) Evaluate', detail: info.mapping ? mappingText(info) : info.mappingError ?? '' };
    const change = { label: '$(symbol-field) Choose the label column…', detail: `now '${info.labelColumn ?? 'none'}'` };
    const choice = await vscode.window.showQuickPick(info.mapping ? [evaluate, change] : [change], {
      title: `Evaluate ${path.basename(model.fsPath)} on ${path.basename(data)}`,
      placeHolder: info.mapping ? 'Columns map onto the model inputs like this' : info.mappingError ?? 'The columns do not map onto the model inputs',
    });
    if (!choice) return undefined;
    if (choice === evaluate) return info.labelColumn ?? labelColumn ?? 'label';
    const column = await vscode.window.showQuickPick([...(info.labelColumn ? [info.labelColumn] : []), ...info.columns], { title: 'Label column', ignoreFocusOut: true });
    if (!column) return undefined;
    labelColumn = column;
  }
}

async function evaluateModel(host: ExtensionHost, editors: ModelEditors, arg: unknown): Promise<boolean> {
  const model = arg instanceof vscode.Uri ? arg : editors.active?.uri;
  if (!model) {
    void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, or run this on an .onnx file in the explorer.');
    return false;
  }
  try {
    trustGuard('evaluate'); // before the wizard: in Restricted Mode nothing would come of it
    const data = await chooseData(model);
    if (!data) return false;
    const labelColumn = await confirmMapping(model, data);
    if (!labelColumn) return false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Evaluating ${path.basename(model.fsPath)} on ${path.basename(data)}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return runEvaluation(commandPorts(host, model), { data, labelColumn }, {
          signal: abort.signal,
          progress: (done, total, message) => {
            const fraction = total > 0 ? done / total : 0;
            progress.report({ increment: Math.max(0, 100 * fraction - last), message });
            last = 100 * fraction;
          },
        });
      },
    );
    const editor = await openModelEditor(editors, model);
    if (editor) {
      editors.pushToPage(editor, { type: 'evaluation', result });
      editors.pushToPage(editor, { type: 'showTab', tab: 'evaluate' });
    }
    announceReport(model, host.reports.evaluation(model)?.detail ?? 'done', result.savedTo);
    return true;
  } catch (error) {
    reportCommandError(error);
    return false;
  }
}

export function registerEvaluateCommand(host: ExtensionHost, editors: ModelEditors): vscode.Disposable {
  return vscode.commands.registerCommand(EVALUATE_MODEL_COMMAND, (arg: unknown) => evaluateModel(host, editors, arg));
}
