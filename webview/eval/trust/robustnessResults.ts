/**
 * One robustness report, drawn: what was tested, the clean metric and the attack's outcome as
 * cards, one chart per perturbation (the metric against severity with its 95% band, and the flip
 * rate; click a point for its samples), the breakdown severities, and the drill-down: samples
 * whose prediction the chosen point changed, original beside perturbed, and the attack's
 * adversarial examples. Shared by the Evaluate tab and the standalone report page.
 */

import { PERTURBATION_INFO, type RobustReport } from '../../../src/shared/robustReport';
import { h } from '../../ui/dom';
import { baseName } from '../../format';
import { className, metricLabel } from '../metricInfo';
import { card, cards, num, pct, trustSection } from './cards';
import { chartBox, ChartSet } from './chartSet';
import { exampleGrid } from './examples';
import { robustnessChart } from './trustCharts';

function sourceKindOf(format: string): 'line' | 'path' | 'index' {
  return format === 'csv' || format === 'tsv' || format === 'jsonl' ? 'line' : format === 'image-folder' ? 'path' : 'index';
}

export class RobustnessResults {
  readonly element: HTMLElement;
  private readonly charts = new ChartSet();
  private readonly drill: HTMLElement;
  private readonly drillTitle: HTMLElement;

  constructor(private readonly report: RobustReport, savedNote: HTMLElement | null) {
    const r = report;
    const metric = metricLabel(r.metricName);
    const kinds = [...new Set(r.curves.map((p) => p.perturbation))];
    const classification = r.task === 'classification';
    const name = (c: number) => className(r.data.classNames, c);
    this.drillTitle = h('p', { class: 'trust-drill-title', 'data-testid': 'robust-drill-title' });
    this.drill = h('div', { class: 'trust-drill' });
    const plots = kinds.map((kind) => {
      const points = r.curves.filter((p) => p.perturbation === kind);
      const box = chartBox(`robust-chart-${kind}`);
      const b = r.breakdown.find((x) => x.perturbation === kind);
      this.charts.add(() => robustnessChart(box, points, metric, PERTURBATION_INFO[kind].severity, (i) => this.pick(kind, points[i].severity)));
      return h('div', { class: 'eval-chart-card', 'data-testid': 'robust-curve', 'data-perturbation': kind },
        h('div', { class: 'eval-chart-head' }, h('strong', {}, PERTURBATION_INFO[kind].title), h('span', { class: 'muted' }, b ? ` · ${b.severity === null ? 'holds at every severity tried' : `below ${num(b.threshold, 3)} from ${b.severity}`}` : '')),
        box);
    });
    const a = r.attack;
    const facts = h('div', { class: 'eval-facts' },
      h('p', { class: 'eval-facts-main' }, h('strong', {}, baseName(r.model.path)), ' on ', h('strong', { title: r.data.path }, baseName(r.data.path)), ` · ${r.timing.samples.toLocaleString('en-US')} samples · ${metric}`),
      h('p', { class: 'muted eval-facts-detail' }, `perturbed: ${r.inputs.filter((i) => i.perturbed).map((i) => `'${i.name}' (${i.layout}, values ${Number(i.lo.toPrecision(3))}–${Number(i.hi.toPrecision(3))})`).join(', ')} · seed ${r.settings.seed} · ${(r.timing.totalMs / 1000).toFixed(1)} s (inference ${(r.timing.inferenceMs / 1000).toFixed(1)} s) · ${new Date(r.createdAt).toLocaleString()}`));
    const summary = cards(
      card(`${metric}, clean`, num(r.clean.metric), r.clean.ci95 ? `95% CI ${num(r.clean.ci95[0], 3)}–${num(r.clean.ci95[1], 3)}` : null, { 'data-testid': 'robust-clean' }),
      a ? card('Attack success', pct(a.successRate), `${a.successes} of ${a.attacked} flipped · median ${a.medianQueries ?? '–'} queries`, { 'data-testid': 'robust-attack' }) : null,
      a ? card('Accuracy under attack', pct(a.robustAccuracy), `ε ${a.eps} of the range (${Number(a.epsAbsolute.toPrecision(3))}) · ${a.queries} queries`) : null,
    );
    const parts: (HTMLElement | null)[] = [h('div', { class: 'eval-overview' }, facts, savedNote, r.warnings.length ? h('ul', { class: 'eval-warnings' }, ...r.warnings.map((w) => h('li', { class: 'banner warning' }, w))) : null, summary)];
    if (plots.length) parts.push(trustSection('curves', 'Under perturbation', 'pulse', `The metric at each severity (0 is the clean data) with its bootstrap 95% band, and the share of predictions that changed. Click a point for its samples.`, h('div', { class: 'eval-two' }, ...plots)));
    if (plots.length) parts.push(trustSection('samples', 'Samples', 'eye', 'Originals beside what the model saw; predictions clean → perturbed.', this.drillTitle, this.drill));
    if (a) parts.push(trustSection('attack', 'Black-box attack', 'shield', `Square Attack (L∞): random square patches of ±ε kept when they lower the margin of the true class, ${a.queries} queries per sample, seeded.`,
      exampleGrid(r.examples.filter((e) => e.perturbation === 'attack'), name, classification, sourceKindOf(r.data.format), 'No attack succeeded within the budget.')));
    this.element = h('div', { class: 'eval-results', 'data-testid': 'robust-results' }, ...parts);
    const first = r.curves.find((p) => p.severity !== 0);
    if (first) {
      const worst = r.curves.filter((p) => p.perturbation === first.perturbation).at(-1)!;
      this.pick(first.perturbation, worst.severity);
    }
  }

  /** Shows the examples of one point of a curve. */
  pick(kind: string, severity: number): void {
    const r = this.report;
    const name = (c: number) => className(r.data.classNames, c);
    const examples = r.examples.filter((e) => e.perturbation === kind && e.severity === severity);
    this.drillTitle.textContent = severity === 0 ? `${kind} at severity 0 is the clean data.` : `${PERTURBATION_INFO[kind as keyof typeof PERTURBATION_INFO]?.title ?? kind} at ${severity}: ${examples.length} sample${examples.length === 1 ? '' : 's'}`;
    this.drill.replaceChildren(severity === 0 ? h('span') : exampleGrid(examples, name, r.task === 'classification', sourceKindOf(r.data.format), 'No sample kept for this point.'));
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
}
