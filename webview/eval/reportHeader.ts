/**
 * The report's small pieces: headline metric cards (value, 95% interval, why a metric is
 * undefined), the one-line description of what was evaluated, warnings, threshold checks, and
 * where the report was saved.
 */
import type { HeadlineMetric, UndefinedMetric } from '../../src/shared/metricTypes';
import { passNotes, type EvalReport, type HeadlineValue } from '../../src/shared/evalReport';
import { clipped, h, icon } from '../ui/dom';
import { baseName, formatBytes } from '../format';
import { formatMs } from '../format';
import { formatRate } from '../ui/numbers';
import { formatInterval, formatMetric, higherIsBetter, METRIC_LABELS, metricLabel, undefinedReason } from './metricInfo';

function undefinedMetricsOf(report: EvalReport): UndefinedMetric[] {
  return report.classification?.undefinedMetrics ?? report.regression?.undefinedMetrics ?? [];
}

/** One card per headline metric, in report order (`data-metric` = the metric's name). */
export function headlineCards(report: EvalReport): HTMLElement {
  const undef = undefinedMetricsOf(report);
  const cards = (Object.entries(report.headline) as [HeadlineMetric, HeadlineValue][]).map(([metric, hv]) => {
    const info = METRIC_LABELS[metric];
    const reason = hv.value === null ? undefinedReason(metric, undef) ?? 'undefined for this data' : null;
    const direction = higherIsBetter(metric) ? 'higher is better' : 'lower is better';
    return h('div', { class: 'eval-metric', 'data-testid': 'eval-metric', 'data-metric': metric, title: `${info?.help ?? metric} (${direction})` },
      h('div', { class: 'eval-metric-label' }, metricLabel(metric)),
      h('div', { class: 'eval-metric-value', 'data-value': hv.value ?? '' }, formatMetric(metric, hv.value)),
      hv.ci ? h('div', { class: 'eval-metric-ci muted', 'data-testid': 'eval-metric-ci' }, formatInterval(metric, hv.ci)) : null,
      reason ? h('div', { class: 'eval-metric-ci muted' }, clipped(reason)) : null);
  });
  return h('div', { class: 'eval-headline', 'data-testid': 'eval-headline' }, ...cards);
}

/** "digits-mlp.onnx on digits-test.csv · 450 samples · 10 classes …" and the run's timing. */
export function reportFacts(report: EvalReport): HTMLElement {
  const d = report.data;
  const o = report.output;
  const m = report.classification;
  const task = report.task === 'regression' ? 'regression' : m ? `${m.task} classification, ${m.numClasses} classes` : 'classification';
  const names = report.task === 'regression' ? null : d.classNames ? `class names from ${d.classNamesSource ?? 'the data'}` : 'classes by index';
  const source = o.probabilitySource && o.probabilitySource !== 'probabilities' ? ` (${o.probabilitySource})` : '';
  const t = report.timing;
  return h('div', { class: 'eval-facts' },
    h('p', { class: 'eval-facts-main' },
      h('strong', {}, baseName(report.model.path)), ' on ', h('strong', { title: d.path }, baseName(d.path)),
      ` · ${d.samples.toLocaleString('en-US')} samples · ${task}`),
    h('p', { class: 'muted eval-facts-detail' },
      `${report.task === 'regression' ? 'target' : 'label'} column '${d.labelColumn}' · output '${o.name}' ${o.elemType}${source} · ${names ? `${names} · ` : ''}${d.format.toUpperCase()}, ${formatBytes(d.bytes)} · `,
      `${formatRate(t.samplesPerSecond)} (${formatMs(t.inferenceMs)} inference, batch ${t.batchSize}${passNotes(t)}) · ${new Date(report.createdAt).toLocaleString()}`));
}

export function warningsList(report: EvalReport): HTMLElement | null {
  if (!report.warnings.length) return null;
  return h('ul', { class: 'eval-warnings', 'data-testid': 'eval-warnings' },
    ...report.warnings.map((w) => h('li', { class: 'banner warning' }, icon('warning'), h('span', { class: 'banner-text' }, w))));
}

/** `--fail-under` checks, when the report has them. */
export function thresholdChecks(report: EvalReport): HTMLElement | null {
  if (!report.thresholds?.length) return null;
  return h('ul', { class: 'eval-checks', 'data-testid': 'eval-checks' }, ...report.thresholds.map((c) => h('li', { class: c.passed ? 'passed' : 'failed' },
    icon(c.passed ? 'pass' : 'error'),
    ` ${metricLabel(c.metric)} ${formatMetric(c.metric, c.value)} ${c.better === 'higher' ? '≥' : '≤'} ${formatMetric(c.metric, c.limit)}: ${c.passed ? 'passed' : 'failed'}`)));
}
