/**
 * The explanation's Chart.js charts, themed from `--vscode-*` variables like every chart of the
 * page (ui/charts.ts): signed horizontal bars of feature attributions (positive raise the score,
 * negative lower it) and permutation importances, each with error bars (KernelSHAP's standard
 * errors, the repeats' standard deviation) drawn by a small plugin, as Chart.js has none.
 */
import { Chart, type Plugin } from 'chart.js';
import { axisLabel, canvasIn, chartColours, type Scales, type ThemedChart } from '../ui/charts';
import { themeVar } from '../ui/theme';
import { formatValue } from '../ui/numbers';

export interface Bar {
  label: string;
  value: number;
  /** Half-width of the error bar, if any. */
  error?: number;
  /** Shown in the tooltip under the value (the feature's value, its LIME condition). */
  detail?: string;
}

export const signedColours = () => ({ positive: themeVar('charts-red', '#f14c4c'), negative: themeVar('charts-blue', '#3794ff') });

const errorBars = (bars: () => readonly Bar[]): Plugin<'bar'> => ({
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const meta = chart.getDatasetMeta(0);
    const x = chart.scales.x;
    const ctx = chart.ctx;
    const area = chart.chartArea;
    ctx.save();
    // An error bar past the axis (a drop's std below zero) stops at the plot's edge, not over the labels.
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.strokeStyle = chartColours().text;
    ctx.lineWidth = 1;
    bars().forEach((b, i) => {
      const el = meta.data[i] as unknown as { y: number; height: number } | undefined;
      if (!el || !b.error) return;
      const lo = x.getPixelForValue(b.value - b.error);
      const hi = x.getPixelForValue(b.value + b.error);
      const cap = Math.min(4, el.height / 3);
      ctx.beginPath();
      ctx.moveTo(lo, el.y);
      ctx.lineTo(hi, el.y);
      ctx.moveTo(lo, el.y - cap);
      ctx.lineTo(lo, el.y + cap);
      ctx.moveTo(hi, el.y - cap);
      ctx.lineTo(hi, el.y + cap);
      ctx.stroke();
    });
    ctx.restore();
  },
});

/** Horizontal bars, one per feature, largest magnitude first; `signed` colours by sign. */
export function barChart(container: HTMLElement, bars: readonly Bar[], axisTitle: string, signed: boolean): ThemedChart {
  const c = chartColours();
  const colours = () => {
    const s = signedColours();
    return bars.map((b) => (signed ? (b.value >= 0 ? s.positive : s.negative) : chartColours().bar));
  };
  const font = { family: c.font };
  const chart = new Chart(canvasIn(container, `${axisTitle} per feature`), {
    type: 'bar',
    data: { labels: bars.map((b) => b.label), datasets: [{ data: bars.map((b) => b.value), backgroundColor: colours(), borderWidth: 0 }] },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => {
              const b = bars[item.dataIndex];
              return [` ${formatValue(b.value)}${b.error ? ` ± ${formatValue(b.error)}` : ''}`, ...(b.detail ? [` ${b.detail}`] : [])];
            },
          },
        },
      },
      scales: {
        x: {
          // The axis spans the error bars too (a bar's ± reaches past the largest value).
          suggestedMin: Math.min(0, ...bars.map((b) => b.value - (b.error ?? 0))),
          suggestedMax: Math.max(0, ...bars.map((b) => b.value + (b.error ?? 0))),
          ticks: { color: c.text, font, callback: (v) => axisLabel(Number(v)) }, grid: { color: c.grid }, title: { display: true, text: axisTitle, color: c.text, font },
        },
        y: { ticks: { color: c.text, font, autoSkip: false }, grid: { display: false } },
      },
    },
    plugins: [errorBars(() => bars)],
  });
  return {
    retheme() {
      const t = chartColours();
      chart.data.datasets[0].backgroundColor = colours();
      const scales = chart.options.scales as Scales;
      for (const scale of Object.values(scales)) {
        if (scale.ticks) scale.ticks.color = t.text;
        if (scale.grid) scale.grid.color = t.grid;
        if (scale.title) scale.title.color = t.text;
      }
      chart.update();
    },
    destroy: () => chart.destroy(),
  };
}
