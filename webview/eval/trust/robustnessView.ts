/**
 * The Evaluate tab's Robustness view: which perturbations at which severities (those that need an
 * image are marked), an optional Square Attack (ε as a share of the value range, queries per
 * sample, samples attacked), the dataset (the Metrics view's, unless changed), Run with progress
 * and Cancel, then the report. On creation it shows the model's latest saved robustness report.
 */
import { PERTURBATION_INFO, PERTURBATION_KINDS, type PerturbationKind } from '../../../src/shared/robustReport';
import type { RobustnessResult, RobustRequest } from '../../../src/shared/protocol';
import type { HostChannel } from '../../shell/hostChannel';
import { h } from '../../ui/dom';
import { button, checkbox, errorMessage, field, numberInput, textInput, type Checkbox, type TextField } from '../../ui/controls';
import { savedPaths } from '../../ui/reportLinks';
import { RobustnessResults } from './robustnessResults';
import { RunControls } from './runControls';

/** Perturbations ticked at first: the ones any input can take. */
const FIRST_CHOICE = new Set<PerturbationKind>(['noise', 'feature-noise', 'dropout']);

interface Row {
  kind: PerturbationKind;
  on: Checkbox;
  severities: TextField;
}

export class RobustnessView {
  readonly element: HTMLElement;
  private readonly data: TextField;
  private readonly rows: Row[];
  private readonly attack: Checkbox;
  private readonly eps: TextField;
  private readonly queries: TextField;
  private readonly attackSamples: TextField;
  private readonly samples: TextField;
  private readonly controls: RunControls;
  private readonly slot: HTMLElement;
  private results: RobustnessResults | null = null;
  private dataTouched = false;

  constructor(private readonly channel: HostChannel, private readonly defaultData: () => string | null) {
    this.data = textInput('', { class: 'run-input eval-path', 'data-testid': 'robust-data', placeholder: 'labelled dataset (the Metrics view\'s by default)', 'aria-label': 'Dataset' });
    this.data.addEventListener('input', () => (this.dataTouched = true));
    const choose = button('Choose…', () => this.pick(), { secondary: true, icon: 'folder-opened', testid: 'robust-choose-data' });
    this.rows = PERTURBATION_KINDS.map((kind) => {
      const info = PERTURBATION_INFO[kind];
      return {
        kind,
        on: checkbox(`${info.title}${info.imageOnly ? ' (images)' : ''}`, FIRST_CHOICE.has(kind), { 'data-testid': `robust-on-${kind}` }),
        severities: textInput(info.defaults.join(', '), { class: 'run-input trust-severities', 'data-testid': `robust-severities-${kind}`, 'aria-label': `${info.title} severities: ${info.severity}`, title: info.severity }),
      };
    });
    this.attack = checkbox('Square Attack (L∞, black box)', false, { 'data-testid': 'robust-attack-on' });
    this.eps = numberInput(0.03, { class: 'run-input run-small', min: 0, max: 1, step: 0.01, 'data-testid': 'robust-eps', title: 'ε as a share of the input\'s value range' });
    this.queries = numberInput(500, { class: 'run-input run-small', min: 1, step: 1, 'data-testid': 'robust-queries' });
    this.attackSamples = numberInput(100, { class: 'run-input run-small', min: 1, step: 1, 'data-testid': 'robust-attack-samples' });
    this.samples = numberInput(0, { class: 'run-input run-small', min: 0, step: 1, 'data-testid': 'robust-samples', title: 'Only the first n samples (0: all)' });
    this.controls = new RunControls('robust', 'Test robustness', 'pulse', 'Run the model on every sample under each perturbation and severity (and attack the first samples)', () => this.run());
    this.slot = h('div', { class: 'eval-results-slot' });
    const grid = h('div', { class: 'trust-perturbations', role: 'group', 'aria-label': 'Perturbations and their severities' },
      ...this.rows.flatMap((r) => [r.on, r.severities, h('span', { class: 'muted trust-severity-unit' }, PERTURBATION_INFO[r.kind].severity)]));
    this.element = h('div', { class: 'trust-view', 'data-testid': 'robust-view' },
      h('div', { class: 'trust-form' },
        h('div', { class: 'eval-path-row' }, h('label', { class: 'eval-path-label' }, 'Dataset'), this.data, choose),
        grid,
        h('div', { class: 'run-form trust-options' }, this.attack, field('ε', this.eps), field('queries per sample', this.queries), field('samples attacked', this.attackSamples), field('use the first n samples (0: all)', this.samples)),
        this.controls.element),
      this.slot);
    this.slot.replaceChildren(h('p', { class: 'muted eval-empty', 'data-testid': 'robust-empty' }, 'No robustness test of this model yet. Choose perturbations (and an attack) and press Test robustness: the metric is measured at each severity, on the same samples as the evaluation.'));
    this.loadLatest();
  }

