/**
 * The Evaluate tab's four views — Metrics (the evaluation as it was), Uncertainty, Robustness and
 * Drift — behind a switch of chips: each view other than Metrics is made the first time it is
 * shown and kept, and its charts are made once it is visible (Chart.js measures its box).
 * `body[data-eval-view]` names the view shown.
 */
import './trust.css';
import type { EvalReport } from '../../../src/shared/evalReport';
import type { EvalView } from '../../../src/shared/protocol';
import type { HostChannel } from '../../shell/hostChannel';
import { h, icon } from '../../ui/dom';
import { DriftView } from './driftView';
import { RobustnessView } from './robustnessView';
import { UncertaintyView, type UncertaintyActions } from './uncertaintyView';

const VIEWS: { id: EvalView; label: string; codicon: string; title: string }[] = [
  { id: 'metrics', label: 'Metrics', codicon: 'checklist', title: 'The evaluation: metrics, confusion matrix, curves, samples' },
  { id: 'uncertainty', label: 'Uncertainty', codicon: 'shield', title: 'Confidence of right and wrong answers, abstaining, temperature scaling, conformal prediction sets' },
  { id: 'robustness', label: 'Robustness', codicon: 'pulse', title: 'The metric under noise, blur, JPEG, dropout… and a black-box attack' },
  { id: 'drift', label: 'Drift', codicon: 'graph-line', title: 'Two datasets compared feature by feature, and the model\'s outputs on both' },
];

export class TrustViews {
  readonly element: HTMLElement;
  readonly switcher: HTMLElement;
  private readonly boxes = new Map<EvalView, HTMLElement>();
  private readonly chips = new Map<EvalView, HTMLElement>();
  private uncertaintyView: UncertaintyView | null = null;
  private robustnessView: RobustnessView | null = null;
  private driftView: DriftView | null = null;
  private report: EvalReport | null = null;
  private current: EvalView = 'metrics';

  constructor(
    private readonly channel: HostChannel, metrics: HTMLElement, private readonly defaultData: () => string | null,
    private readonly actions: UncertaintyActions, private readonly onShow: (view: EvalView) => void,
  ) {
    this.switcher = h('div', { class: 'trust-switch', role: 'tablist', 'aria-label': 'Evaluate views' }, ...VIEWS.map((v) => {
      const chip = h('button', { class: 'chip trust-chip', type: 'button', role: 'tab', title: v.title, 'data-testid': `eval-view-${v.id}`, 'aria-selected': String(v.id === 'metrics') }, icon(v.codicon), v.label);
      chip.addEventListener('click', () => this.show(v.id));
      this.chips.set(v.id, chip);
      return chip;
    }));
    this.boxes.set('metrics', metrics);
    this.element = h('div', { class: 'trust-views' }, metrics);
    document.body.dataset.evalView = 'metrics';
  }

  show(view: EvalView): void {
    this.current = view;
    const box = this.box(view);
    for (const [id, b] of this.boxes) b.hidden = id !== view;
    for (const [id, chip] of this.chips) chip.setAttribute('aria-selected', String(id === view));
    document.body.dataset.evalView = view;
    this.onShow(view);
    if (view === 'robustness') this.robustness().refreshDefaults();
    if (view === 'drift') this.drift().refreshDefaults();
    // Charts measure their box: make them once the view is laid out.
    requestAnimationFrame(() => {
      if (this.current !== view || box.hidden) return;
      if (view === 'uncertainty') this.uncertainty().mount();
      if (view === 'robustness') this.robustness().mount();
      if (view === 'drift') this.drift().mount();
    });
  }

  /** A new evaluation is shown in the Metrics view: the Uncertainty view reads it. */
  evaluated(report: EvalReport): void {
    this.report = report;
    if (this.uncertaintyView) {
      this.uncertaintyView.show(report);
      if (this.current === 'uncertainty') requestAnimationFrame(() => this.uncertaintyView?.mount());
    }
  }

  uncertaintyRunning(message: string | null): void {
    this.uncertaintyView?.setRunning(message);
  }

  uncertaintyError(message: string | null): void {
    this.uncertaintyView?.showError(message);
  }

  uncertainty(): UncertaintyView {
    if (!this.uncertaintyView) {
      this.uncertaintyView = new UncertaintyView(this.actions);
      this.uncertaintyView.show(this.report);
    }
    return this.uncertaintyView;
  }

  robustness(): RobustnessView {
    if (!this.robustnessView) this.robustnessView = new RobustnessView(this.channel, this.defaultData);
    return this.robustnessView;
  }

  drift(): DriftView {
    if (!this.driftView) this.driftView = new DriftView(this.channel, this.defaultData);
    return this.driftView;
  }

  retheme(): void {
    this.uncertaintyView?.retheme();
    this.robustnessView?.retheme();
    this.driftView?.retheme();
  }

  destroy(): void {
    this.uncertaintyView?.destroy();
    this.robustnessView?.destroy();
    this.driftView?.destroy();
  }

  private box(view: EvalView): HTMLElement {
    let box = this.boxes.get(view);
    if (!box) {
      const element = view === 'uncertainty' ? this.uncertainty().element : view === 'robustness' ? this.robustness().element : this.drift().element;
      box = h('div', { class: `eval-view-${view}`, 'data-testid': `eval-view-box-${view}` }, element);
      this.boxes.set(view, box);
      this.element.append(box);
    }
    return box;
  }
}
