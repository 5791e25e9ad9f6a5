/**
 * The Evaluate tab's Uncertainty view (and the uncertainty part of the HTML report): how far the
 * model's answers can be trusted, from the evaluation's `uncertainty` — confidence, margin and
 * entropy of right and wrong answers, the risk–coverage curve of abstaining, temperature scaling's
 * reliability before and after, and split conformal prediction sets with their coverage against
 * the finite-sample guarantee. Its controls run the evaluation again with α, the score, the
 * calibration split and temperature scaling.
 */
import type { EvalReport } from '../../../src/shared/evalReport';
import type { ClassificationConformal, EvalUncertainty, UncertaintyOptions } from '../../../src/shared/uncertaintyTypes';
import { h } from '../../ui/dom';
import { button, checkbox, field, numberInput, Select, setDisabled, type Checkbox, type TextField } from '../../ui/controls';
import { histogramPairChart } from '../distributionCharts';
import { reliabilityChart } from '../curveCharts';
import { className } from '../metricInfo';
import { card, cards, num, pct, trustSection } from './cards';
import { chartBox, ChartSet } from './chartSet';
import { riskCoverageChart, setSizeChart } from './trustCharts';

export interface UncertaintyActions {
  /** Evaluate again (the dataset of the Metrics view's form) with these options. */
  evaluate(options: UncertaintyOptions): void;
}

