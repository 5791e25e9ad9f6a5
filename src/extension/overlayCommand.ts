/**
 * "Load Overlay from JSON…" (command palette, and the button beside the graph's "Colour by"):
 * reads an overlay file (docs/overlay-format.md: node name → value with a label, unit and scale,
 * or Model Explorer's node data), colours the active model's graph with it and says how many
 * values found a node. Bad files end in one sentence naming the file; nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OnnxLensError } from '../core/errors';
import { parseOverlay } from '../core/overlayFile';
import type { GraphPayload } from '../shared/graphPayload';
import type { HostPushMessage } from '../shared/protocol';
import type { ModelEditors } from './modelEditors';
import { overlayMessage } from './nodeOverlay';

export const LOAD_OVERLAY_COMMAND = 'onnxLens.loadOverlay';

/** A node-name → value file bigger than this is not an overlay of any model we can draw. */
const MAX_OVERLAY_BYTES = 64 << 20;

export interface LoadedOverlay {
  label: string;
  matched: number;
  unmatched: number;
  /** A few names in the file that the model has no node for. */
  unmatchedNames: string[];
}

/** Reads, parses and pushes one overlay file onto a graph. */
export async function loadOverlayFile(file: string, payload: GraphPayload, push: (m: HostPushMessage) => unknown): Promise<LoadedOverlay> {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (err) {
    throw new OnnxLensError(name, `cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!stat.isFile()) throw new OnnxLensError(name, 'is not a file.');
  if (stat.size > MAX_OVERLAY_BYTES) throw new OnnxLensError(name, `is ${Math.round(stat.size / 2 ** 20)} MiB; an overlay file is at most ${MAX_OVERLAY_BYTES / 2 ** 20} MiB.`);
  const data = parseOverlay(await fs.promises.readFile(file, 'utf8'), name);
  const channel = `file:${data.label}`;
  const built = overlayMessage(payload, channel, data);
  if (built.matched === 0) {
    throw new OnnxLensError(name, `names no node of ${payload.fileName} (for example '${(built.unmatched[0] ?? '').slice(0, 60)}'); overlay keys are node names.`);
  }
  push({ ...built.message, select: true });
  return { label: data.label, matched: built.matched, unmatched: built.unmatched.length, unmatchedNames: built.unmatched.slice(0, 3) };
}

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

export function describeLoaded(loaded: LoadedOverlay, file: string): string {
  const missing = loaded.unmatched
    ? ` ${loaded.unmatched} name${loaded.unmatched === 1 ? '' : 's'} matched no node (e.g. ${loaded.unmatchedNames.map((n) => `'${n}'`).join(', ')}).`
    : '';
  return `ONNX Lens: coloured the graph by '${loaded.label}' from ${path.basename(file)}: ${loaded.matched} node${loaded.matched === 1 ? '' : 's'} have a value.${missing}`;
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
