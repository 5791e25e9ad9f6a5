/**
 * "Load Overlay from JSON…" (command palette, and the button beside the graph's "Colour by"):
 * reads an overlay file (docs/overlay-format.md: node name → value with a label, unit and scale,
 * or Model Explorer's node data), colours the active model's graph with it and says how many
 * values found a node. Bad files end in one sentence naming the file; nothing is written.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeLoaded, loadOverlayFile, type LoadedOverlay } from '../host/overlays';
import type { ModelEditors } from './modelEditors';

export const LOAD_OVERLAY_COMMAND = 'onnxLens.loadOverlay';

export async function pickOverlayFile(model: vscode.Uri): Promise<string | null> {
  const picked = await vscode.window.showOpenDialog({
    title: `Load an overlay onto ${path.basename(model.fsPath)}`,
    defaultUri: vscode.Uri.file(path.dirname(model.fsPath)),
    filters: { 'Overlay (JSON)': ['json'] },
    canSelectMany: false,
    openLabel: 'Load overlay',
  });
  return picked?.[0]?.fsPath ?? null;
}

/** The palette command: a file given as argument (tests, keybindings) or picked. */
export function registerOverlayCommand(editors: ModelEditors): vscode.Disposable {
  return vscode.commands.registerCommand(LOAD_OVERLAY_COMMAND, async (arg?: unknown): Promise<LoadedOverlay | undefined> => {
    const editor = editors.active;
    const payload = editor?.model?.payload;
    if (!editor || !payload) {
      void vscode.window.showInformationMessage('ONNX Lens: open a model in the ONNX Lens editor first, then load an overlay onto its graph.');
      return undefined;
    }
    const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : await pickOverlayFile(editor.uri);
    if (!file) return undefined;
    try {
      const loaded = await loadOverlayFile(file, payload, (m) => editor.push(m));
      await editor.push({ type: 'showTab', tab: 'graph' });
      void vscode.window.showInformationMessage(describeLoaded(loaded, file));
      return loaded;
    } catch (err) {
      void vscode.window.showErrorMessage(`ONNX Lens: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  });
}
