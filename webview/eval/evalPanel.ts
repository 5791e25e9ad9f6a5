/**
 * The Evaluate tab: created the first time the tab is shown (or an evaluation is pushed), kept
 * across tab switches. The setup form with Evaluate (progress bar fed by the host's `progress`
 * pushes for the request, Cancel), then the report's results. On creation it asks the host for the
 * model's latest saved evaluation and shows it, its dataset filled in for the next run.
 *
 * `body[data-eval-state]`: idle | running | done | error, for the last evaluation started here or
 * pushed by the host (a report loaded from disk leaves it idle).
 */
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import './eval.css';
import type { DriftResult, EvaluationResult, EvalView, RobustnessResult } from '../../src/shared/protocol';
import type { UncertaintyOptions } from '../../src/shared/uncertaintyTypes';
import { TrustViews } from './trust/trustViews';
import { h, icon } from '../ui/dom';
import type { Tab } from '../shell/appShell';
import type { HostChannel } from '../shell/hostChannel';
import type { ExplainPort } from '../shell/ports';
import { ProgressLine } from '../ui/progress';
import { startAction, type ActionContext, type RunningAction } from '../shell/action';
import { button, errorMessage, ErrorBanner, setDisabled } from '../ui/controls';
import { EvalForm } from './evalForm';
import { toEvaluateRequest } from './request';
import { ResultsView } from './resultsView';

export type EvalState = 'idle' | 'running' | 'done' | 'error';

export interface EvalPanelHost {
  channel: HostChannel;
  /** Why? and Feature importance under the results (webview/explain/, built by the app). */
  explain: ExplainPort;
}

export class EvalPanel implements Tab {
  readonly element: HTMLElement;
  private readonly form: EvalForm;
  private readonly errors = new ErrorBanner();
  private readonly evaluateButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress = new ProgressLine('Evaluation progress', 'eval-progress');
  private readonly errorSlot: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly resultsSlot: HTMLElement;
  private results: ResultsView | null = null;
  private explain: ReturnType<ExplainPort['evalPane']> | null = null;
  private running: RunningAction | null = null;
  private readonly trust: TrustViews;
  private readonly metricsBox: HTMLElement;
  /** Bumped by every result shown, so a late `latestEvaluation` answer cannot replace a newer one. */
  private shownGeneration = 0;

