import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { modelInputs } from '../core/files/commandInputs';
import { checkOutput, writeOutputFile } from '../core/files/outputFile';
import type { ModelEditor, ModelEditors } from './modelEditors';
import { reportsFolderFor } from './reports/reportsFolder';

export const REVEAL_NODE_COMMAND = 'onnxLens.revealNode';
export const EXPORT_SVG_COMMAND = 'onnxLens.exportGraphSvg';
export const EXPORT_PNG_COMMAND = 'onnxLens.exportGraphPng';
export const COPY_NODE_NAME_COMMAND = 'onnxLens.copyNodeName';

/** The active ONNX Lens editor with a loaded model, or a message saying why there is none. */
function activeEditor(editors: ModelEditors): ModelEditor | undefined {
  const editor = editors.active;
  if (!editor) {
    void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first.');
    return undefined;
  }
  if (!editor.model) {
    void vscode.window.showInformationMessage(`ONNX Lens: ${path.basename(editor.uri.fsPath)} has not loaded (yet).`);
    return undefined;
  }
  return editor;
}

/**
 * "Reveal Node by Name…": a QuickPick of the active model's nodes (op type as description);
 * the chosen one is selected and shown by the graph view. Given a node name as argument
 * (keybindings, tests), it reveals that node without asking. Resolves to the node index.
 */
async function revealNode(editors: ModelEditors, arg: unknown): Promise<number | undefined> {
  const editor = activeEditor(editors);
  const payload = editor?.model?.payload;
  if (!editor || !payload) return undefined;
  let node: number | undefined;
  if (typeof arg === 'string') {
    node = payload.nodeNames.indexOf(arg);
    if (node < 0) {
      void vscode.window.showWarningMessage(`ONNX Lens: ${path.basename(editor.uri.fsPath)} has no node named '${arg}'.`);
      return undefined;
    }
  } else {
    const items = payload.nodeNames.map((label, index) => ({ label, description: payload.ops[payload.nodeOp[index]], index }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Reveal Node in ${path.basename(editor.uri.fsPath)}`,
      placeHolder: 'Node name or op type',
      matchOnDescription: true,
    });
    node = picked?.index;
  }
  if (node === undefined) return undefined;
  await editor.push({ type: 'revealNode', node });
  return node;
}

/**
 * "Export Graph as SVG/PNG…": asks the graph view for the picture, then where to save it
 * (`<model>.graph.svg` in the reports folder by default). A target given as argument skips the
 * dialog (tests). Never writes over the model itself. Resolves to the written file.
 */
async function exportGraph(editors: ModelEditors, format: 'svg' | 'png', arg: unknown): Promise<vscode.Uri | undefined> {
  const editor = activeEditor(editors);
  if (!editor) return undefined;
  const label = format.toUpperCase();
  let data: Uint8Array | string;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ONNX Lens: drawing the graph as ${label}…` },
      () => editors.requestExport(editor, format),
    );
    if (format === 'svg' ? result.svg === undefined : result.png === undefined) throw new Error(`the graph view answered without ${label} data.`);
    data = format === 'svg' ? result.svg! : new Uint8Array(result.png!);
  } catch (error) {
    void vscode.window.showErrorMessage(`ONNX Lens: could not export ${path.basename(editor.uri.fsPath)} as ${label}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const model = editor.uri.fsPath;
  // Exports go to the reports folder with everything else ONNX Lens writes (beside the model without a workspace).
  const folder = reportsFolderFor(editor.uri) ?? path.dirname(model);
  if (!(arg instanceof vscode.Uri)) fs.mkdirSync(folder, { recursive: true });
  const defaultUri = vscode.Uri.file(path.join(folder, `${path.basename(model, path.extname(model))}.graph.${format}`));
  const target = arg instanceof vscode.Uri ? arg : await vscode.window.showSaveDialog({
    defaultUri,
    filters: { [label]: [format] },
    saveLabel: `Export ${label}`,
    title: `Export the graph of ${path.basename(model)} as ${label}`,
  });
  if (!target) return undefined;
  // core/files/outputFile.ts: never the model, its data or labels (however spelled); the save
  // dialog has already asked before replacing another existing file.
  try {
    const file = checkOutput({ file: target.fsPath, replace: true, inputs: modelInputs(model) });
    writeOutputFile(file, data, { replace: true });
  } catch (error) {
    void vscode.window.showErrorMessage(`ONNX Lens: could not write the picture: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  return target;
}

/** "Copy Node Name": the node selected in the active graph view, to the clipboard. */
async function copyNodeName(editors: ModelEditors): Promise<string | undefined> {
  const editor = activeEditor(editors);
  if (!editor) return undefined;
  const name = editor.selection?.nodeName;
  if (!name) {
    void vscode.window.showInformationMessage('ONNX Lens: no node is selected; click a node in the graph first.');
    return undefined;
  }
  await vscode.env.clipboard.writeText(name);
  return name;
}

export function registerGraphCommands(editors: ModelEditors): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(REVEAL_NODE_COMMAND, (arg?: unknown) => revealNode(editors, arg)),
    vscode.commands.registerCommand(EXPORT_SVG_COMMAND, (arg?: unknown) => exportGraph(editors, 'svg', arg)),
    vscode.commands.registerCommand(EXPORT_PNG_COMMAND, (arg?: unknown) => exportGraph(editors, 'png', arg)),
    vscode.commands.registerCommand(COPY_NODE_NAME_COMMAND, () => copyNodeName(editors)),
  );
}
