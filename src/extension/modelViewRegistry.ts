import * as vscode from 'vscode';
import type { GraphPayload } from '../shared/graphPayload';
import type { HostMethod, ParamsOf, ResultOf, SelectionMessage } from '../shared/protocol';
import type { ModelViewReport } from './api';
import type { RequestHandler, RequestHandlers } from './webviewChannel';

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
    readonly handlers: RequestHandlers,
  ) {}

  /** The host pushed something new: the view is not up to date until it renders it. */
  pushed(update: Pick<ModelViewReport, 'summary' | 'error'>): void {
    this.report = { ...this.report, summary: update.summary, error: update.error, graph: undefined, selection: undefined, rendered: false };
  }

  /** The graph went to the webview; its brief is read from the model's payload only when a test asks. */
  graphPosted(model: { readonly payload: GraphPayload }): void {
    const report = { ...this.report };
    let brief: ModelViewReport['graph'];
    Object.defineProperty(report, 'graph', {
      enumerable: true,
      get: () => {
        const payload = model.payload;
        brief ??= { nodeCount: payload.nodeCount, valueCount: payload.valueCount, groupCount: payload.groupCount, modelHash: payload.modelHash, problems: payload.problems.length };
        return brief;
      },
    });
    this.report = report;
  }

  selected(selection: Omit<SelectionMessage, 'type'>): void {
    this.report = { ...this.report, selection };
  }

  rendered(shown: ModelViewReport['shown']): void {
    // The graph is drawn before the summary arrives: the view is complete (rendered) only with it.
    if (!this.report.summary && !this.report.error) {
      this.report = { ...this.report, shown };
      return;
    }
    this.report = { ...this.report, shown, rendered: true, renderCount: this.report.renderCount + 1 };
    this.registry.notify(this);
  }
}

/** Tracks every open model view for the test API. */
export class ModelViewRegistry {
  private readonly views = new Set<ModelViewState>();
  private readonly waiters = new Set<Waiter>();

  open(uri: vscode.Uri, handlers: RequestHandlers): ModelViewState {
    const view = new ModelViewState(this, uri.toString(), handlers);
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

  /** Calls a request handler of the first open view of `uri` (what the webview's request runs). */
  async request<M extends HostMethod>(uri: vscode.Uri, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const view = [...this.views].find((v) => v.key === uri.toString());
    if (!view) throw new Error(`no ONNX Lens view of ${uri.toString()} is open`);
    const handler = view.handlers[method] as RequestHandler<M>;
    return handler(params, { signal: new AbortController().signal, progress: () => undefined });
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
