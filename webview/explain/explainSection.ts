/**
 * The Run tab's "Explain" section, beside the outputs: the method (the image methods for an image
 * input, the tabular ones for a row of features), the class to explain (the predicted one by
 * default), the budget and the seed; Explain with a progress bar and Cancel; then the result
 * (explainResult.ts) and where the report was saved. It explains the inputs as set above.
 */
import './explain.css';
import { IMAGE_METHODS, METHOD_NAMES, TABULAR_METHODS, type ExplainMethod } from '../../src/shared/explainReport';
import type { ExplainViewRequest, ExplanationResult } from '../../src/shared/protocol';
import type { IoSignature } from '../../src/shared/runtimeTypes';
import { h } from '../ui/dom';
import { reportLink } from '../ui/reportLinks';
import { button, field, numberInput, Select, setDisabled, type TextField } from '../ui/controls';
import { startAction, type ActionContext, type RunningAction } from '../shell/action';
import { ProgressLine } from '../ui/progress';
import { explainResult, type ExplainResultView } from './explainResult';

export interface ExplainSectionHost extends ActionContext {
  inputs: readonly IoSignature[];
  /** Class names of the explained output (the model's labels), if known; else indices are offered. */
  classes: readonly string[] | null;
  /** The subject and session options to explain (null: the setup has a problem, already shown). */
  subject(): Pick<ExplainViewRequest, 'subject' | 'options'> | null;
  begin(): boolean;
}

/**
 * Image when the first float input is [N, C, H, W] / [N, H, W, C] / [N, H, W]; tokens when no input
 * is float (token ids: only attention rollout applies); else a row of features.
 */
export function inputKind(inputs: readonly IoSignature[]): 'image' | 'tabular' | 'tokens' {
  const input = inputs.find((s) => s.elemType.startsWith('float'));
  if (!input) return 'tokens';
  return input.dims.length >= 3 ? 'image' : 'tabular';
}

const DEFAULT_BUDGET: Record<ExplainMethod, number> = { kernelshap: 2048, lime: 2000, permutation: 5, occlusion: 0, rise: 1000, rollout: 0 };

export class ExplainSection {
  readonly element: HTMLElement;
  private readonly method: Select<ExplainMethod>;
  private readonly target: Select<string>;
  private readonly budget: TextField;
  private readonly budgetField: HTMLElement;
  private readonly seed: TextField;
  private readonly startButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly progress = new ProgressLine('Explanation progress', 'explain-progress');
  private readonly status: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly results: HTMLElement;
  private running: RunningAction | null = null;
  private view: ExplainResultView | null = null;

  constructor(private readonly host: ExplainSectionHost) {
    const kind = inputKind(host.inputs);
    const methods: readonly ExplainMethod[] = kind === 'image' ? IMAGE_METHODS : kind === 'tokens' ? ['rollout'] : TABULAR_METHODS.filter((m) => m !== 'permutation');
    this.method = new Select(methods.map((m) => ({ value: m, label: METHOD_NAMES[m] })), methods.includes('occlusion') ? 'occlusion' : methods[0], { 'aria-label': 'Method', 'data-testid': 'explain-method-select' });
    const classes = [{ value: 'predicted', label: 'the predicted class' }, ...(host.classes ?? []).map((c, i) => ({ value: String(i), label: `${i}: ${c}` }))];
    this.target = new Select(classes, 'predicted', { 'aria-label': 'Class to explain', 'data-testid': 'explain-class-select' });
    this.budget = numberInput(DEFAULT_BUDGET[this.method.value], { class: 'run-input run-small', min: 2, step: 1, 'data-testid': 'explain-budget' });
    this.budgetField = field('samples', this.budget);
    this.seed = numberInput(0, { class: 'run-input run-small', min: 0, step: 1, 'data-testid': 'explain-seed' });
    this.method.onChange((m) => {
      this.budget.value = String(DEFAULT_BUDGET[m]);
      this.budgetField.hidden = DEFAULT_BUDGET[m] === 0;
    });
    this.budgetField.hidden = DEFAULT_BUDGET[this.method.value] === 0;
    this.startButton = button('Explain', () => this.start(), { icon: 'lightbulb', testid: 'explain-start', title: 'Explain the prediction for the inputs above' });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: 'explain-cancel' });
    setDisabled(this.cancelButton, true);
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'explain-status' });
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.results = h('div', { class: 'explain-results' });
    this.element = h('div', { class: 'explain', 'data-testid': 'explain-section' },
      h('div', { class: 'run-form explain-form' }, field('method', this.method.element), field('class', this.target.element), this.budgetField, field('seed', this.seed)),
      h('div', { class: 'run-actions' }, this.startButton, this.cancelButton, this.status),
      this.progress.element, this.errorSlot, this.results);
  }

  setBusy(busy: boolean): void {
    if (!this.running) setDisabled(this.startButton, busy);
  }

  retheme(): void {
    this.view?.retheme();
  }

  private request(): ExplainViewRequest | null {
    const method = this.method.value;
    const n = Number(this.budget.value);
    const budget = DEFAULT_BUDGET[method] === 0 ? undefined : n;
    if (budget !== undefined && (!Number.isInteger(n) || n < 2)) throw new Error('Explain: samples must be a whole number of at least 2.');
    const seed = Number(this.seed.value);
    if (!Number.isInteger(seed) || seed < 0) throw new Error('Explain: the seed must be a whole number of at least 0.');
    const subject = this.host.subject();
    if (!subject) return null;
    return {
      ...subject, method, seed,
      ...(this.target.value === 'predicted' ? {} : { target: Number(this.target.value) }),
      ...(budget === undefined ? {} : method === 'rise' ? { masks: budget } : { samples: budget }),
    };
  }

  start(): void {
    let req: ExplainViewRequest | null;
    try {
      req = this.request();
    } catch (error) {
      this.host.end({ error, slot: this.errorSlot });
      return;
    }
    if (!req || !this.host.begin()) return;
    setDisabled(this.startButton, true);
    setDisabled(this.cancelButton, false);
    this.progress.start();
    this.status.textContent = '';
    this.running = startAction(this.host, 'explain', req, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => this.progress.set(m.done, m.total, m.message),
      done: (result) => this.show(result),
      settled: () => {
        this.running = null;
        this.progress.hide();
        setDisabled(this.cancelButton, true);
        setDisabled(this.startButton, false);
      },
    });
  }

  private cancel(): void {
    if (!this.running) return;
    this.progress.say('Cancelling…');
    this.running.cancel();
  }

  show({ report, savedTo }: ExplanationResult): void {
    this.view?.destroy();
    this.view = explainResult(report);
    this.status.textContent = 'Explained';
    this.results.replaceChildren(this.view.element,
      h('p', { class: 'bench-saved', 'data-testid': 'explain-saved' }, ...(savedTo ? ['Report saved to ', reportLink(savedTo.html, 'mono')] : ['The report was not saved (open a folder to keep reports).'])));
  }
}
