import * as vscode from 'vscode';
import type { GraphPayload } from '../shared/graphPayload';
import type { HostMethod, ParamsOf, ResultOf, SelectionMessage } from '../shared/protocol';
import type { ModelViewReport } from './api';
import { callHandler, type RequestHandlers } from '../host/requestHandlers';

interface Waiter {
  key: string;
  afterRenderCount: number;
  resolve(report: ModelViewReport): void;
}

/** The live state of one view, updated by the editor provider as messages flow. */
export class ModelViewState {
  private state: Omit<ModelViewReport, 'graph'> = { rendered: false, renderCount: 0 };
  /** The brief of the graph posted last; read from the model's payload only when a test asks. */
  private graphBrief: (() => NonNullable<ModelViewReport['graph']>) | undefined;

  constructor(
    private readonly registry: ModelViewRegistry,
    readonly key: string,
    readonly handlers: RequestHandlers,
  ) {}

  get report(): ModelViewReport {
    return { ...this.state, graph: this.graphBrief?.() };
  }

  /** A new load starts: nothing of the last one is shown any more. */
  loading(): void {
    this.state = { ...this.state, summary: undefined, error: undefined, selection: undefined, rendered: false };
    this.graphBrief = undefined;
  }

  /** The host pushed the summary (after the graph) or an error: the view is not up to date until it renders it. */
  pushed(update: Pick<ModelViewReport, 'summary' | 'error'>): void {
    this.state = { ...this.state, summary: update.summary, error: update.error, rendered: false };
    if (update.error) this.graphBrief = undefined;
  }

  graphPosted(model: { readonly payload: GraphPayload }): void {
    let brief: ModelViewReport['graph'];
    this.graphBrief = () => {
      const p = model.payload;
      brief ??= { nodeCount: p.nodeCount, valueCount: p.valueCount, groupCount: p.groupCount, modelHash: p.modelHash, problems: p.problems.length };
      return brief;
    };
  }

  selected(selection: Omit<SelectionMessage, 'type'>): void {
    this.state = { ...this.state, selection };
  }

  rendered(shown: ModelViewReport['shown']): void {
    // The graph is drawn before the summary arrives: the view is complete (rendered) only with it.
    if (!this.state.summary && !this.state.error) {
      this.state = { ...this.state, shown };
      return;
    }
    this.state = { ...this.state, shown, rendered: true, renderCount: this.state.renderCount + 1 };
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
    return callHandler(view.handlers, method, params, { signal: new AbortController().signal, progress: () => undefined });
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
