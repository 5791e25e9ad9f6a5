/**
 * The curve charts of a classification report: ROC and precision–recall per class (one-vs-rest,
 * as the metrics core computed them) with an HTML legend that names each class with its AUC / AP
 * and toggles it (a button, so the keyboard reaches it), and the reliability diagram. Chart.js,
 * coloured from the theme and re-coloured by `retheme()`.
 */
import {
  BarController, BarElement, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { PrCurve, ReliabilityBin, RocCurve } from '../../src/shared/metricTypes';
import { h } from '../ui/dom';
import { applyTheme, canvasIn, chartColours, seriesColours, type ThemedChart } from '../ui/charts';
import { classColours, referenceColour } from './evalTheme';
import { formatMetric } from './metricInfo';

Chart.register(BarController, BarElement, LinearScale, LineController, LineElement, PointElement, ScatterController, Legend, Tooltip);

type Point = { x: number; y: number };

export interface CurveChart extends ThemedChart {
  readonly element: HTMLElement;
  /** Binary: the operating point of the current threshold (null hides it). */
  mark(point: Point | null): void;
}

/** Axis options shared by the evaluation charts (the text colour is re-applied by `applyTheme`). */
export function axis(title: string, opts: { min?: number; max?: number; percent?: boolean; ticks?: number } = {}) {
  const c = chartColours();
  const font = { family: c.font };
  return {
    type: 'linear' as const,
    min: opts.min,
    max: opts.max,
    title: { display: true, text: title, color: c.text, font },
    ticks: { color: c.text, font, maxTicksLimit: opts.ticks ?? 6, maxRotation: 0, callback: opts.percent ? (v: string | number) => `${Math.round(Number(v) * 100)}%` : undefined },
    grid: { color: c.grid },
  };
}

export function chartOptions() {
  return { animation: false as const, responsive: true, maintainAspectRatio: false, interaction: { mode: 'nearest' as const, intersect: false } };
}

interface CurveSeries {
  label: number;
  name: string;
  points: Point[];
  /** "AUC 0.993" / "AP 0.981", or why the curve is undefined. */
  value: string;
  undefinedReason?: string;
}

/**
 * Per-class curves with a chance/baseline line and an optional operating point. Classes toggle
 * from the legend; with many classes only the first `initiallyShown` start visible.
 */
function curveChart(kind: 'roc' | 'pr', series: CurveSeries[], opts: { baseline: Point[]; xTitle: string; yTitle: string; ariaLabel: string; testid: string; initiallyShown: number; headline: string }): CurveChart {
  const canvasBox = h('div', { class: 'eval-chart', 'data-testid': opts.testid });
  const legend = h('div', { class: 'eval-legend', role: 'group', 'aria-label': `${kind === 'roc' ? 'ROC' : 'Precision–recall'} curves shown` });
  const element = h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head' }, h('span', { class: 'muted' }, opts.headline)), canvasBox, legend);
  const colours = () => classColours(series.length);
  const shown = series.map((s, i) => !s.undefinedReason && i < opts.initiallyShown);
  const lineData = (): ChartDataset<'line', Point[]>[] => {
    const col = colours();
    return [
      ...series.map((s, i) => ({
        label: s.name, data: s.points, hidden: !shown[i], borderColor: col[i], backgroundColor: col[i], borderWidth: 1.6, pointRadius: 0, pointHoverRadius: 3, tension: 0,
        // A curve along y = 1 or x = 0 sits on the plot's edge: let it draw over the border.
        clip: 4,
      })),
      { label: kind === 'roc' ? 'chance' : 'baseline', data: opts.baseline, borderColor: referenceColour(), borderDash: [4, 4], borderWidth: 1, pointRadius: 0, pointHoverRadius: 0 },
      { label: 'threshold', data: [], showLine: false, pointRadius: 5, pointHoverRadius: 6, borderWidth: 2, borderColor: chartColours().text, backgroundColor: 'transparent', clip: 8 },
    ];
  };
  const chart = new Chart(canvasIn(canvasBox, opts.ariaLabel), {
    type: 'line',
    data: { datasets: lineData() },
    options: {
      ...chartOptions(),
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex < series.length || item.dataset.label === 'threshold',
          callbacks: {
            label: (item) => ` ${item.dataset.label}: ${opts.xTitle.toLowerCase()} ${formatMetric('accuracy', item.parsed.x)}, ${opts.yTitle.toLowerCase()} ${formatMetric('accuracy', item.parsed.y)}`,
          },
        },
      },
      layout: { padding: { top: 6, right: 6 } },
      scales: { x: axis(opts.xTitle, { min: 0, max: 1 }), y: axis(opts.yTitle, { min: 0, max: 1 }) },
    },
  });
  const swatches: HTMLElement[] = [];
  series.forEach((s, i) => {
    const swatch = h('span', { class: 'eval-swatch', 'aria-hidden': 'true' });
    swatches.push(swatch);
    const b = h('button', {
      class: 'eval-legend-item', type: 'button', 'aria-pressed': String(shown[i]), disabled: Boolean(s.undefinedReason),
      title: s.undefinedReason ?? `Show or hide class ${s.name}`, 'data-class': s.label,
    }, swatch, h('span', { class: 'eval-legend-name' }, s.name), h('span', { class: 'muted mono' }, s.value));
    b.addEventListener('click', () => {
      shown[i] = !shown[i];
      b.setAttribute('aria-pressed', String(shown[i]));
      chart.setDatasetVisibility(i, shown[i]);
      chart.update();
    });
    legend.append(b);
  });
  if (series.length > 3) {
    const all = h('button', { class: 'link eval-legend-all', type: 'button' }, 'all');
    const none = h('button', { class: 'link eval-legend-all', type: 'button' }, 'none');
    const setAll = (on: boolean) => {
      series.forEach((s, i) => {
        shown[i] = on && !s.undefinedReason;
        chart.setDatasetVisibility(i, shown[i]);
      });
      legend.querySelectorAll('.eval-legend-item').forEach((b, i) => b.setAttribute('aria-pressed', String(shown[i])));
      chart.update();
    };
    all.addEventListener('click', () => setAll(true));
    none.addEventListener('click', () => setAll(false));
    legend.append(h('span', { class: 'eval-legend-bulk muted' }, 'show ', all, ' · ', none));
  }
  const paintSwatches = () => colours().forEach((c, i) => (swatches[i].style.background = c));
  paintSwatches();
  return {
    element,
    mark(point) {
      chart.data.datasets[series.length + 1].data = point ? [point] : [];
      chart.update('none');
    },
    retheme() {
      const col = colours();
      applyTheme(chart, () => chart.data.datasets.forEach((d, i) => {
        if (i < series.length) {
          d.borderColor = col[i];
          d.backgroundColor = col[i];
        } else if (i === series.length) d.borderColor = referenceColour();
        else d.borderColor = chartColours().text;
      }));
      paintSwatches();
    },
    destroy: () => chart.destroy(),
  };
}