  /** The Metrics view's dataset, unless this view's own was typed or chosen. */
  refreshDefaults(): void {
    const d = this.defaultData();
    if (!this.dataTouched && d && !this.controls.busy) this.data.value = d;
  }

  showPushed(result: RobustnessResult): void {
    this.show(result);
  }

  mount(): void {
    this.results?.mount();
  }

  retheme(): void {
    this.results?.retheme();
  }

  destroy(): void {
    this.results?.destroy();
  }

  private loadLatest(): void {
    this.channel.request('latestRobustness', {}).then((latest) => {
      if (latest && !this.results) this.show(latest);
    }, () => undefined);
  }

  private request(): RobustRequest | string {
    const data = this.data.value.trim() || this.defaultData() || '';
    if (!data) return 'Choose the labelled dataset to perturb.';
    const perturbations: RobustRequest['perturbations'] = [];
    for (const r of this.rows) {
      if (!r.on.checked) continue;
      const severities = r.severities.value.split(/[,\s]+/).filter(Boolean).map(Number);
      if (severities.length === 0 || severities.some((s) => !Number.isFinite(s) || s < 0)) return `${PERTURBATION_INFO[r.kind].title}: severities must be numbers ≥ 0, separated by commas.`;
      perturbations.push({ perturbation: r.kind, severities });
    }
    if (perturbations.length === 0 && !this.attack.checked) return 'Choose at least one perturbation or the attack.';
    const eps = Number(this.eps.value);
    const queries = Number(this.queries.value);
    const attacked = Number(this.attackSamples.value);
    if (this.attack.checked && (!(eps >= 0 && eps <= 1) || !Number.isInteger(queries) || queries < 1 || !Number.isInteger(attacked) || attacked < 1)) return 'The attack needs ε from 0 to 1 and whole numbers of queries and samples.';
    const n = Number(this.samples.value);
    return {
      data, perturbations,
      ...(this.attack.checked ? { attack: { eps, queries, samples: attacked } } : {}),
      ...(Number.isInteger(n) && n > 0 ? { maxSamples: n } : {}),
    };
  }

  private run(): void {
    const request = this.request();
    if (typeof request === 'string') {
      this.controls.showError(request);
      return;
    }
    this.controls.start(this.channel, 'robust', request, (result) => {
      this.show(result);
      return `${result.report.timing.samples.toLocaleString('en-US')} samples in ${(result.report.timing.totalMs / 1000).toFixed(1)} s`;
    });
  }

  private show(result: RobustnessResult): void {
    this.results?.destroy();
    const view = new RobustnessResults(result.report, savedPaths(result.savedTo, 'robustness'));
    this.results = view;
    this.slot.replaceChildren(view.element);
    requestAnimationFrame(() => {
      if (view === this.results && view.element.isConnected) view.mount();
    });
  }

  private pick(): void {
    this.channel.request('pickDataset', {}, 10 * 60_000).then(({ path }) => {
      if (!path) return;
      this.data.value = path;
      this.dataTouched = true;
    }, (error: unknown) => this.controls.showError(errorMessage(error)));
  }
}
