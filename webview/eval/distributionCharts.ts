/**
 * The distribution charts of a report: two overlaid score histograms (correct vs wrong, or
 * positive vs negative with the threshold drawn on), per-class precision/recall/F1 bars, and for
 * regression the residual histogram and predicted-vs-true scatter. Chart.js, themed like the rest.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, PointElement, ScatterController, Tooltip, type Plugin } from 'chart.js';
import type { PerClassRow, RegressionMetrics } from '../../src/shared/metricTypes';
import { applyTheme, axisLabel, canvasIn, chartColours, seriesColours, type ThemedChart } from '../ui/charts';
import { formatPercent, formatValue } from '../ui/numbers';
import type { TwoHistograms } from './drilldown';
import { axis, chartOptions } from './curveCharts';
import { goodBad, referenceColour } from './evalTheme';
import { formatMetric } from './metricInfo';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, PointElement, ScatterController, Legend, Tooltip);

type Point = { x: number; y: number };

function legendOptions() {
  const c = chartColours();
  return { display: true, position: 'top' as const, align: 'end' as const, labels: { color: c.text, boxWidth: 12, font: { family: c.font } } };
}

/** A vertical reference line at x (the threshold, zero residual), drawn over the bars. */
function verticalLine(at: () => number | null): Plugin {
  return {
    id: 'evalVerticalLine',
    afterDatasetsDraw(chart) {
      const x = at();
      if (x === null) return;
      const scale = chart.scales.x;
      const px = scale.getPixelForValue(x);
      if (!(px >= scale.left && px <= scale.right)) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = chartColours().text;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.restore();
    },
  };
}

export interface HistogramPairChart extends ThemedChart {
  /** Moves the threshold line (binary score histograms). */
  mark(x: number | null): void;
}

/**
 * Two histograms over the same edges ([0, 1] for scores) as shares of their own group (so a few wrong samples show beside many
 * correct ones); the tooltip gives the counts.
 */
export function histogramPairChart(container: HTMLElement, hist: TwoHistograms, names: [string, string], xTitle: string, ariaLabel: string, kind: 'outcome' | 'classes'): HistogramPairChart {
  const centre = (i: number) => (hist.edges[i] + hist.edges[i + 1]) / 2;
  const share = (counts: number[], total: number): Point[] => counts.map((n, i) => ({ x: centre(i), y: total ? n / total : 0 }));
  let marker: number | null = null;
  // Correct vs wrong in blue and red; two classes in the series colours (neither is "wrong").
  const colours = () => (kind === 'outcome' ? [goodBad().good, goodBad().bad] : seriesColours().slice(0, 2));
  const chart = new Chart(canvasIn(container, ariaLabel), {
    type: 'bar',
    data: {
      datasets: [
        { label: `${names[0]} (${hist.totalA})`, data: share(hist.a, hist.totalA), backgroundColor: colours()[0], borderWidth: 0, barPercentage: 1, categoryPercentage: 0.9 },
        { label: `${names[1]} (${hist.totalB})`, data: share(hist.b, hist.totalB), backgroundColor: colours()[1], borderWidth: 0, barPercentage: 1, categoryPercentage: 0.9 },
      ],
    },
    options: {
      ...chartOptions(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: legendOptions(),
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              return `${axisLabel(hist.edges[i])}–${axisLabel(hist.edges[i + 1])}`;
            },
            label: (item) => {
              const counts = item.datasetIndex === 0 ? hist.a : hist.b;
              return ` ${names[item.datasetIndex]}: ${counts[item.dataIndex]} (${formatPercent(item.parsed.y ?? 0)})`;
            },
          },
        },
      },
      scales: { x: { ...axis(xTitle, { min: hist.edges[0], max: hist.edges[hist.edges.length - 1] }), offset: false }, y: { ...axis('Share of the group', { min: 0, percent: true, ticks: 5 }) } },
    },
    plugins: [verticalLine(() => marker)],
  });
  return {
    mark(x) {
      marker = x;
      chart.update('none');
    },
    retheme: () => applyTheme(chart, () => {
      const c = colours();
      chart.data.datasets.forEach((d, i) => (d.backgroundColor = c[i]));
    }),
    destroy: () => chart.destroy(),
  };
}

