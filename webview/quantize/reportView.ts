/**
 * One quantization report, read-only: the facts line, headline cards (size with its ratio,
 * latency, accuracy with the bootstrap interval of the change, output agreement), and, when an
 * earlier report is given, a table of both runs side by side. The per-node table is nodeTable.ts.
 */
import { excludedNodes, type QuantReport } from '../../src/shared/quantReport';
import { h, icon } from '../ui/dom';
import { baseName, formatBytes } from '../format';

export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(digits)}%`);
const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 1 ? `${x.toFixed(2)} ms` : `${(x * 1000).toFixed(0)} µs`);
const ratio = (x: number) => `${x.toFixed(2)}×`;
const sci = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? x.toPrecision(3) : x.toExponential(2));

/** A headline card; `detail` wraps rather than being cut off, a list of parts one per line. */
function card(label: string, value: string, detail: string | string[], testid: string, tone?: 'good' | 'bad', wide = false): HTMLElement {
  const lines = typeof detail === 'string' ? [detail] : detail;
  return h('div', { class: `eval-metric quant-card${tone ? ` ${tone}` : ''}${wide ? ' wide' : ''}`, 'data-testid': `${testid}-card` },
    h('div', { class: 'eval-metric-label' }, label),
    h('div', { class: 'eval-metric-value', 'data-testid': testid }, value),
    h('div', { class: 'eval-metric-ci muted', title: lines.join(' ') }, ...lines.map((line) => h('div', {}, line))));
}

export function agreementText(r: QuantReport): { value: string; detail: string } {
  const c = r.comparison;
  const hl = c?.headline;
  if (!c || !hl) return { value: '–', detail: 'not compared' };
  const on = c.source === 'random' ? `${c.samples} random samples` : `${c.samples} samples of ${baseName(c.data ?? '')}`;
  return hl.kind === 'top1'
    ? { value: pct(hl.top1), detail: `top-1 agreement, ${on}` }
    : { value: sci(hl.maxAbsError), detail: `max abs error (mean ${sci(hl.meanAbsError)}), ${on}` };
}

function accuracyCard(r: QuantReport): HTMLElement {
  const a = r.accuracy;
  if (!a) {
    const c = r.comparison?.accuracy;
    return c ? card('Accuracy', `${pct(c.before)} → ${pct(c.after)}`, 'top-1 on the comparison samples', 'quant-accuracy')
      : card('Accuracy', '–', 'no labelled evaluation data chosen', 'quant-accuracy');
  }
  const points = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;
  const ci = a.deltaCi ? ` (${Math.round(100 * a.deltaCi.level)}% CI ${points(a.deltaCi.low)} … ${points(a.deltaCi.high)})` : '';
  return card('Accuracy', `${pct(a.before)} → ${pct(a.after)}`, `${points(a.delta)} points${ci}, ${a.samples} samples of ${baseName(a.data)}`, 'quant-accuracy', a.delta < -0.01 ? 'bad' : undefined);
}

/** Mixed precision's budget as checked: the errors at batch 1 and at the batch the model runs at, on rows the scan did not see. */
function budgetCard(s: NonNullable<QuantReport['sensitivity']>): HTMLElement {
  const value = (x: number | null) => (x === null ? '–' : s.metric === 'accuracy-drop' ? `${(100 * x).toFixed(2)} pts` : sci(x));
  const rows = s.check.source === 'eval' ? `${s.check.samples} held-out rows of ${baseName(s.check.data ?? '')}`
    : s.check.source === 'calibration-split' ? `${s.check.samples} held-out calibration rows` : `the ${s.check.samples} calibration rows`;
  return card('Error budget', `${value(s.finalError)} ≤ ${value(s.budget)}${s.met ? '' : ' ✗'}`,
    // No break inside 'batch 32: 2.98e-3' (a no-break space), only between the figures.
    [`batch\u00a01:\u00a0${value(s.errors.batch1)} · batch\u00a0${s.check.batch}:\u00a0${value(s.errors.batch)} on ${rows}`, `${value(s.errors.scan)} on the rows the scan ranked layers on`],
    'quant-budget', s.met ? 'good' : 'bad', true);
}

export function headlineCards(r: QuantReport): HTMLElement {
  const l = r.latency;
  const agree = agreementText(r);
  return h('div', { class: 'eval-headline quant-headline' },
    card('Size', ratio(r.size.ratio), `${formatBytes(r.size.before)} → ${formatBytes(r.size.after)}`, 'quant-size-ratio', r.size.ratio < 1 ? 'good' : undefined),
    l ? card('Latency p50', ratio(l.ratio), `${ms(l.before.p50)} → ${ms(l.after.p50)} (${l.after.runs} runs)`, 'quant-latency', l.ratio < 1 ? 'good' : l.ratio > 1.1 ? 'bad' : undefined)
      : card('Latency p50', '–', 'not measured', 'quant-latency'),
    accuracyCard(r),
    card('Output agreement', agree.value, agree.detail, 'quant-agreement'),
    r.sensitivity ? budgetCard(r.sensitivity) : '');
}

export function factsLine(r: QuantReport): HTMLElement {
  const s = r.settings;
  // fp16 and pruning have no integer weights, so no scales or ranges to describe.
  const integer = s.mode !== 'fp16' && s.mode !== 'prune';
  const scheme = [s.mode, s.bits ? `${s.bits}-bit` : '',
    s.mode === 'prune' ? `${pct(s.sparsity ?? 0.5, 0)} sparsity` : '', s.mode === 'prune' ? `${s.pruneScope ?? 'layer'} scope` : '',
    !integer ? '' : s.perChannel === false ? 'per-tensor' : 'per-channel', !integer ? '' : s.symmetric === false ? 'asymmetric' : 'symmetric'].filter(Boolean).join(', ');
  const excluded = excludedNodes(r);
  return h('div', { class: 'eval-facts' },
    h('p', { class: 'eval-facts-main' }, h('strong', {}, baseName(r.model.path)), ' → ', h('strong', { 'data-testid': 'quant-output' }, baseName(r.output.path))),
    h('p', { class: 'eval-facts-detail muted' },
      `${scheme} · ${r.summary.rewritten} node${r.summary.rewritten === 1 ? '' : 's'} rewritten${r.summary.skipped ? `, ${r.summary.skipped} left as they were` : ''}${excluded ? ` · ${excluded} node${excluded === 1 ? '' : 's'} excluded` : ''} · ${(r.timing.totalMs / 1000).toFixed(2)} s · ${r.createdAt.slice(0, 16).replace('T', ' ')}`));
}

/** The earlier run and this one, metric by metric. */
export function sideBySide(previous: QuantReport, current: QuantReport): HTMLElement {
  const worst = (r: QuantReport) => {
    const n = r.comparison?.nodes[0];
    return n ? (typeof n.sqnrDb === 'number' && Number.isFinite(n.sqnrDb) ? `${n.sqnrDb.toFixed(1)} dB (${n.node})` : 'exact') : '–';
  };
  const rows: [string, (r: QuantReport) => string][] = [
    ['Output', (r) => baseName(r.output.path)],
    ['Nodes excluded', (r) => String(excludedNodes(r))],
    ['Nodes rewritten', (r) => String(r.summary.rewritten)],
    ['Size', (r) => `${formatBytes(r.size.after)} (${ratio(r.size.ratio)})`],
    ['Latency p50', (r) => (r.latency ? `${ms(r.latency.after.p50)} (${ratio(r.latency.ratio)})` : '–')],
    ['Accuracy', (r) => (r.accuracy ? pct(r.accuracy.after) : '–')],
    ['Agreement', (r) => agreementText(r).value],
    ['Worst node SQNR', worst],
  ];
  return h('section', { class: 'quant-compare', 'data-testid': 'quant-compare' },
    h('h3', { class: 'eval-subtitle' }, icon('git-compare'), ' This run beside the previous one'),
    h('table', { class: 'run-table quant-table' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Previous'), h('th', {}, 'This run'))),
      h('tbody', {}, ...rows.map(([label, f]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, f(previous)), h('td', {}, f(current)))))));
}
