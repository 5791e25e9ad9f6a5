/**
 * A quantization report (onnx-lens.quant/1) on the standalone page: the Quantize tab's views
 * (facts, headline cards, per-node error) without its actions — there is no host to quantize
 * again or show a node on the graph — plus what the tab leaves to the CLI's text: sparsity per
 * layer, the sensitivity scan and the nodes left alone.
 */
import type { QuantReport } from '../../src/shared/quantReport';
import { h, icon } from '../ui/dom';
import { nodeTable } from '../quantize/nodeTable';
import { factsLine, headlineCards, pct } from '../quantize/reportView';

const table = (head: string[], rows: (string | HTMLElement)[][], testid: string, numeric: number[] = []) =>
  h('div', { class: 'run-table-scroll' }, h('table', { class: 'run-table quant-table', 'data-testid': testid },
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', numeric.includes(i) ? { class: 'num' } : {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', numeric.includes(i) ? { class: 'num' } : {}, c)))))));

function section(id: string, title: string, note: string, body: HTMLElement): HTMLElement {
  return h('section', { class: 'quant-node-section report-section', id: `quant-${id}` },
    h('div', { class: 'quant-node-head' }, h('h3', { class: 'eval-subtitle' }, title, note ? h('span', { class: 'muted' }, ` · ${note}`) : '')),
    body);
}

export interface QuantPage {
  element: HTMLElement;
  sections: { id: string; title: string }[];
}

export function quantPage(r: QuantReport): QuantPage {
  const sections: { id: string; title: string; el: HTMLElement }[] = [];
  if (r.comparison || !r.nodes.some((n) => n.sparsity)) {
    sections.push({ id: 'nodes', title: 'Per-node error', el: section('nodes', 'Per-node error', `worst first · ${r.comparison?.samples ?? 0} samples`, h('div', { class: 'run-table-scroll' }, nodeTable(r, null))) });
  }
  const pruned = r.nodes.filter((n) => n.sparsity);
  if (pruned.length) {
    sections.push({ id: 'sparsity', title: 'Sparsity', el: section('sparsity', 'Sparsity per layer', `${r.settings.pruneScope ?? 'layer'} scope`,
      table(['Node', 'Op', 'Before', 'After'], pruned.map((n) => [h('span', { class: 'mono' }, n.node), n.opType, pct(n.sparsity!.before), pct(n.sparsity!.after)]), 'quant-sparsity-table', [2, 3])) });
  }
  const s = r.sensitivity;
  if (s) {
    const unit = (x: number) => (s.metric === 'accuracy-drop' ? `${(100 * x).toFixed(2)} pts` : x.toPrecision(3));
    sections.push({ id: 'sensitivity', title: 'Sensitivity', el: section('sensitivity', 'Sensitivity scan',
      `${s.metric} ≤ ${unit(s.budget)}: reached ${unit(s.finalError)}${s.met ? '' : ' (budget not met)'}, ${s.kept} kept in float32`,
      table(['Node', 'Op', 'Tried', 'Error alone', 'Chosen'], s.layers.map((l) => [h('span', { class: 'mono' }, l.node), l.opType, l.tried, unit(l.error), l.chosen]), 'quant-sensitivity-table', [3])) });
  }
  if (r.skipped.length) {
    sections.push({ id: 'skipped', title: 'Left alone', el: section('skipped', 'Left as they were', `${r.skipped.length} node${r.skipped.length === 1 ? '' : 's'}`,
      table(['Node', 'Op', 'Reason'], r.skipped.map((n) => [h('span', { class: 'mono' }, n.node), n.opType, n.reason]), 'quant-skipped-table')) });
  }
  const warnings = r.warnings.length ? h('ul', { class: 'eval-warnings' }, ...r.warnings.map((w) => h('li', { class: 'banner warning' }, icon('warning'), h('span', {}, w)))) : '';
  const element = h('div', { class: 'eval-results quant-results', 'data-testid': 'quant-results' },
    h('div', { class: 'eval-overview' }, factsLine(r), warnings, headlineCards(r)),
    ...sections.map((x) => x.el));
  return { element, sections: sections.map(({ id, title }) => ({ id, title })) };
}