export class UncertaintyView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly charts = new ChartSet();
  private readonly alpha: TextField;
  private readonly split: TextField;
  private readonly score = new Select<'lac' | 'aps'>([{ value: 'lac', label: 'LAC (smallest sets)' }, { value: 'aps', label: 'APS (adaptive, randomised)' }], 'lac', { 'data-testid': 'uncertainty-score' });
  private readonly temperature: Checkbox;
  private readonly runButton: HTMLElement | null;
  private readonly status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'uncertainty-status' });
  private readonly error = h('div', { class: 'run-action-error' });

  constructor(actions: UncertaintyActions | null) {
    this.alpha = numberInput(0.1, { class: 'run-input run-small', min: '0.01', max: '0.99', step: '0.01', 'data-testid': 'uncertainty-alpha' });
    this.split = numberInput(0.5, { class: 'run-input run-small', min: '0.05', max: '0.95', step: '0.05', 'data-testid': 'uncertainty-split' });
    this.temperature = checkbox('Fit temperature scaling', true, { 'data-testid': 'uncertainty-temperature' });
    this.runButton = actions ? button('Evaluate with conformal sets', () => this.run(actions), { icon: 'shield', testid: 'uncertainty-run', title: 'Evaluate again on the dataset of the Metrics view, calibrating on a random part of it and measuring on the rest' }) : null;
    const controls = actions ? h('div', { class: 'trust-form' },
      h('div', { class: 'run-form trust-options' },
        field('Miscoverage α', this.alpha), field('Conformal score', this.score.element), field('Calibration share', this.split), this.temperature),
      h('div', { class: 'run-actions' }, this.runButton!, this.status),
      h('p', { class: 'muted run-blurb' }, 'The dataset is the one of the Metrics view; a seeded random share of it calibrates, the rest measures.'),
      this.error) : null;
    this.body = h('div', { class: 'trust-body' });
    this.element = h('div', { class: 'trust-view', 'data-testid': 'uncertainty-view' }, controls, this.body);
    this.show(null);
  }

  /** The evaluation started here is running (`message` its progress) or not (null). */
  setRunning(message: string | null): void {
    if (this.runButton) setDisabled(this.runButton, message !== null);
    this.status.textContent = message ?? '';
  }

  /** An evaluation failed: its sentence, next to the button that started it. */
  showError(message: string | null): void {
    this.error.replaceChildren(...(message ? [h('div', { class: 'banner error', role: 'alert', 'data-testid': 'uncertainty-error' }, h('span', { class: 'banner-text' }, message))] : []));
  }

  private run(actions: UncertaintyActions): void {
    const alpha = Number(this.alpha.value);
    const split = Number(this.split.value);
    actions.evaluate({
      ...(alpha > 0 && alpha < 1 ? { conformal: { alpha, score: this.score.value } } : {}),
      temperature: this.temperature.checked,
      ...(split > 0 && split < 1 ? { calibrationFraction: split } : {}),
    });
  }

  /** Shows the uncertainty of `report` (null: nothing evaluated yet). */
  show(report: EvalReport | null): void {
    this.charts.destroy();
    const u = report?.uncertainty;
    if (!report || !u) {
      this.body.replaceChildren(h('p', { class: 'muted eval-empty', 'data-testid': 'uncertainty-empty' },
        report ? 'This evaluation was saved before uncertainty was measured; evaluate again to see it.' : 'Evaluate the model first: the Uncertainty view reads the evaluation of the Metrics view.'));
      return;
    }
    const name = (c: number) => className(report.data.classNames, c);
    this.body.replaceChildren(h('div', { class: 'eval-results', 'data-testid': 'uncertainty-results' }, this.summary(u), ...this.sections(u, name)));
  }

  mount(): void {
    this.charts.mount();
  }

  retheme(): void {
    this.charts.retheme();
  }

  destroy(): void {
    this.charts.destroy();
  }

  private summary(u: EvalUncertainty): HTMLElement {
    const c = u.conformal;
    const t = u.temperature;
    const s = u.selective;
    return cards(
      s ? card('AURC', num(s.aurc), `E-AURC ${num(s.eaurc)} · error rate ${pct(s.risk)} answering all`, { 'data-testid': 'uncertainty-aurc' }) : null,
      t ? card('Temperature', `T = ${t.T.toPrecision(3)}`, `ECE ${num(t.eceBefore)} → ${num(t.eceAfter)}`, { 'data-testid': 'uncertainty-temperature-card' }) : null,
      c ? card(`Coverage (α = ${c.alpha})`, pct(c.coverage), `95% CI ${pct(c.coverageCi95[0])}–${pct(c.coverageCi95[1])} · guarantee ${pct(c.guarantee[0])}–${pct(c.guarantee[1], 2)}`, { 'data-testid': 'uncertainty-coverage' }) : null,
      c && 'meanSetSize' in c ? card('Mean set size', c.meanSetSize.toFixed(2), `${c.score.toUpperCase()} · ${c.testSize} test samples`, { 'data-testid': 'uncertainty-set-size' }) : null,
      c && !('meanSetSize' in c) ? card('Interval', c.qHat === null ? '±∞' : `±${c.qHat.toPrecision(4)}`, `${c.testSize} test samples`) : null,
    );
  }

  private sections(u: EvalUncertainty, name: (c: number) => string): HTMLElement[] {
    const out: HTMLElement[] = [];
    const d = u.distributions;
    if (d) {
      const boxes = (['confidence', 'margin', 'entropy'] as const).map((k) => {
        const hist = d[k];
        const box = chartBox(`uncertainty-${k}`);
        this.charts.add(() => histogramPairChart(box, { edges: hist.edges, a: hist.correct, b: hist.incorrect, totalA: hist.correct.reduce((x, y) => x + y, 0), totalB: hist.incorrect.reduce((x, y) => x + y, 0) },
          ['right', 'wrong'], k === 'confidence' ? 'Confidence (top probability)' : k === 'margin' ? 'Margin (top − second)' : 'Entropy (nats)', `${k} of right and wrong answers`, 'outcome'));
        return h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, `mean ${num(hist.meanCorrect, 3)} right, ${num(hist.meanIncorrect, 3)} wrong`), box);
      });
      out.push(trustSection('distributions', 'Confidence, margin and entropy', 'graph', 'Per sample, split by right and wrong answers: a model worth trusting is sure where it is right and unsure where it is wrong.', h('div', { class: 'eval-two trust-three' }, ...boxes)));
    }
    if (u.selective) {
      const s = u.selective;
      const box = chartBox('uncertainty-risk-coverage');
      this.charts.add(() => riskCoverageChart(box, s.curve, s.risk));
      out.push(trustSection('selective', 'Selective prediction', 'filter', 'Answer only the most confident samples and abstain on the rest: the error rate among those answered, for every share answered.', box));
    }
    if (u.temperature) {
      const t = u.temperature;
      const before = chartBox('uncertainty-reliability-before');
      const after = chartBox('uncertainty-reliability-after');
      this.charts.add(() => reliabilityChart(before, t.reliabilityBefore));
      this.charts.add(() => reliabilityChart(after, t.reliabilityAfter));
      out.push(trustSection('temperature', 'Temperature scaling', 'flame', `One temperature T divides the logits, fitted by the log-likelihood of ${t.calibrationSize} calibration samples and measured on ${t.testSize} others: T > 1 softens an over-confident model, T < 1 sharpens an under-confident one; the predicted classes never change.`,
        h('div', { class: 'eval-two' },
          h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, `before: ECE ${num(t.eceBefore)}, NLL ${num(t.nllBefore)}`), before),
          h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, `after (T = ${t.T.toPrecision(3)}): ECE ${num(t.eceAfter)}, NLL ${num(t.nllAfter)}`), after))));
    }
    const c = u.conformal;
    if (c) {
      const within = c.coverageCi95[1] >= c.guarantee[0] && c.coverageCi95[0] <= c.guarantee[1];
      const note = h('p', { class: `banner ${within ? 'info' : 'warning'}`, 'data-testid': 'uncertainty-guarantee' },
        `Coverage ${pct(c.coverage)} on ${c.testSize} test samples (95% CI ${pct(c.coverageCi95[0])}–${pct(c.coverageCi95[1])}); split conformal prediction guarantees ${pct(c.guarantee[0])}–${pct(c.guarantee[1], 2)} with ${c.calibrationSize} calibration samples${within ? '.' : ' — outside it, beyond sampling noise: the data may not be exchangeable (shuffled) between the two parts.'}`);
      if ('meanSetSize' in c) {
        const box = chartBox('uncertainty-set-sizes');
        this.charts.add(() => setSizeChart(box, c.setSizes));
        out.push(trustSection('conformal', 'Conformal prediction sets', 'shield', `Each test sample gets the set of labels whose ${c.score === 'lac' ? '1 − probability' : 'cumulative probability'} is within the calibrated threshold${c.qHat === null ? ' (infinite: too few calibration samples for α, every set holds every label)' : ` ${c.qHat.toPrecision(4)}`}.`,
          note, h('div', { class: 'eval-two' }, h('div', { class: 'eval-chart-card' }, box), this.perClass(c, name))));
      } else {
        out.push(trustSection('conformal', 'Conformal intervals', 'shield', `Every prediction ŷ gets the interval ŷ ± ${c.qHat === null ? '∞' : c.qHat.toPrecision(4)}, the calibrated quantile of |y − ŷ|.`, note));
      }
    }
    return out;
  }

  private perClass(c: ClassificationConformal, name: (c: number) => string): HTMLElement {
    return h('div', { class: 'eval-tall-table' }, h('table', { class: 'run-table', 'data-testid': 'uncertainty-per-class' },
      h('thead', {}, h('tr', {}, h('th', {}, 'class'), h('th', {}, 'test samples'), h('th', {}, 'coverage'))),
      h('tbody', {}, ...c.perClass.map((r) => h('tr', {}, h('td', {}, name(r.label)), h('td', { class: 'num' }, String(r.count)), h('td', { class: 'num' }, pct(r.covered / r.count)))))));
  }
}
