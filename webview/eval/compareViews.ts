/**
 * Two-sided views: the same model on two datasets (splits: each headline metric side by side, the
 * gap highlighted when large — the over-fitting check), and two models on the same samples (each
 * metric's paired-bootstrap delta with its interval, and the samples they disagree on).
 */
import type { HeadlineMetric, MetricDelta } from '../../src/shared/metricTypes';
import type { EvalComparison, EvalReport, EvalSplits } from '../../src/shared/evalReport';
import { h, icon } from '../ui/dom';
import { baseName } from '../format';
import { formatDelta, formatMetric, formatRange, higherIsBetter, largeGapSide, metricLabel } from './metricInfo';

function table(className: string, testid: string, head: string[], rows: HTMLElement[]): HTMLElement {
  return h('div', { class: 'run-table-scroll' },
    h('table', { class: `run-table ${className}`, 'data-testid': testid },
      h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
      h('tbody', {}, ...rows)));
}

/** The splits side by side; a metric whose gap is large in either direction is highlighted. */
export function splitsView(report: EvalReport, splits: EvalSplits): HTMLElement {
  const [first, second] = splits.names;
  const large: { metric: HeadlineMetric; better: string; worse: string }[] = [];
  const rows = splits.comparison.gaps.map((g) => {
    const side = largeGapSide(g);
    if (side) large.push({ metric: g.metric, better: side === 'first' ? first : second, worse: side === 'first' ? second : first });
    // The gap sits between the two splits' columns: its size, an arrow towards the better one
    // (whose value is bold).
    const better = g.gap === null || g.gap === 0 ? null : g.gap > 0 ? first : second;
    const size = g.gap === null ? '–' : formatMetric(g.metric, Math.abs(g.gap));
    const why = better ? `${better} scores better by ${size} (${higherIsBetter(g.metric) ? 'higher' : 'lower'} is better)` : 'no difference';
    return h('tr', { class: side ? 'eval-gap-large' : '', 'data-metric': g.metric },
      h('th', { scope: 'row' }, metricLabel(g.metric)),
      h('td', { class: `num mono${better === first ? ' eval-better' : ''}` }, formatMetric(g.metric, g.first)),
      h('td', {
        class: 'num mono eval-gap', 'data-testid': 'split-gap', 'data-metric': g.metric, 'data-large': side ? 'true' : 'false',
        'data-better': better === null ? '' : better === first ? 'first' : 'second', title: why, 'aria-label': why,
      }, side ? icon('warning') : null, better === first ? icon('arrow-left') : null, size, better === second ? icon('arrow-right') : null),
      h('td', { class: `num mono${better === second ? ' eval-better' : ''}` }, formatMetric(g.metric, g.second)));
  });
  const sizes = `${report.data.samples.toLocaleString('en-US')} vs ${splits.data.samples.toLocaleString('en-US')} samples`;
  const summary = large.length
    ? h('div', { class: 'banner warning eval-gap-banner', role: 'note' }, icon('warning'), h('span', { class: 'banner-text' },
      `Large gap: ${large.map((l) => `${l.better} scores better than ${l.worse} on ${metricLabel(l.metric)}`).join('; ')}. `,
      'When the better split is the training data, the model has learned it better than it generalises (over-fitting).'))
    : h('p', { class: 'muted' }, 'No large gap between the splits on any headline metric.');
  return h('div', { class: 'eval-splits', 'data-testid': 'eval-splits' },
    summary,
    table('eval-splits-table', 'eval-splits-table', ['metric', first, 'gap', second], rows),
    h('p', { class: 'muted run-hint' }, `${sizes}. Highlighted: gaps over 0.05 on rates, or over 10 % of the value on log loss and errors.`));
}

function verdict(d: MetricDelta): { text: string; cls: string } {
  if (d.delta === null) return { text: '–', cls: '' };
  if (!d.significant) return { text: 'no clear difference', cls: 'muted' };
  const better = (d.delta > 0) === higherIsBetter(d.metric);
  return better ? { text: 'B better', cls: 'eval-right' } : { text: 'B worse', cls: 'eval-wrong' };
}

/** Model A (this report's) against model B: deltas b − a with paired 95% intervals. */
export function comparisonView(report: EvalReport, comparison: EvalComparison, showDisagreeing: () => void): HTMLElement {
  const a = baseName(report.model.path);
  const b = baseName(comparison.model.path);
  const deltas = comparison.classification?.deltas ?? comparison.regression?.deltas ?? [];
  const rows = deltas.map((d) => {
    const v = verdict(d);
    return h('tr', { 'data-metric': d.metric, class: d.significant ? 'eval-significant' : '' },
      h('th', { scope: 'row' }, metricLabel(d.metric)),
      h('td', { class: 'num mono' }, formatMetric(d.metric, d.a)),
      h('td', { class: 'num mono' }, formatMetric(d.metric, d.b)),
      h('td', { class: 'num mono', 'data-testid': 'comparison-delta' }, formatDelta(d.metric, d.delta)),
      h('td', { class: 'num mono muted' }, d.interval ? formatRange(d.metric, d.interval) : '–'),
      h('td', { class: `num ${v.cls}` }, v.text));
  });
  const dis = comparison.classification?.disagreement;
  let disagreement: HTMLElement | null = null;
  if (dis) {
    const count = (label: string, n: number) => h('div', { class: 'eval-tc' }, h('span', { class: 'muted' }, label), h('span', { class: 'mono' }, n.toLocaleString('en-US')));
    const button = h('button', { class: 'link', type: 'button', 'data-testid': 'comparison-disagreeing', disabled: dis.count === 0 }, `Show the ${dis.count.toLocaleString('en-US')} samples they disagree on`);
    button.addEventListener('click', showDisagreeing);
    disagreement = h('div', { class: 'eval-disagreement' },
      h('h4', { class: 'eval-subtitle' }, 'Where the predictions differ'),
      h('div', { class: 'eval-tc-grid four' },
        count('both right', dis.bothCorrect), count('only A right', dis.onlyACorrect), count('only B right', dis.onlyBCorrect), count('both wrong', dis.bothWrong)),
      button);
  }
  const level = deltas.find((d) => d.interval)?.interval?.level ?? 0.95;
  return h('div', { class: 'eval-comparison', 'data-testid': 'eval-comparison' },
    h('p', {}, h('strong', {}, 'A'), ` ${a} · `, h('strong', {}, 'B'), ` ${b} (output '${comparison.output.name}')`),
    table('eval-comparison-table', 'comparison-table', ['metric', 'A', 'B', 'Δ (B − A)', `${Math.round(level * 100)}% CI of Δ`, ''], rows),
    h('p', { class: 'muted run-hint' }, 'Intervals from a paired bootstrap: both models on the same resamples, so they show how the models differ on the same samples.'),
    disagreement);
}
