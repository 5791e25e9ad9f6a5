import * as vscode from 'vscode';
import { loadModelSummary, type ModelLoadResult } from './modelLoader';

/** Debounce for file-change events: exporters often write a model in several chunks. */
const RELOAD_DEBOUNCE_MS = 300;

/**
 * One opened .onnx file, shared by every editor showing it. Holds the latest load result
 * and reloads it when the file changes on disk (re-exporting a model refreshes the view).
 */
export class ModelDocument implements vscode.CustomDocument {
  private loading: Promise<ModelLoadResult> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private debounce: ReturnType<typeof setTimeout> | undefined;

  /** Fires when the file changed on disk; listeners call `load()` again. */
  readonly onDidChangeOnDisk = this.changed.event;

  constructor(readonly uri: vscode.Uri) {
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
  }

  /** The current load result, read once and shared until the file changes or `reload()`. */
  load(): Promise<ModelLoadResult> {
    this.loading ??= loadModelSummary(this.uri);
    return this.loading;
  }

  /** Forgets the cached result and tells every view to load again. */
  reload(): void {
    this.loading = undefined;
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const d of this.disposables) d.dispose();
  }

  private fileChanged(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
  }
}