/** Curves drawn at most: with more classes, the ones with the lowest AUC / AP (the hard ones). */
export const MAX_CURVES = 24;

/** The curves to draw, in class order, and the headline's note when some were left out. */
function hardest<C extends { label: number }>(curves: C[], value: (c: C) => number | null, what: string): { kept: C[]; note: string } {
  if (curves.length <= MAX_CURVES) return { kept: curves, note: '' };
  const order = [...curves].sort((a, b) => (value(a) ?? Infinity) - (value(b) ?? Infinity) || a.label - b.label);
  const kept = order.slice(0, MAX_CURVES).sort((a, b) => a.label - b.label);
  return { kept, note: ` · the ${MAX_CURVES} classes with the lowest ${what} of ${curves.length}` };
}

/** ROC curves, one per class (binary: the positive class only). */
export function rocChart(all: RocCurve[], name: (c: number) => string, headline: string, initiallyShown = 10): CurveChart {
  const { kept: curves, note } = hardest(all, (c) => c.auc, 'AUC');
  headline += note;
  const series = curves.map((c) => ({
    label: c.label, name: name(c.label), points: c.fpr.map((x, i) => ({ x, y: c.tpr[i] })),
    value: c.undefinedReason ? 'undefined' : `AUC ${formatMetric('rocAucMacro', c.auc)}`, undefinedReason: c.undefinedReason,
  }));
  return curveChart('roc', series, {
    baseline: [{ x: 0, y: 0 }, { x: 1, y: 1 }], xTitle: 'False positive rate', yTitle: 'True positive rate', ariaLabel: 'ROC curves per class', testid: 'roc-chart', initiallyShown, headline,
  });
}

