/**
 * The Evaluate tab's explanations of what was evaluated: "Why?" on a drilled-down sample explains
 * that row of the dataset (KernelSHAP by default; LIME, occlusion or RISE for the asking), and
 * "Feature importance" runs permutation importance on the whole dataset (the drop of the chosen
 * score per shuffled feature, with error bars). One pane under the results shows the latest, with
 * progress and Cancel.
 */
import './explain.css';
import { METHOD_NAMES, type ExplainMethod } from '../../src/shared/explainReport';
import type { ExplainViewRequest } from '../../src/shared/protocol';
import type { EvalReport } from '../../src/shared/evalReport';
import { h } from '../ui/dom';
import { button, errorMessage, ErrorBanner, field, Select, setDisabled } from '../ui/controls';
import { startAction, type RunningAction } from '../shell/action';
import { ProgressLine } from '../ui/progress';
import type { HostChannel } from '../shell/hostChannel';
import { explainResult, type ExplainResultView } from './explainResult';

const ROW_METHODS: ExplainMethod[] = ['kernelshap', 'lime', 'occlusion', 'rise'];
const CLASSIFICATION_SCORES = ['accuracy', 'balanced_accuracy', 'f1_macro', 'neg_log_loss'];
const REGRESSION_SCORES = ['r2', 'neg_mean_squared_error', 'neg_mean_absolute_error'];

export class EvalExplainPane {
  readonly element: HTMLElement;
  private readonly method: Select<ExplainMethod>;
  private readonly metric: Select<string>;
  private readonly title: HTMLElement;
  private readonly progress = new ProgressLine('Explanation progress', 'eval-explain-progress');
  private readonly cancelButton: HTMLElement;
  private readonly importanceButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly errors = new ErrorBanner();
  private readonly results: HTMLElement;
  private running: RunningAction | null = null;
  private view: ExplainResultView | null = null;

  constructor(private readonly channel: HostChannel, private readonly report: EvalReport) {
    this.method = new Select(ROW_METHODS.map((m) => ({ value: m, label: METHOD_NAMES[m] })), report.data.format === 'image-folder' ? 'occlusion' : 'kernelshap', { 'aria-label': 'Method for Why?', 'data-testid': 'eval-why-method' });
    const scores = report.task === 'classification' ? CLASSIFICATION_SCORES : REGRESSION_SCORES;
    this.metric = new Select(scores.map((s) => ({ value: s, label: s })), scores[0], { 'aria-label': 'Score', 'data-testid': 'eval-importance-metric' });
    this.importanceButton = button('Feature importance', () => this.featureImportance(), { icon: 'graph', testid: 'eval-importance', title: 'Permutation importance: how much the score drops when each feature is shuffled' });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: 'eval-explain-cancel' });
    setDisabled(this.cancelButton, true);
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'eval-explain-status' });
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.title = h('h4', { class: 'eval-subtitle', 'data-testid': 'eval-explain-title' }, 'Why? and feature importance');
    this.results = h('div', {});
    this.element = h('section', { class: 'eval-section eval-explain', id: 'eval-explain', 'data-testid': 'eval-explain' },
      this.title,
      h('p', { class: 'muted' }, 'Press "Why?" on a sample above to explain its prediction, or measure which features the model relies on over the whole dataset.'),
      h('div', { class: 'run-form explain-form' }, field('Why? method', this.method.element), field('score', this.metric.element)),
      h('div', { class: 'run-actions' }, this.importanceButton, this.cancelButton, this.status),
      this.progress.element, this.errorSlot, this.results);
  }

  retheme(): void {
    this.view?.retheme();
  }

  destroy(): void {
    this.running?.cancel();
    this.view?.destroy();
  }

  /** Explains row `index` of the evaluated dataset. */
  explainRow(index: number): void {
    const method = this.method.value;
    this.title.textContent = `Why? Sample #${index} (${METHOD_NAMES[method]})`;
    this.start({ method, subject: this.subject(index), ...(method === 'rise' ? { masks: 500 } : {}) });
    this.element.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  private featureImportance(): void {
    this.title.textContent = `Feature importance (${this.metric.value})`;
    this.start({ method: 'permutation', subject: this.subject(0), metric: this.metric.value, repeats: 5, labelColumn: this.report.data.labelColumn });
  }

  private subject(row: number): ExplainViewRequest['subject'] {
    return { kind: 'row', data: this.report.data.path, row, labelColumn: this.report.data.labelColumn };
  }

  private start(request: ExplainViewRequest): void {
    if (this.running) return;
    this.errors.clear();
    setDisabled(this.importanceButton, true);
    setDisabled(this.cancelButton, false);
    this.progress.start();
    this.status.textContent = '';
    document.body.dataset.explainState = 'running';
    this.running = startAction({
      channel: this.channel,
      end: (outcome) => {
        document.body.dataset.explainState = outcome === 'done' || outcome === 'idle' ? outcome : 'error';
        if (outcome !== 'done' && outcome !== 'idle') this.errors.show(errorMessage(outcome.error), this.errorSlot);
      },
    }, 'explain', request, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => this.progress.set(m.done, m.total, m.message),
      done: ({ report }) => {
        this.view?.destroy();
        this.view = explainResult(report);
        this.results.replaceChildren(this.view.element);
      },
      settled: () => {
        this.running = null;
        this.progress.hide();
        setDisabled(this.cancelButton, true);
        setDisabled(this.importanceButton, false);
      },
    });
  }

  private cancel(): void {
    this.progress.say('Cancelling…');
    this.running?.cancel();
  }
}
