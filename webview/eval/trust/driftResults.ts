/**
 * One drift report, drawn: what was compared, how many features (and model outputs) drifted, a
 * table of the features sorted by PSI with their test and p-value, and — for the feature clicked —
 * its distribution on both datasets. Shared by the Evaluate tab and the standalone report page.
 */
import type { DriftFeature, DriftReport } from '../../../src/shared/driftReport';
import { h, icon } from '../../ui/dom';
import { baseName } from '../../format';
import { shareBar } from '../../ui/controls';
import { histogramPairChart } from '../distributionCharts';
import { card, cards, num, trustSection } from './cards';
import { chartBox, ChartSet } from './chartSet';
import { barPairChart } from './trustCharts';

const p = (v: number) => (v < 1e-4 && v > 0 ? v.toExponential(1) : v.toFixed(4));

export class DriftResults {
  readonly element: HTMLElement;
  private readonly charts = new ChartSet();
  private readonly chartCharts = new ChartSet();
  private readonly detail: HTMLElement;
  private readonly rows = new Map<string, HTMLElement>();

  constructor(private readonly report: DriftReport, savedNote: HTMLElement | null) {
    const r = report;
    const all = [...r.features, ...r.outputs];
    const top = r.features[0];
    this.detail = h('div', { class: 'trust-drift-detail', 'data-testid': 'drift-detail' });
    const facts = h('div', { class: 'eval-facts' },
      h('p', { class: 'eval-facts-main' }, h('strong', { title: r.current.path }, baseName(r.current.path)), ` (${r.current.rows.toLocaleString('en-US')} rows) against `, h('strong', { title: r.reference.path }, baseName(r.reference.path)), ` (${r.reference.rows.toLocaleString('en-US')} rows)`),
      h('p', { class: 'muted eval-facts-detail' }, `drifted = the test is significant at α = ${r.settings.alpha} after Bonferroni over the features, and PSI ≥ ${r.settings.psiDrift}${r.model ? ` · outputs of ${baseName(r.model.path)}` : ''} · ${(r.timing.totalMs / 1000).toFixed(1)} s · ${new Date(r.createdAt).toLocaleString()}`));
    const outputsDrifted = r.outputs.filter((f) => f.drifted).length;
    const summary = cards(
      card('Features drifted', `${r.features.filter((f) => f.drifted).length} of ${r.features.length}`, null, { 'data-testid': 'drift-count' }),
      top ? card('Largest PSI', num(top.psi, 3), top.name) : null,
      r.outputs.length ? card('Outputs drifted', `${outputsDrifted} of ${r.outputs.length}`, r.model ? baseName(r.model.path) : null, { 'data-testid': 'drift-outputs-count' }) : null,
    );
    const maxPsi = Math.max(0.25, ...all.map((f) => f.psi));
    const parts: (HTMLElement | null)[] = [
      h('div', { class: 'eval-overview' }, facts, savedNote, r.warnings.length ? h('ul', { class: 'eval-warnings' }, ...r.warnings.map((w) => h('li', { class: 'banner warning' }, w))) : null, summary),
      trustSection('features', 'Features', 'list-ordered', 'Largest population stability index first; numbers are compared by the two-sample Kolmogorov–Smirnov test, categories by chi-square. Click a feature for its distributions.',
        h('div', { class: 'trust-drift-split' }, this.table(r.features, maxPsi, 'drift-features'), this.detail)),
    ];
    if (r.outputs.length) parts.push(trustSection('outputs', 'Model outputs', 'symbol-numeric', 'The model run on both datasets: each class\'s probability and the predicted class (or the prediction), compared the same way.', this.table(r.outputs, maxPsi, 'drift-outputs')));
    this.element = h('div', { class: 'eval-results', 'data-testid': 'drift-results' }, ...parts);
    if (all.length) this.select(all.find((f) => f.drifted) ?? all[0]);
  }

  private table(features: DriftFeature[], maxPsi: number, testid: string): HTMLElement {
    const body = features.map((f) => {
      const name = h('button', { class: 'link', type: 'button' }, f.name);
      const row = h('tr', { class: f.drifted ? 'trust-drifted' : '', 'data-testid': 'drift-row', 'data-feature': f.name },
        h('td', {}, name),
        h('td', { class: 'muted' }, f.kind === 'numeric' ? 'number' : 'category'),
        h('td', {}, shareBar(f.psi / maxPsi, num(f.psi, 3))),
        h('td', { class: 'num' }, f.ks !== null ? `KS ${f.ks.toFixed(3)}` : f.chiSquare !== null ? `χ² ${f.chiSquare.toFixed(1)}` : '–'),
        h('td', { class: 'num' }, p(f.pValue)),
        h('td', {}, f.drifted ? h('span', { class: 'trust-badge' }, icon('warning'), 'drifted') : ''));
      name.addEventListener('click', () => this.select(f));
      this.rows.set(`${testid}:${f.name}`, row);
      return row;
    });
    return h('div', { class: 'eval-tall-table' }, h('table', { class: 'run-table trust-drift-table', 'data-testid': testid },
      h('thead', {}, h('tr', {}, h('th', {}, 'feature'), h('th', {}, 'kind'), h('th', {}, 'PSI'), h('th', {}, 'test'), h('th', {}, 'p-value'), h('th', {}, ''))),
      h('tbody', {}, ...body)));
  }

  /** Draws one feature's distributions on both datasets. */
  select(f: DriftFeature): void {
    this.chartCharts.destroy();
    for (const row of this.rows.values()) row.removeAttribute('aria-selected');
    for (const [key, row] of this.rows) if (key.endsWith(`:${f.name}`)) row.setAttribute('aria-selected', 'true');
    const box = chartBox('drift-chart');
    const hist = f.histogram;
    const names: [string, string] = [`${baseName(this.report.reference.path)} (reference)`, baseName(this.report.current.path)];
    this.chartCharts.add(() => (hist.edges && hist.edges.length > 1
      ? histogramPairChart(box, { edges: hist.edges, a: hist.reference, b: hist.current, totalA: hist.reference.reduce((x, y) => x + y, 0), totalB: hist.current.reduce((x, y) => x + y, 0) }, names, f.name, `${f.name} on both datasets`, 'classes')
      : barPairChart(box, hist.labels, hist.reference, hist.current, names, `${f.name} on both datasets`)));
    const side = (label: string, s: DriftFeature['reference']) => `${label}: ${s.count.toLocaleString('en-US')} values${s.missing ? `, ${s.missing} missing` : ''}${s.mean !== null ? `, mean ${Number(s.mean.toPrecision(4))} ± ${Number((s.std ?? 0).toPrecision(3))}` : ''}`;
    this.detail.replaceChildren(
      h('p', { class: 'trust-drill-title', 'data-testid': 'drift-detail-title' }, h('strong', {}, f.name), ` · PSI ${num(f.psi, 3)} · p ${p(f.pValue)}${f.drifted ? ' · drifted' : ''}`),
      h('div', { class: 'eval-chart-card' }, box),
      h('p', { class: 'muted' }, side('reference', f.reference), h('br'), side('current', f.current)));
    if (this.mounted) this.chartCharts.mount();
  }

  private mounted = false;

  mount(): void {
    this.mounted = true;
    this.charts.mount();
    this.chartCharts.mount();
  }

  retheme(): void {
    this.charts.retheme();
    this.chartCharts.retheme();
  }

  destroy(): void {
    this.charts.destroy();
    this.chartCharts.destroy();
  }
}