/** Precision–recall curves; `prevalence` (binary) draws the no-skill line at the positive share. */
export function prChart(all: PrCurve[], name: (c: number) => string, headline: string, prevalence: number | null, initiallyShown = 10): CurveChart {
  const { kept: curves, note } = hardest(all, (c) => c.averagePrecision, 'AP');
  headline += note;
  const series = curves.map((c) => ({
    label: c.label, name: name(c.label), points: c.recall.map((x, i) => ({ x, y: c.precision[i] })), value: `AP ${formatMetric('averagePrecisionMacro', c.averagePrecision)}`,
  }));
  return curveChart('pr', series, {
    baseline: prevalence === null ? [] : [{ x: 0, y: prevalence }, { x: 1, y: prevalence }], xTitle: 'Recall', yTitle: 'Precision', ariaLabel: 'Precision–recall curves per class', testid: 'pr-chart', initiallyShown, headline,
  });
}

/**
 * Reliability diagram: per confidence bin, the accuracy (bars) against the mean confidence
 * (points); a calibrated model's bars reach the diagonal.
 */
export function reliabilityChart(container: HTMLElement, bins: ReliabilityBin[]): ThemedChart {
  const mid = (b: ReliabilityBin) => (b.lower + b.upper) / 2;
  const colours = seriesColours();
  const chart = new Chart(canvasIn(container, 'Reliability diagram: accuracy against confidence per bin'), {
    type: 'bar',
    data: {
      datasets: [
        { type: 'bar', label: 'accuracy', data: bins.map((b) => ({ x: mid(b), y: b.accuracy ?? NaN })), backgroundColor: colours[0], borderWidth: 0, barPercentage: 0.92, categoryPercentage: 1, order: 2 },
        { type: 'line', label: 'mean confidence', data: bins.map((b) => ({ x: mid(b), y: b.meanConfidence ?? NaN })), borderColor: colours[1], backgroundColor: colours[1], showLine: false, pointRadius: 3.5, order: 1 },
        { type: 'line', label: 'perfect calibration', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], borderColor: referenceColour(), borderDash: [4, 4], borderWidth: 1, pointRadius: 0, order: 0 },
      ] as ChartDataset<'bar', Point[]>[],
    },
    options: {
      ...chartOptions(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { display: true, position: 'top', align: 'end', labels: { color: chartColours().text, boxWidth: 12, font: { family: chartColours().font } } },
        tooltip: {
          filter: (item) => item.datasetIndex < 2,
          callbacks: {
            title: (items) => {
              const b = bins[items[0]?.dataIndex ?? 0];
              return b ? `confidence ${b.lower.toFixed(2)}–${b.upper.toFixed(2)}: ${b.count} samples` : '';
            },
            label: (item) => ` ${item.dataset.label} ${Number.isFinite(item.parsed.y) ? formatMetric('accuracy', item.parsed.y) : '–'}`,
          },
        },
      },
      scales: { x: { ...axis('Confidence (probability of the predicted class)', { min: 0, max: 1 }), offset: false }, y: axis('Accuracy', { min: 0, max: 1 }) },
    },
  });
  return {
    retheme: () => applyTheme(chart, (c) => {
      const d = chart.data.datasets;
      d[0].backgroundColor = c[0];
      d[1].borderColor = c[1];
      d[1].backgroundColor = c[1];
      d[2].borderColor = referenceColour();
    }),
    destroy: () => chart.destroy(),
  };
}

