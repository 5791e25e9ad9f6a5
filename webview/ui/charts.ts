/**
 * Chart.js the way every chart of the page uses it (tree-shaken: each chart module registers the
 * pieces it draws with): colours from the theme's `--vscode-*` variables, re-applied by
 * `retheme()` when the theme changes, axis labels, and the tensor histogram (the details panel's
 * initializers, the Run tab's outputs and activations).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ScaleOptionsByType } from 'chart.js';
import { themeVar } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
// Charts with several series turn their legend on; the single-series histograms keep none.
Chart.defaults.plugins.legend.display = false;

/** A chart that follows the theme; destroyed with the view that made it. */
export interface ThemedChart {
  retheme(): void;
  destroy(): void;
}

/** Series colours in a fixed order, so "p50" or "mean" keeps its colour across charts. */
export function seriesColours(): string[] {
  return [
    themeVar('charts-blue', '#3794ff'),
    themeVar('charts-orange', '#d18616'),
    themeVar('charts-green', '#89d185'),
    themeVar('charts-purple', '#b180d7'),
  ];
}

export type Scales = Record<string, Partial<ScaleOptionsByType<'linear' | 'logarithmic' | 'category'>>>;

/** Axis and legend colours of the current theme, applied to a chart's options in place. */
export function applyTheme(chart: Chart, datasetColours: (colours: string[]) => void): void {
  const c = chartColours();
  datasetColours(seriesColours());
  const scales = chart.options.scales as Scales;
  for (const scale of Object.values(scales)) {
    if (scale.ticks) scale.ticks.color = c.text;
    if (scale.grid) scale.grid.color = c.grid;
    if (scale.title) scale.title.color = c.text;
  }
  const legend = chart.options.plugins?.legend;
  if (legend?.labels) legend.labels.color = c.text;
  // A full update (animations are off): 'none' keeps bar elements' cached colours.
  chart.update();
}

export function canvasIn(container: HTMLElement, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  container.append(canvas);
  return canvas;
}

/** The colours every chart shares: bars, axis text, grid lines, font. */
export function chartColours() {
  const v = themeVar;
  return {
    bar: v('charts-blue', v('focusBorder', '#3794ff')),
    text: v('descriptionForeground', v('foreground', '#888888')),
    grid: v('widget-border', v('panel-border', 'rgba(128,128,128,0.3)')),
    font: v('font-family', 'sans-serif'),
  };
}

/** An axis label for a value: 3 significant digits, exponent form when very large or small. */
export function axisLabel(x: number): string {
  const a = Math.abs(x);
  return x === 0 ? '0' : a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/** A tick on a round number: as short as it can be written ("0.25", "1e-4", "1,000"). */
export function tickLabel(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(1).replace(/\.0e/, 'e');
  return Number(x.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function histogramChart(container: HTMLElement, histogram: { edges: number[]; counts: number[] }): ThemedChart {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Histogram of the tensor values');
  container.append(canvas);
  const c = chartColours();
  // Bars at their bin centres on a linear axis: Chart.js then puts ticks on round numbers
  // (-0.5, -0.25, 0, …) instead of labelling bin centres (-0.00940, 0.256).
  const data = histogram.counts.map((y, i) => ({ x: (histogram.edges[i] + histogram.edges[i + 1]) / 2, y }));
  const lo = histogram.edges[0], hi = histogram.edges[histogram.edges.length - 1];
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { datasets: [{ data, backgroundColor: c.bar, borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              return `[${axisLabel(histogram.edges[i])}, ${axisLabel(histogram.edges[i + 1])})`;
            },
          },
        },
      },
      scales: {
        x: { type: 'linear', min: lo, max: hi > lo ? hi : lo + 1, ticks: { color: c.text, maxTicksLimit: 6, maxRotation: 0, includeBounds: false, font: { family: c.font }, callback: (v) => tickLabel(Number(v)) }, grid: { display: false } },
        y: { ticks: { color: c.text, maxTicksLimit: 4, font: { family: c.font } }, grid: { color: c.grid } },
      },
    },
  });
  return {
    retheme() {
      const t = chartColours();
      chart.data.datasets[0].backgroundColor = t.bar;
      const scales = chart.options.scales as Record<'x' | 'y', { ticks: { color: string }; grid: { color?: string } }>;
      scales.x.ticks.color = t.text;
      scales.y.ticks.color = t.text;
      scales.y.grid.color = t.grid;
      chart.update('none');
    },
    destroy() {
      chart.destroy();
    },
  };
}
