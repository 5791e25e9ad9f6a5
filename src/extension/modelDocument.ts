import * as vscode from 'vscode';
import { clockNow } from '../shared/openTimeline';
import { onDidAnalysisCrash } from './analysisProcess';
import { loadModel, type ModelLoadResult } from './modelLoader';

/** Debounce for file-change events: exporters often write a model in several chunks. */
const RELOAD_DEBOUNCE_MS = 300;

/**
 * One opened .onnx file, shared by every editor showing it. Holds the latest load result
 * (the analysed model, kept open so details and tensors are read lazily) and reloads it when
 * the file changes on disk (re-exporting a model refreshes the view). The model is closed on
 * reload and when the last editor of the document closes (dispose).
 */
export class ModelDocument implements vscode.CustomDocument {
  private loading: { result: Promise<ModelLoadResult>; firstView: Promise<string | undefined> } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private debounce: ReturnType<typeof setTimeout> | undefined;

  /** Fires when the file changed on disk; listeners call `load()` again. */
  readonly onDidChangeOnDisk = this.changed.event;

  /** When VS Code asked for this document (the first mark of its open timeline). */
  readonly openedAt = clockNow();

  constructor(readonly uri: vscode.Uri) {
    // The analysis process died (and took this model with it): read the model again in a new one.
    this.disposables.push(onDidAnalysisCrash(() => this.reload()));
    if (uri.scheme === 'file') {
      // A RelativePattern on the parent folder also watches files outside the workspace.
      const folder = vscode.Uri.joinPath(uri, '..');
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name));
      this.disposables.push(
        watcher,
        watcher.onDidChange(() => this.fileChanged()),
        watcher.onDidCreate(() => this.fileChanged()),
        watcher.onDidDelete(() => this.fileChanged()),
      );
    }
    // Start reading now: the webview is still loading its script, and the model is needed once it has.
    void this.load();
  }

  /** The current load result, read once and shared until the file changes or `reload()`. */
  load(): Promise<ModelLoadResult> {
    return this.current().result;
  }

  /**
   * The current load's first view, laid out by the analysis process (src/core/graphLayout/firstView.ts's
   * text), as soon as it is: before the load's result. Undefined once the load ended without one
   * (the structure came from the graph cache, or the model could not be read).
   */
  firstView(): Promise<string | undefined> {
    return this.current().firstView;
  }

  private current(): NonNullable<ModelDocument['loading']> {
    if (!this.loading) {
      let laidOut!: (layout: string | undefined) => void;
      const firstView = new Promise<string | undefined>((resolve) => (laidOut = resolve));
      const result = loadModel(this.uri, laidOut);
      void result.then(() => laidOut(undefined)); // a no-op once the view came
      this.loading = { result, firstView };
    }
    return this.loading;
  }

  /** Forgets the cached result (closing its file) and tells every view to load again. */
  reload(): void {
    this.closeLoaded();
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.closeLoaded();
    for (const d of this.disposables) d.dispose();
  }

  private closeLoaded(): void {
    const previous = this.loading?.result;
    this.loading = undefined;
    void previous?.then((result) => {
      if (result.ok) result.model.close();
    });
  }

  private fileChanged(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
  }
}
