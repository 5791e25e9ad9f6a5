import * as vscode from 'vscode';
import type { ModelViewReport, OnnxLensApi } from './api';

interface Waiter {
  key: string;
  afterRenderCount: number;
  resolve(report: ModelViewReport): void;
}

/** The live state of one view, updated by the editor provider as messages flow. */
export class ModelViewState {
  report: ModelViewReport = { rendered: false, renderCount: 0 };

  constructor(
    private readonly registry: ModelViewRegistry,
    readonly key: string,
  ) {}

  /** The host pushed something new: the view is not up to date until it renders it. */
  pushed(update: Pick<ModelViewReport, 'summary' | 'error'>): void {
    this.report = { ...this.report, summary: update.summary, error: update.error, rendered: false };
  }

  rendered(shown: ModelViewReport['shown']): void {
    this.report = { ...this.report, shown, rendered: true, renderCount: this.report.renderCount + 1 };
    this.registry.notify(this);
  }
}

/** Tracks every open model view for the test API. */
export class ModelViewRegistry implements OnnxLensApi {
  private readonly views = new Set<ModelViewState>();
  private readonly waiters = new Set<Waiter>();

  open(uri: vscode.Uri): ModelViewState {
    const view = new ModelViewState(this, uri.toString());
    this.views.add(view);
    return view;
  }

  close(view: ModelViewState): void {
    this.views.delete(view);
  }

  modelViews(uri: vscode.Uri): ModelViewReport[] {
    const key = uri.toString();
    return [...this.views].filter((v) => v.key === key).map((v) => v.report);
  }

  waitForModelView(uri: vscode.Uri, timeoutMs = 30_000, afterRenderCount = 0): Promise<ModelViewReport> {
    const key = uri.toString();
    const done = this.findRendered(key, afterRenderCount);
    if (done) return Promise.resolve(done.report);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        key,
        afterRenderCount,
        resolve: (report) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(report);
        },
      };
      const timer = setTimeout(() => {
        const latest = this.modelViews(uri).at(-1);
        waiter.resolve(latest ? { ...latest, rendered: false } : { rendered: false, renderCount: 0 });
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  notify(view: ModelViewState): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.key === view.key && view.report.renderCount > waiter.afterRenderCount) waiter.resolve(view.report);
    }
  }

  private findRendered(key: string, afterRenderCount: number): ModelViewState | undefined {
    return [...this.views].reverse().find((v) => v.key === key && v.report.rendered && v.report.renderCount > afterRenderCount);
  }
}
