import * as vscode from 'vscode';
import type { HostPushMessage } from '../shared/protocol';
import { ModelDocument } from './modelDocument';
import { displayName } from './modelLoader';
import type { ModelViewRegistry } from './modelViewRegistry';
import { WebviewChannel } from './webviewChannel';
import { modelWebviewHtml, webviewResourceRoots } from './webviewHtml';

export const MODEL_EDITOR_VIEW_TYPE = 'onnxLens.modelEditor';

/** The read-only custom editor for *.onnx: a webview showing the model summary. */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  static register(context: vscode.ExtensionContext, registry: ModelViewRegistry): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MODEL_EDITOR_VIEW_TYPE, new ModelEditorProvider(context.extensionUri, registry), {
      supportsMultipleEditorsPerDocument: true,
      // The page keeps its scroll position with getState/setState and re-asks for data on `ready`.
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: ModelViewRegistry,
  ) {}

  openCustomDocument(uri: vscode.Uri): ModelDocument {
    return new ModelDocument(uri);
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const name = displayName(document.uri);
    webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    const view = this.registry.open(document.uri);
    // Each push has a sequence number so a slow load cannot overwrite a newer one.
    let sequence = 0;

    const sendModel = async (): Promise<void> => {
      const mine = ++sequence;
      await channel.push({ type: 'loading', fileName: name });
      const result = await document.load();
      if (mine !== sequence) return;
      const message: HostPushMessage = result.ok
        ? { type: 'summary', summary: result.summary }
        : { type: 'error', fileName: name, message: result.message };
      view.pushed(result.ok ? { summary: result.summary } : { error: result.message });
      await channel.push(message);
    };
    const sendModelSafely = () => {
      sendModel().catch((error: unknown) => console.error('[onnx-lens] failed to send the model to its view', error));
    };

    const channel = new WebviewChannel(
      webview,
      {
        reload: async () => {
          document.reload();
          return { reloaded: true };
        },
      },
      {
        onReady: sendModelSafely,
        onRendered: ({ type: _type, ...shown }) => view.rendered(shown),
      },
      (error) => `${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
    const changes = document.onDidChangeOnDisk(sendModelSafely);
    panel.onDidDispose(() => {
      sequence++;
      changes.dispose();
      channel.dispose();
      this.registry.close(view);
    });
    webview.html = modelWebviewHtml(webview, this.extensionUri, name);
  }
}
