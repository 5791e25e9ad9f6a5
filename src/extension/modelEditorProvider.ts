import * as path from 'node:path';
import * as vscode from 'vscode';
import { clockNow, type OpenTimeline } from '../shared/openTimeline';
import type { RemoteDetails, RemoteModel } from './remoteModel';
import { ModelDocument } from './modelDocument';
import type { ModelEditor, ModelEditors } from './modelEditors';
import { displayName } from './modelLoader';
import type { ModelViewRegistry } from './modelViewRegistry';
import { WebviewChannel } from './webviewChannel';
import { modelWebviewHtml, webviewResourceRoots } from './webviewHtml';
import { modelRequests } from '../host/modelRequests';
import type { RequestHandlers } from '../host/requestHandlers';
import { modelPorts, type ExtensionHost } from './host/modelPorts';
import { RpcError } from '../rpc/messages';
import { WorkspaceTrustError } from './trust';
import { claimScmDiff } from './diff/diffCommands';
import { FirstViewStore } from './firstViews';
import { log } from './log';

export const MODEL_EDITOR_VIEW_TYPE = 'onnxLens.modelEditor';
/** How long the details (shape inference) wait for the page to draw the graph first. */
const FIRST_FRAME_WAIT_MS = 3000;

/** A sentence that starts with a file name (and maybe a row, column or path in it), then a colon. */
const NAMES_A_FILE = /^[^\s:/\\]+\.[A-Za-z0-9]+(, row \d+)?(, column [^:]+)?( at \S+)?: /;

