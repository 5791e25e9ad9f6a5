import * as vscode from 'vscode';
import type { ExportResultMessage, HostPushMessage, SelectionMessage } from '../shared/protocol';
import type { RemoteModel } from './remoteModel';

/** One open ONNX Lens editor tab, as commands and the status bar see it. */
export interface ModelEditor {
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  /** Pushes a message to this editor's webview; false when it is gone. */
  push(message: HostPushMessage): Promise<boolean>;
  /** The model this editor shows now (undefined while loading or when it failed to load). */
  model: RemoteModel | undefined;
  /** The webview's last `selection` notification. */
  selection: Omit<SelectionMessage, 'type'> | undefined;
  /** True once the graph page has been posted (pushes such as `showTab` need it). */
  graphPosted: boolean;
  /** Pushes waiting for the graph page; sent right after it. */
  readonly afterGraph: HostPushMessage[];
}

/** How long "Export Graph" waits for the webview to draw the picture. */
export const EXPORT_TIMEOUT_MS = 30_000;

/**
 * Every open ONNX Lens editor and which one is active (a custom editor is not a TextEditor, so
 * `window.activeTextEditor` does not see it: panels report it through onDidChangeViewState).
 */
export class ModelEditors implements vscode.Disposable {
  private readonly editors = new Set<ModelEditor>();
  private activeEditor: ModelEditor | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private nextExportId = 1;
  private readonly exports = new Map<number, (result: ExportResultMessage) => void>();

  /** Fires when the active editor changes, or the model it shows does. */
  readonly onDidChange = this.changed.event;

  get active(): ModelEditor | undefined {
    return this.activeEditor;
  }

  /** Registers an editor; the returned disposable forgets it (call it when the panel is disposed). */
  add(editor: ModelEditor): vscode.Disposable {
    this.editors.add(editor);
    if (editor.panel.active) this.setActive(editor);
    const viewState = editor.panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) this.setActive(editor);
      else if (this.activeEditor === editor) this.setActive(undefined);
    });
    return new vscode.Disposable(() => {
      viewState.dispose();
      this.editors.delete(editor);
      if (this.activeEditor === editor) this.setActive(undefined);
    });
  }

  /** The editor's model changed (loaded, reloaded, failed). */
  modelChanged(editor: ModelEditor): void {
    if (editor === this.activeEditor) this.changed.fire();
  }

  all(): ModelEditor[] {
    return [...this.editors];
  }

  /** Pushes now if the editor shows its graph page, otherwise right after it does. */
  pushToPage(editor: ModelEditor, message: HostPushMessage): void {
    if (editor.graphPosted) void editor.push(message);
    else editor.afterGraph.push(message);
  }

  /**
   * Asks the editor's webview to draw the graph as SVG or PNG and waits for its `exportResult`.
   * Rejects with a sentence when the webview is gone, reports an error, or does not answer in time.
   */
  requestExport(editor: ModelEditor, format: 'svg' | 'png', timeoutMs = EXPORT_TIMEOUT_MS): Promise<ExportResultMessage> {
    const exportId = this.nextExportId++;
    return new Promise<ExportResultMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.exports.delete(exportId);
        reject(new Error(`the graph view did not produce the ${format.toUpperCase()} within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      this.exports.set(exportId, (result) => {
        clearTimeout(timer);
        this.exports.delete(exportId);
        if (result.error) reject(new Error(result.error));
        else resolve(result);
      });
      editor.push({ type: 'exportGraph', exportId, format }).then((sent) => {
        if (!sent) this.exports.get(exportId)?.({ type: 'exportResult', exportId, error: 'the graph view is closed.' });
      }, () => undefined);
    });
  }

  /** Routes a webview's `exportResult` to the command waiting for it (late answers are dropped). */
  exportResult(message: ExportResultMessage): void {
    this.exports.get(message.exportId)?.(message);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private setActive(editor: ModelEditor | undefined): void {
    if (this.activeEditor === editor) return;
    this.activeEditor = editor;
    this.changed.fire();
  }
}