  constructor(private readonly host: EvalPanelHost) {
    this.errors.element.dataset.testid = 'eval-error';
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.form = new EvalForm(host.channel, (message) => this.showError(message));
    this.evaluateButton = button('Evaluate', () => this.evaluate(), { icon: 'checklist', testid: 'eval-run', title: 'Run the model on every sample of the dataset and compute the metrics' });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: 'eval-cancel' });
    setDisabled(this.cancelButton, true);
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'eval-status' });
    this.nav = h('nav', { class: 'run-nav eval-nav', 'aria-label': 'Evaluation sections' });
    this.resultsSlot = h('div', { class: 'eval-results-slot' });
    this.metricsBox = h('div', { class: 'eval-view-metrics', 'data-testid': 'eval-view-box-metrics' },
      h('div', { class: 'eval-setup' },
        this.form.element,
        h('div', { class: 'run-actions' }, this.evaluateButton, this.cancelButton, this.status),
        this.progress.element,
        this.errorSlot),
      this.resultsSlot);
    this.trust = new TrustViews(host.channel, this.metricsBox, () => this.form.values().data.trim() || null, {
      evaluate: (options) => this.evaluate(options),
    }, (view) => {
      this.nav.hidden = view !== 'metrics';
    });
    this.element = h('div', { class: 'shell-page eval-panel', 'data-testid': 'eval-panel', 'data-state': 'loading' },
      h('header', { class: 'run-header eval-header' },
        h('h2', { class: 'run-section-title' }, icon('checklist'), 'Evaluate'),
        this.trust.switcher,
        this.nav),
      this.trust.element);
    document.body.dataset.evalState = 'idle';
    this.loadLatest();
  }

  retheme(): void {
    this.results?.retheme();
    this.explain?.retheme();
    this.trust.retheme();
  }

  dispose(): void {
    this.results?.destroy();
    this.trust.destroy();
  }

  /** Shows one of the tab's views (the palette's Robustness, Drift and Uncertainty commands). */
  showView(view: EvalView): void {
    this.trust.show(view);
  }

  showRobustness(result: RobustnessResult): void {
    this.trust.robustness().showPushed(result);
    this.trust.show('robustness');
  }

  showDrift(result: DriftResult): void {
    this.trust.drift().showPushed(result);
    this.trust.show('drift');
  }

  /** An evaluation finished outside the tab (command palette): show it as this tab's result. */
  showPushed(result: EvaluationResult): void {
    if (this.running) return; // the tab's own evaluation is about to replace it
    this.errors.clear();
    this.form.fill(result.report, true);
    this.show(result);
    this.setState('done');
  }

  private loadLatest(): void {
    const generation = this.shownGeneration;
    this.resultsSlot.replaceChildren(h('div', { class: 'loading', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), h('span', {}, 'Looking for the last evaluation of this model…')));
    this.host.channel.request('latestEvaluation', {}).then(
      (latest) => {
        this.element.dataset.state = 'ready';
        if (generation !== this.shownGeneration) return;
        if (!latest) {
          this.resultsSlot.replaceChildren(this.emptyState());
          return;
        }
        this.form.fill(latest.report);
        this.show(latest, 'latest');
      },
      (error: unknown) => {
        this.element.dataset.state = 'ready';
        if (generation !== this.shownGeneration) return;
        this.resultsSlot.replaceChildren(this.emptyState(`The last evaluation could not be read: ${errorMessage(error)}`));
      },
    );
  }

  private emptyState(note?: string): HTMLElement {
    return h('div', { class: 'eval-empty', 'data-testid': 'eval-empty' },
      h('p', {}, 'No evaluation of this model yet. Choose a labelled dataset — a CSV or JSON Lines file with a label column, .npy/.npz or IDX arrays, or a folder of images in one folder per class — and press Evaluate.'),
      h('p', { class: 'muted' }, 'Reports are saved as JSON and as a standalone HTML page next to the benchmark reports.'),
      note ? h('p', { class: 'muted' }, note) : null);
  }

  private show(result: EvaluationResult, source: 'run' | 'latest' = 'run'): void {
    this.shownGeneration++;
    this.results?.destroy();
    this.explain?.destroy();
    const data = result.report.data.path;
    const explain = this.host.explain.evalPane(this.host.channel, result.report);
    this.explain = explain;
    const view = new ResultsView(result, (samples) => this.host.channel.request('evalSamples', { data, samples }).then((r) => r.samples), false,
      ({ index, source }) => void this.host.channel.request('openSample', { data, source, index }).catch((e: unknown) => this.showError(errorMessage(e))),
      (index) => explain.explainRow(index));
    this.results = view;
    this.trust.evaluated(result.report);
    view.element.dataset.source = source;
    this.resultsSlot.replaceChildren(view.element, explain.element);
    this.nav.replaceChildren(...[{ id: 'results', title: 'Summary' }, ...view.sections.filter((s) => s.id !== 'samples')].map(({ id, title }) => {
      const b = h('button', { class: 'chip', type: 'button' }, title.length > 28 ? `${title.slice(0, 26)}…` : title);
      b.addEventListener('click', () => (id === 'results' ? view.element : this.element.querySelector(`#eval-${id}`))?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
      return b;
    }));
    // Chart.js measures its box: create the charts once the results are laid out.
    requestAnimationFrame(() => {
      if (view === this.results) view.mount();
    });
  }

  private actionContext(): ActionContext {
    return {
      channel: this.host.channel,
      end: (outcome) => {
        if (outcome === 'done' || outcome === 'idle') this.setState(outcome);
        else {
          this.showError(errorMessage(outcome.error));
          if (this.results) this.status.textContent = 'The results below are from the previous evaluation.';
        }
      },
    };
  }

  private evaluate(uncertainty?: UncertaintyOptions): void {
    if (this.running) return;
    const formRequest = toEvaluateRequest(this.form.values());
    this.errors.clear();
    this.trust.uncertaintyError(null);
    if ('error' in formRequest) {
      this.showError(formRequest.error);
      this.trust.uncertaintyError(uncertainty ? formRequest.error : null);
      return;
    }
    const request = uncertainty ? { ...formRequest, uncertainty } : formRequest;
    this.trust.uncertaintyRunning('Starting…');
    this.setState('running');
    this.setBusy(true);
    this.progress.start();
    this.status.textContent = '';
    this.running = startAction(this.actionContext(), 'evaluate', request, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => {
        this.progress.set(m.done, m.total, m.message);
        this.trust.uncertaintyRunning(m.message);
      },
      done: (result) => {
        const t = result.report.timing;
        this.status.textContent = `${result.report.data.samples.toLocaleString('en-US')} samples in ${(t.totalMs / 1000).toFixed(1)} s`;
        this.show(result);
      },
      settled: () => {
        this.running = null;
        this.progress.hide();
        this.setBusy(false);
        this.trust.uncertaintyRunning(null);
      },
    });
  }

  private cancel(): void {
    if (!this.running) return;
    this.progress.say('Cancelling…');
    this.running.cancel();
  }

  private showError(message: string): void {
    this.errors.show(message, this.errorSlot);
    this.trust.uncertaintyError(message);
    this.setState('error');
  }

  private setBusy(busy: boolean): void {
    setDisabled(this.evaluateButton, busy);
    setDisabled(this.cancelButton, !busy);
    this.form.setBusy(busy);
  }

  private setState(state: EvalState): void {
    document.body.dataset.evalState = state;
  }
}
