/**
 * The charts of the trust views: a robustness curve (the metric against severity with its 95%
 * band, and the flip rate), the risk–coverage curve, grouped bars of two distributions over named
 * bins (drift of a category) and the conformal set sizes. Chart.js, themed from --vscode-*
 * variables like the evaluation's charts (webview/eval/curveCharts.ts).
 */
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { applyTheme, canvasIn, chartColours, tickLabel, type ThemedChart } from '../../ui/charts';
import { formatPercent } from '../../ui/numbers';
import { axis, chartOptions } from '../curveCharts';
import { goodBad, referenceColour } from '../evalTheme';
import { parseColor, rgba, themeVar } from '../../ui/theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

function legend() {
  const c = chartColours();
  return { display: true, position: 'top' as const, align: 'end' as const, labels: { color: c.text, boxWidth: 12, font: { family: c.font } } };
}

/** A theme colour made see-through (canvas fill styles take rgba(), not color-mix()). */
function translucent(colour: string, alpha: number): string {
  return rgba(parseColor(colour), alpha);
}

export interface CurvePoint {
  severity: number;
  metric: number | null;
  ci95: [number, number] | null;
  flipRate: number | null;
}

/**
 * One perturbation's curve: the metric (and its interval as a band) on the left axis, the flip
 * rate dashed on the right; clicking a point calls `onPick(index)`.
 */
export function robustnessChart(container: HTMLElement, points: CurvePoint[], metricName: string, severityTitle: string, onPick: (index: number) => void): ThemedChart {
  const xs = points.map((p) => p.severity);
  const colours = () => ({ metric: themeVar('charts-blue', '#3794ff'), flip: themeVar('charts-orange', '#d18616') });
  const c = colours();
  const chart = new Chart(canvasIn(container, `${metricName} against severity`), {
    type: 'line',
    data: {
      labels: xs.map((x) => tickLabel(x)),
      datasets: [
        { label: '95% interval', data: points.map((p) => p.ci95?.[1] ?? p.metric ?? NaN), borderWidth: 0, pointRadius: 0, fill: '+1', backgroundColor: translucent(c.metric, 0.18), yAxisID: 'y' },
        { label: 'low', data: points.map((p) => p.ci95?.[0] ?? p.metric ?? NaN), borderWidth: 0, pointRadius: 0, fill: false, yAxisID: 'y' },
        { label: metricName, data: points.map((p) => p.metric ?? NaN), borderColor: c.metric, backgroundColor: c.metric, borderWidth: 2, pointRadius: 4, pointHoverRadius: 6, yAxisID: 'y' },
        { label: 'flip rate', data: points.map((p) => p.flipRate ?? NaN), borderColor: c.flip, backgroundColor: c.flip, borderDash: [5, 3], borderWidth: 1.5, pointRadius: 3, yAxisID: 'y2' },
      ],
    },
    options: {
      ...chartOptions(),
      interaction: { mode: 'index', intersect: false },
      onClick: (_e, elements) => {
        const hit = elements[0];
        if (hit) onPick(hit.index);
      },
      plugins: {
        legend: { ...legend(), labels: { ...legend().labels, filter: (item) => item.text !== 'low' && item.text !== '95% interval' } },
        tooltip: {
          filter: (item) => item.datasetIndex >= 2,
          callbacks: {
            title: (items) => `${severityTitle} ${items[0]?.label ?? ''}`,
            label: (item) => {
              const p = points[item.dataIndex];
              if (item.datasetIndex === 3) return p.flipRate === null ? '' : ` flip rate ${formatPercent(p.flipRate)}`;
              return ` ${metricName} ${p.metric === null ? '–' : p.metric.toFixed(4)}${p.ci95 ? ` [${p.ci95[0].toFixed(3)}, ${p.ci95[1].toFixed(3)}]` : ''}`;
            },
          },
        },
      },
      scales: {
        x: { ...axis(severityTitle), type: 'category' },
        y: axis(metricName),
        y2: { ...axis('Flip rate', { min: 0, max: 1, percent: true }), position: 'right', grid: { drawOnChartArea: false } },
      },
    },
  });
  return {
    retheme: () => applyTheme(chart as unknown as Chart, () => {
      const t = colours();
      const d = chart.data.datasets;
      d[0].backgroundColor = translucent(t.metric, 0.18);
      d[2].borderColor = t.metric;
      d[2].backgroundColor = t.metric;
      d[3].borderColor = t.flip;
      d[3].backgroundColor = t.flip;
    }),
    destroy: () => chart.destroy(),
  };
}