/** Precision, recall and F1 of every class as grouped bars; the tooltip adds support and predictions. */
export function perClassChart(container: HTMLElement, rows: PerClassRow[], name: (c: number) => string): ThemedChart {
  const colours = seriesColours();
  const series: [keyof PerClassRow, string][] = [['precision', 'precision'], ['recall', 'recall'], ['f1', 'F1']];
  const c = chartColours();
  const chart = new Chart(canvasIn(container, 'Precision, recall and F1 per class'), {
    type: 'bar',
    data: {
      labels: rows.map((r) => name(r.label)),
      datasets: series.map(([key, label], i) => ({ label, data: rows.map((r) => r[key] as number), backgroundColor: colours[i], borderWidth: 0, maxBarThickness: 18 })),
    },
    options: {
      ...chartOptions(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: legendOptions(),
        tooltip: {
          callbacks: {
            title: (items) => `class ${items[0]?.label ?? ''}`,
            label: (item) => ` ${item.dataset.label} ${formatMetric('accuracy', item.parsed.y)}`,
            footer: (items) => {
              const r = rows[items[0]?.dataIndex ?? 0];
              return r ? `support ${r.support} · predicted ${r.predicted}` : '';
            },
          },
        },
      },
      scales: {
        x: { type: 'category', ticks: { color: c.text, font: { family: c.font }, maxRotation: 0, autoSkip: true }, grid: { display: false } },
        y: axis('Score', { min: 0, max: 1, ticks: 6 }),
      },
    },
  });
  return { retheme: () => applyTheme(chart, (col) => chart.data.datasets.forEach((d, i) => (d.backgroundColor = col[i]))), destroy: () => chart.destroy() };
}

/** Residuals y_true − y_pred as the metrics core binned them, with the zero line. */
export function residualChart(container: HTMLElement, hist: RegressionMetrics['residualHistogram']): ThemedChart {
  const data = hist.counts.map((n, i) => ({ x: (hist.edges[i] + hist.edges[i + 1]) / 2, y: n }));
  const chart = new Chart(canvasIn(container, 'Histogram of the residuals (true minus predicted)'), {
    type: 'bar',
    data: { datasets: [{ label: 'samples', data, backgroundColor: seriesColours()[0], borderWidth: 0, barPercentage: 1, categoryPercentage: 0.95 }] },
    options: {
      ...chartOptions(),
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              return `residual ${axisLabel(hist.edges[i])} to ${axisLabel(hist.edges[i + 1])}`;
            },
            label: (item) => ` ${item.parsed.y} samples`,
          },
        },
      },
      scales: { x: { ...axis('Residual (true − predicted)'), offset: false }, y: axis('Samples', { min: 0, ticks: 5 }) },
    },
    plugins: [verticalLine(() => 0)],
  });
  return { retheme: () => applyTheme(chart, (col) => (chart.data.datasets[0].backgroundColor = col[0])), destroy: () => chart.destroy() };
}

/** [lo, hi] widened to multiples of a 1/2/5 × 10^k step giving about `ticks` intervals. */
export function niceRange(lo: number, hi: number, ticks = 5): { min: number; max: number } {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step };
}

/** Predicted against true values (a seeded sample when there are many), with the y = x line. */
export function scatterChart(container: HTMLElement, scatter: RegressionMetrics['scatter']): ThemedChart {
  const points = scatter.yTrue.map((x, i) => ({ x, y: scatter.yPred[i] }));
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p.x, p.y);
    hi = Math.max(hi, p.x, p.y);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  // Both axes over the same range, the data's rounded out to whole ticks: y = x is the diagonal.
  const range = niceRange(lo, hi);
  const dot = () => seriesColours()[0];
  const chart = new Chart(canvasIn(container, 'Predicted against true values'), {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'samples', data: points, backgroundColor: dot(), borderColor: dot(), pointRadius: points.length > 2000 ? 1.5 : 2.5, pointHoverRadius: 4 },
        { label: 'y = x', data: [{ x: lo, y: lo }, { x: hi, y: hi }], showLine: true, borderColor: referenceColour(), borderDash: [4, 4], borderWidth: 1, pointRadius: 0, pointHoverRadius: 0 },
      ],
    },
    options: {
      ...chartOptions(),
      plugins: {
        legend: { display: false },
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: { label: (item) => ` sample ${scatter.indices[item.dataIndex]}: true ${formatValue(item.parsed.x ?? NaN)}, predicted ${formatValue(item.parsed.y ?? NaN)}` },
        },
      },
      scales: { x: { ...axis('True value'), ...range }, y: { ...axis('Predicted value'), ...range } },
    },
  });
  return {
    retheme: () => applyTheme(chart, (col) => {
      chart.data.datasets[0].backgroundColor = col[0];
      chart.data.datasets[0].borderColor = col[0];
      chart.data.datasets[1].borderColor = referenceColour();
    }),
    destroy: () => chart.destroy(),
  };
}