/** The read-only custom editor for *.onnx: a webview showing the model summary and graph. */
export class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  static register(context: vscode.ExtensionContext, host: ExtensionHost, registry: ModelViewRegistry, editors: ModelEditors): vscode.Disposable {
    const firstViews = new FirstViewStore(path.join(context.globalStorageUri.fsPath, 'first-views'), String(context.extension.packageJSON.version));
    return vscode.window.registerCustomEditorProvider(MODEL_EDITOR_VIEW_TYPE, new ModelEditorProvider(context.extensionUri, host, registry, editors, firstViews), {
      supportsMultipleEditorsPerDocument: true,
      // The page keeps its state with getState/setState and re-asks for data on `ready`.
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: ExtensionHost,
    private readonly registry: ModelViewRegistry,
    private readonly editors: ModelEditors,
    private readonly firstViews: FirstViewStore,
  ) {}

  openCustomDocument(uri: vscode.Uri): ModelDocument {
    return new ModelDocument(uri);
  }

  async resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): Promise<void> {
    // The old side of a changed model opened from Source Control: the ONNX Lens diff takes the tab.
    if (await claimScmDiff(this.extensionUri, document.uri, panel)) return;
    const editorMarks: OpenTimeline = { documentOpened: document.openedAt, editorResolved: clockNow() };
    const webview = panel.webview;
    const name = displayName(document.uri);
    webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    // Each push has a sequence number so a slow load cannot overwrite a newer one.
    let sequence = 0;

    /** The model the view shows, for request handlers; a failed load is the request's error. */
    const loaded = async (): Promise<RemoteModel> => {
      const result = await document.load();
      if (!result.ok) throw new Error(result.message);
      return result.model;
    };
    const handlers: RequestHandlers = {
      reload: async () => {
        document.reload();
        return { reloaded: true };
      },
      ...modelRequests(modelPorts(
        this.host,
        document.uri,
        { analysed: loaded, payload: () => editor.model?.payload, push: (message) => void channel.push(message) },
      )),
    };
    const view = this.registry.open(document.uri, handlers);

    const editor: ModelEditor = {
      uri: document.uri,
      panel,
      push: (message) => channel.push(message),
      model: undefined,
      selection: undefined,
      graphPosted: false,
      afterGraph: [],
    };

    /**
     * The graph's structure goes first (the page draws it at once), then the summary with the
     * graph's details when shape inference is done. A newer send (the file changed) wins.
     */
    const sendModel = async (): Promise<void> => {
      const mine = ++sequence;
      editor.graphPosted = false;
      // Not awaited: the push resolves once the workbench has delivered it, a round trip (20–30 ms
      // in code-server) the graph, posted after it and delivered in order, need not wait for.
      void channel.push({ type: 'loading', fileName: name, hostNow: clockNow() });
      // Pushes arrive in order: the first view comes before the graph.
      const laidOut = pushFirstLayout(() => mine === sequence);
      const result = await document.load();
      await laidOut;
      if (mine !== sequence) return;
      editor.model = result.ok ? result.model : undefined;
      editor.selection = undefined;
      this.editors.modelChanged(editor);
      if (!result.ok) {
        view.loading();
        view.pushed({ error: result.message });
        await channel.push({ type: 'error', fileName: name, message: result.message });
        return;
      }
      const model = result.model;
      view.loading();
      const timeline: OpenTimeline = { ...editorMarks, ...model.timeline, graphPosted: clockNow() };
      const drawn = firstFrame();
      if (!(await channel.push({ type: 'graph', graph: model.packedGraph, timeline, hostNow: clockNow() }))) return;
      view.graphPosted(model);
      editor.graphPosted = true;
      for (const queued of editor.afterGraph.splice(0)) await channel.push(queued);
      // Shape inference waits for the first frame: on two cores it would take the CPU the webview's
      // layout needs (a page that never draws, hidden say, gets its details after a few seconds).
      await drawn;
      if (mine !== sequence) return;
      let details: RemoteDetails;
      try {
        details = await model.details();
      } catch (error) {
        if (mine !== sequence) return;
        const message = error instanceof Error ? error.message : String(error);
        view.pushed({ error: message });
        await channel.push({ type: 'error', fileName: name, message });
        return;
      }
      if (mine !== sequence) return;
      view.pushed({ summary: details.summary });
      this.editors.modelChanged(editor);
      await channel.push({ type: 'summary', summary: details.summary, details: details.details });
    };
    let framed: (() => void) | undefined;
    /** Resolves when the page reports its graph drawn, or after FIRST_FRAME_WAIT_MS. */
    const firstFrame = () => new Promise<void>((resolve) => {
      const timer = setTimeout(done, FIRST_FRAME_WAIT_MS);
      function done() {
        clearTimeout(timer);
        framed = undefined;
        resolve();
      }
      framed = done;
    });
    /**
     * A first open's first view goes as soon as the analysis process has laid it out, before the
     * structure is packed and read (`current`: whether it is still the view's to show).
     */
    const pushFirstLayout = (current: () => boolean) => document.firstView().then((layout) => {
      if (layout !== undefined && current()) void channel.push({ type: 'firstLayout', layout, place: this.firstViews.lastGeometry(), hostNow: clockNow() });
    });
    const sendModelSafely = () => {
      sendModel().catch((error: unknown) => console.error('[onnx-lens] failed to send the model to its view', error));
    };

    const channel = new WebviewChannel(
      webview,
      handlers,
      {
        onReady: () => {
          editorMarks.webviewReady ??= clockNow();
          sendModelSafely();
        },
        onRendered: ({ type: _type, ...shown }) => {
          if (shown.graphItems !== undefined) framed?.();
          view.rendered(shown);
        },
        onSelection: ({ type: _type, ...selection }) => {
          editor.selection = selection;
          view.selected(selection);
        },
        onExportResult: (message) => this.editors.exportResult(message),
        onFirstView: ({ type: _type, png, ...place }) => {
          if (document.uri.scheme !== 'file') return;
          this.firstViews.put(document.uri.fsPath, place, new Uint8Array(png)).catch((error: unknown) => {
            log().warn(`${name}: the picture of its first view was not kept: ${error instanceof Error ? error.message : String(error)}`);
          });
        },
      },
      (error) => {
        // Core errors already name their file (the model, or a data file: "bad.csv, row 3, …: …");
        // others get the model's name in front.
        const text = error instanceof Error ? error.message : String(error);
        // Refusals about this machine or workspace (no onnxruntime here, Restricted Mode) are not about the file.
        if (error instanceof WorkspaceTrustError || (error instanceof RpcError && error.reason === 'unavailable')) return text;
        return text.includes(name) || NAMES_A_FILE.test(text) ? text : `${name}: ${text}`;
      },
    );
    const tracked = this.editors.add(editor);
    const changes = document.onDidChangeOnDisk(sendModelSafely);
    panel.onDidDispose(() => {
      sequence++;
      changes.dispose();
      channel.dispose();
      tracked.dispose();
      this.registry.close(view);
    });
    // A model shown before: its first view's picture goes into the HTML, shown before the page's script runs.
    const picture = document.uri.scheme === 'file' ? this.firstViews.get(document.uri.fsPath) : undefined;
    webview.html = modelWebviewHtml(webview, this.extensionUri, name, 'main', picture);
    // Not waiting for the page's `ready`: VS Code keeps a message until the page is loaded, and its
    // first-view loader draws the view before the page's own script is up (sendModel pushes it
    // again for the page's script, which takes it only if nothing is drawn yet).
    const before = sequence;
    if (!picture) void pushFirstLayout(() => sequence === before);
  }
}