/** Error rate among the answered samples against the share answered (the most confident first). */
export function riskCoverageChart(container: HTMLElement, curve: { coverage: number[]; risk: number[]; threshold: number[] }, overallRisk: number): ThemedChart {
  const colour = () => themeVar('charts-blue', '#3794ff');
  const chart = new Chart(canvasIn(container, 'Risk–coverage curve'), {
    type: 'line',
    data: {
      datasets: [
        { label: 'error rate of the answered', data: curve.coverage.map((x, i) => ({ x, y: curve.risk[i] })), borderColor: colour(), backgroundColor: colour(), borderWidth: 2, pointRadius: 0, pointHoverRadius: 4 },
        { label: 'answering everything', data: [{ x: 0, y: overallRisk }, { x: 1, y: overallRisk }], borderColor: referenceColour(), borderDash: [4, 4], borderWidth: 1, pointRadius: 0 },
      ],
    },
    options: {
      ...chartOptions(),
      plugins: {
        legend: legend(),
        tooltip: {
          filter: (item) => item.datasetIndex === 0,
          callbacks: { label: (item) => ` answer ${formatPercent(curve.coverage[item.dataIndex])} (confidence ≥ ${curve.threshold[item.dataIndex].toFixed(3)}): error rate ${formatPercent(curve.risk[item.dataIndex])}` },
        },
      },
      scales: { x: axis('Coverage (share of samples answered)', { min: 0, max: 1, percent: true }), y: axis('Error rate', { min: 0, percent: true }) },
    },
  });
  return {
    retheme: () => applyTheme(chart as unknown as Chart, () => {
      chart.data.datasets[0].borderColor = colour();
      chart.data.datasets[0].backgroundColor = colour();
      chart.data.datasets[1].borderColor = referenceColour();
    }),
    destroy: () => chart.destroy(),
  };
}

/** Two distributions over named bins, each as shares of its own total. */
export function barPairChart(container: HTMLElement, labels: string[], a: number[], b: number[], names: [string, string], ariaLabel: string): ThemedChart {
  const total = (v: number[]) => v.reduce((x, y) => x + y, 0) || 1;
  const colours = () => [themeVar('charts-blue', '#3794ff'), themeVar('charts-orange', '#d18616')];
  const c = colours();
  const chart = new Chart(canvasIn(container, ariaLabel), {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: names[0], data: a.map((v) => v / total(a)), backgroundColor: c[0], borderWidth: 0 },
        { label: names[1], data: b.map((v) => v / total(b)), backgroundColor: c[1], borderWidth: 0 },
      ],
    },
    options: {
      ...chartOptions(),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: legend(),
        tooltip: { callbacks: { label: (item) => ` ${names[item.datasetIndex]}: ${(item.datasetIndex === 0 ? a : b)[item.dataIndex]} (${formatPercent(Number(item.parsed.y))})` } },
      },
      scales: { x: { ...axis(''), type: 'category', ticks: { ...axis('').ticks, autoSkip: true, maxRotation: 45 } }, y: axis('Share', { min: 0, percent: true }) },
    },
  });
  return {
    retheme: () => applyTheme(chart as unknown as Chart, () => colours().forEach((col, i) => (chart.data.datasets[i].backgroundColor = col))),
    destroy: () => chart.destroy(),
  };
}

/** How many test samples got sets of each size; the empty set in the "wrong" colour. */
export function setSizeChart(container: HTMLElement, setSizes: number[]): ThemedChart {
  const total = setSizes.reduce((a, b) => a + b, 0) || 1;
  const last = Math.max(1, setSizes.reduce((m, v, i) => (v > 0 ? i : m), 0));
  const sizes = setSizes.slice(0, last + 1);
  const colours = () => sizes.map((_, i) => (i === 0 ? goodBad().bad : goodBad().good));
  const chart = new Chart(canvasIn(container, 'Prediction set sizes'), {
    type: 'bar',
    data: { labels: sizes.map((_, i) => String(i)), datasets: [{ label: 'test samples', data: sizes.map((v) => v / total), backgroundColor: colours(), borderWidth: 0 }] },
    options: {
      ...chartOptions(),
      plugins: { tooltip: { callbacks: { label: (item) => ` ${sizes[item.dataIndex]} samples (${formatPercent(Number(item.parsed.y))})` } } },
      scales: { x: { ...axis('Labels in the prediction set'), type: 'category' }, y: axis('Share of test samples', { min: 0, percent: true }) },
    },
  });
  return {
    retheme: () => applyTheme(chart as unknown as Chart, () => (chart.data.datasets[0].backgroundColor = colours())),
    destroy: () => chart.destroy(),
  };
}
