/**
 * The Run tab's Chart.js charts: the per-layer line chart of activations and the benchmark's
 * latency bars, themed like every chart of the page (ui/charts.ts) and re-coloured by `retheme()`.
 */
import { Chart, LineController, LineElement, LogarithmicScale, PointElement, type ChartDataset } from 'chart.js';
import { applyTheme, axisLabel, canvasIn, chartColours, seriesColours, type Scales, type ThemedChart } from '../ui/charts';
import type { LayerSeries } from './layers';
import { formatMs } from '../format';
import { formatPercent, formatValue } from '../ui/numbers';

Chart.register(LogarithmicScale, LineController, LineElement, PointElement);

export interface LayerChart extends ThemedChart {
  /** Marks the point of the selected layer (or none). */
  select(index: number | null): void;
  /**
   * Log scale for the left axis, to see small layers beside an exploding one; it plots |mean|
   * (a log axis has no negatives) and leaves zeros out.
   */
  setLog(log: boolean): void;
}

/**
 * Mean and std (left axis) and sparsity (right axis, %) of every captured value along the network.
 * A click on the plot picks the nearest layer.
 */
export function layerChart(container: HTMLElement, series: LayerSeries, describe: (index: number) => string, onPick: (index: number) => void): LayerChart {
  const c = chartColours();
  let selected: number | null = null;
  const radius = () => series.names.map((_, i) => (i === selected ? 5 : series.names.length > 120 ? 0 : 2));
  const colours = seriesColours();
  const line = (label: string, data: number[], yAxisID: string, colour: string): ChartDataset<'line'> => ({
    label, data, yAxisID, borderWidth: 1.5, pointRadius: radius(), pointHoverRadius: 5, tension: 0, spanGaps: true, borderColor: colour, backgroundColor: colour,
  });
  const datasets = [
    line('mean', series.mean, 'y', colours[0]),
    line('std', series.std, 'y', colours[1]),
    line('sparsity', series.sparsity.map((s) => s * 100), 'y1', colours[2]),
  ];
  const font = { family: c.font };
  const chart = new Chart(canvasIn(container, 'Mean, standard deviation and sparsity of each captured value along the network'), {
    type: 'line',
    data: { labels: series.names.map((_, i) => String(i + 1)), datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit) onPick(hit.index);
      },
      plugins: {
        legend: { display: true, position: 'top', align: 'end', labels: { color: c.text, boxWidth: 12, boxHeight: 2, font } },
        tooltip: {
          callbacks: {
            title: (items) => describe(items[0]?.dataIndex ?? 0),
            label: (item) => (item.dataset.yAxisID === 'y1' ? ` sparsity ${formatPercent((item.parsed.y ?? NaN) / 100)}` : ` ${item.dataset.label} ${formatValue(item.parsed.y ?? NaN)}`),
          },
        },
      },
      scales: {
        x: { ticks: { color: c.text, maxTicksLimit: 12, maxRotation: 0, font }, grid: { display: false }, title: { display: true, text: 'captured value (graph order)', color: c.text, font } },
        y: { position: 'left', ticks: { color: c.text, maxTicksLimit: 6, font, callback: (v) => axisLabel(Number(v)) }, grid: { color: c.grid }, title: { display: true, text: 'mean / std', color: c.text, font } },
        y1: { position: 'right', min: 0, max: 100, ticks: { color: c.text, maxTicksLimit: 6, font, callback: (v) => `${v} %` }, grid: { display: false, color: c.grid }, title: { display: true, text: 'zeros', color: c.text, font } },
      },
    },
  });
  const colourDatasets = (colours: string[]) => chart.data.datasets.forEach((d, i) => {
    d.borderColor = colours[i];
    d.backgroundColor = colours[i];
  });
  return {
    select(index) {
      selected = index;
      const r = radius();
      for (const d of chart.data.datasets) (d as ChartDataset<'line'>).pointRadius = r;
      chart.update('none');
    },
    setLog(log) {
      const positive = (v: number) => (log && !(v > 0) ? NaN : v);
      chart.data.datasets[0].data = series.mean.map((m) => positive(log ? Math.abs(m) : m));
      chart.data.datasets[0].label = log ? '|mean|' : 'mean';
      chart.data.datasets[1].data = series.std.map(positive);
      const y = (chart.options.scales as Scales).y as { type: string; title: { text: string } };
      y.type = log ? 'logarithmic' : 'linear';
      y.title.text = log ? '|mean| / std (log)' : 'mean / std';
      chart.update();
    },
    retheme: () => applyTheme(chart, colourDatasets),
    destroy: () => chart.destroy(),
  };
}

/** Grouped bars: p50 / p90 / p99 latency per benchmark configuration. */
export function latencyChart(container: HTMLElement, labels: string[], series: { label: string; values: number[] }[]): ThemedChart {
  const c = chartColours();
  const font = { family: c.font };
  const chart = new Chart(canvasIn(container, 'Latency percentiles per benchmark configuration'), {
    type: 'bar',
    data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values, borderWidth: 0, maxBarThickness: 36, backgroundColor: seriesColours()[i % 4] })) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: true, position: 'top', align: 'end', labels: { color: c.text, boxWidth: 12, font } },
        tooltip: { callbacks: { label: (item) => ` ${item.dataset.label} ${formatMs(item.parsed.y ?? NaN)}` } },
      },
      scales: {
        x: { ticks: { color: c.text, maxRotation: 0, autoSkip: false, font }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { color: c.text, maxTicksLimit: 6, font, callback: (v) => `${axisLabel(Number(v))} ms` }, grid: { color: c.grid } },
      },
    },
  });
  const colourDatasets = (colours: string[]) => chart.data.datasets.forEach((d, i) => {
    d.backgroundColor = colours[i % colours.length];
  });
  return { retheme: () => applyTheme(chart, colourDatasets), destroy: () => chart.destroy() };
}
