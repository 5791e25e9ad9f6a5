/**
 * The Evaluate tab's Drift view: a reference dataset (what the model was made for: the training
 * split beside the model when there is one) and the current one (the Metrics view's dataset by
 * default), Compare with progress and Cancel, then the report: features sorted by PSI, and the
 * model's output distributions on both. On creation it shows the model's latest drift report.
 */
import type { DriftResult } from '../../../src/shared/protocol';
import type { HostChannel } from '../../shell/hostChannel';
import { h } from '../../ui/dom';
import { button, errorMessage, textInput, type TextField } from '../../ui/controls';
import { savedPaths } from '../../ui/reportLinks';
import { DriftResults } from './driftResults';
import { RunControls } from './runControls';

export class DriftView {
  readonly element: HTMLElement;
  private readonly reference: TextField;
  private readonly current: TextField;
  private readonly controls: RunControls;
  private readonly slot: HTMLElement;
  private results: DriftResults | null = null;
  private touched = false;

  constructor(private readonly channel: HostChannel, private readonly defaultData: () => string | null) {
    this.reference = textInput('', { class: 'run-input eval-path', 'data-testid': 'drift-reference', placeholder: 'the data the model was made for, e.g. the training split', 'aria-label': 'Reference dataset' });
    this.current = textInput('', { class: 'run-input eval-path', 'data-testid': 'drift-current', placeholder: 'the data to compare with it (the Metrics view\'s by default)', 'aria-label': 'Current dataset' });
    for (const f of [this.reference, this.current]) f.addEventListener('input', () => (this.touched = true));
    const choose = (target: TextField, testid: string) => button('Choose…', () => this.pick(target), { secondary: true, icon: 'folder-opened', testid });
    this.controls = new RunControls('drift', 'Compare', 'graph-line', 'Compare the two datasets feature by feature, and the model\'s outputs on both', () => this.run());
    this.slot = h('div', { class: 'eval-results-slot' });
    this.element = h('div', { class: 'trust-view', 'data-testid': 'drift-view' },
      h('div', { class: 'trust-form' },
        h('div', { class: 'eval-path-row' }, h('label', { class: 'eval-path-label' }, 'Reference'), this.reference, choose(this.reference, 'drift-choose-reference')),
        h('div', { class: 'eval-path-row' }, h('label', { class: 'eval-path-label' }, 'Current'), this.current, choose(this.current, 'drift-choose-current')),
        this.controls.element),
      this.slot);
    this.slot.replaceChildren(h('p', { class: 'muted eval-empty', 'data-testid': 'drift-empty' }, 'No drift comparison for this model yet. Choose the reference data (what the model was trained on) and the current data, and press Compare.'));
    this.loadLatest();
    this.guessReference();
  }

  refreshDefaults(): void {
    const d = this.defaultData();
    if (!this.touched && d && !this.controls.busy && !this.current.value) this.current.value = d;
  }

  showPushed(result: DriftResult): void {
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

  /** A training split beside the model is the likely reference. */
  private guessReference(): void {
    this.channel.request('runtimeSignature', {}).then((sig) => {
      const train = sig.datasets.find((d) => /train/i.test(d.split(/[\\/]/).pop() ?? ''));
      if (train && !this.touched && !this.reference.value) this.reference.value = train;
    }, () => undefined);
  }

  private loadLatest(): void {
    this.channel.request('latestDrift', {}).then((latest) => {
      if (!latest || this.results) return;
      this.show(latest);
      if (!this.touched) {
        this.reference.value = latest.report.reference.path;
        this.current.value = latest.report.current.path;
      }
    }, () => undefined);
  }

  private run(): void {
    const reference = this.reference.value.trim();
    const current = this.current.value.trim() || this.defaultData() || '';
    if (!reference || !current) {
      this.controls.showError('Choose both datasets: the reference and the current one.');
      return;
    }
    this.controls.start(this.channel, 'drift', { reference, current }, (result) => {
      this.show(result);
      return `${result.report.drifted.length} drifted · ${(result.report.timing.totalMs / 1000).toFixed(1)} s`;
    });
  }

  private show(result: DriftResult): void {
    this.results?.destroy();
    const view = new DriftResults(result.report, savedPaths(result.savedTo, 'drift'));
    this.results = view;
    this.slot.replaceChildren(view.element);
    requestAnimationFrame(() => {
      if (view === this.results && view.element.isConnected) view.mount();
    });
  }

  private pick(target: TextField): void {
    this.channel.request('pickDataset', {}, 10 * 60_000).then(({ path }) => {
      if (!path) return;
      target.value = path;
      this.touched = true;
    }, (error: unknown) => this.controls.showError(errorMessage(error)));
  }
}
