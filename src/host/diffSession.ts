/**
 * One diff editor's work, without `vscode`: open both sides in the analysis process (the front end
 * says how: a file by path, other resources by their bytes), diff them there (core/diff/), push the
 * two graphs and the diff to the page, and on request run both models in the runtime process
 * (src/runtime/client/diffBehaviour.ts). The extension's panel (src/extension/diff/diffPanel.ts)
 * is the adapter: it supplies these ports and forwards the page's messages.
 */
import type { BehaviourPlan } from '../core/diff/behaviour';
import type { ChildClient } from '../rpc/childClient';
import type { AnalysisMethods } from '../analysisProcess/methods';
import { measureBehaviour } from '../runtime/client/diffBehaviour';
import type { RuntimeRpc } from '../runtime/client/runtimeClient';
import type { DiffReport } from '../shared/diffReport';
import type { DiffPushMessage } from '../shared/diffView';
import type { SessionOptionsSpec } from '../shared/runtimeTypes';
import type { Logger } from './ports';

/** A side opened in the analysis process: its id there and its graph's structure (encoded payload). */
export interface OpenedSide {
  id: number;
  graph: ArrayBuffer;
  close(): void;
}

export interface DiffSide {
  /** How the side is named in the report (a path, or a URI). */
  label: string;
  open(): Promise<OpenedSide>;
  /**
   * A file onnxruntime can open: the model's own path, or for a version that is not on disk (a
   * git: blob, a virtual file) a private copy the side removes in release(). Throws one sentence.
   */
  runnable(): Promise<string>;
  release(): void;
}

export interface DiffPorts {
  analysis: ChildClient<AnalysisMethods>;
  runtime(): RuntimeRpc;
  push(message: DiffPushMessage): void;
  /** Throws when running models is not allowed here (Restricted Mode). */
  mayRun(): void;
  sessionOptions(): SessionOptionsSpec;
  log: Logger;
  version: string;
}

export class DiffSession {
  /** The latest diff, once computed (for tests and the log). */
  report: DiffReport | undefined;
  error: string | undefined;
  private readonly opened: OpenedSide[] = [];
  private plan: BehaviourPlan | undefined;

  constructor(
    private readonly a: DiffSide,
    private readonly b: DiffSide,
    private readonly ports: DiffPorts,
  ) {}

  async load(names: { a: string; b: string }): Promise<void> {
    const { push } = this.ports;
    push({ type: 'diffLoading', ...names });
    const t0 = performance.now();
    try {
      this.closeSides();
      const [sa, sb] = await Promise.all([this.a.open(), this.b.open()].map((p) => p.then((s) => (this.opened.push(s), s))));
      const result = await this.ports.analysis.request('diff', { a: sa.id, b: sb.id, labels: [this.a.label, this.b.label], version: this.ports.version }, { timeoutMs: 10 * 60_000 });
      this.report = result.report;
      this.plan = result.plan;
      this.error = undefined;
      const { graph: graphOverlay, ...overlay } = result.overlay;
      push({ type: 'diffData', graphA: sa.graph, graphB: sb.graph, graphOverlay, data: { report: result.report, states: result.states, overlay } });
      this.ports.log.info(`diff ${this.a.label} ↔ ${this.b.label}: ${result.report.headline} (${(performance.now() - t0).toFixed(0)} ms; match ${result.report.timing.matchMs.toFixed(0)} ms)`);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      push({ type: 'diffError', message: this.error });
    }
  }

  async compareBehaviour(samples: number): Promise<void> {
    const { push } = this.ports;
    if (!this.plan) return;
    try {
      this.ports.mayRun();
      const [fileA, fileB] = await Promise.all([this.a.runnable(), this.b.runnable()]);
      const behaviour = await measureBehaviour(this.ports.runtime(), fileA, fileB, this.plan, {
        options: this.ports.sessionOptions(), samples: Math.max(1, Math.min(1000, Math.floor(samples))), benchRuns: 50,
        onProgress: (message) => push({ type: 'behaviourProgress', message }),
      });
      if (this.report) this.report = { ...this.report, behaviour, outputs: behaviour.outputs, firstDivergence: behaviour.firstDivergence, latency: behaviour.latency };
      push({ type: 'behaviour', behaviour });
    } catch (error) {
      push({ type: 'behaviourError', message: error instanceof Error ? error.message : String(error) });
    }
  }

  dispose(): void {
    this.closeSides();
    this.a.release();
    this.b.release();
  }

  private closeSides(): void {
    for (const s of this.opened.splice(0)) s.close();
  }
}
