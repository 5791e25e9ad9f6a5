/**
 * One explanation drawn: what was explained and how (method, class, prediction, budget, time), the
 * figures that make it trustworthy (KernelSHAP's efficiency gap, LIME's local R², the sanity
 * check's rank correlation), and the explanation itself — a heatmap over the image with an opacity
 * slider (and the randomised model's map beside it), a signed bar chart of feature attributions,
 * permutation importances with error bars, or the attention rollout matrix. The Run tab, the
 * Evaluate tab and the standalone report page all draw it with this.
 */
import type { ExplainReport, FeatureAttribution, ImageAttributions } from '../../src/shared/explainReport';
import { METHOD_NAMES } from '../../src/shared/explainReport';
import { h } from '../ui/dom';
import type { ThemedChart } from '../ui/charts';
import { formatMs } from '../format';
import { formatValue } from '../ui/numbers';
import { barChart, type Bar } from './explainCharts';
import { decodeBase64, drawHeatmap, drawMatrix } from './heatmap';

const TOP_FEATURES = 20;

export interface ExplainResultView {
  element: HTMLElement;
  retheme(): void;
  destroy(): void;
}

function figure(label: string, value: string, testid: string, title = ''): HTMLElement {
  return h('div', { class: 'explain-figure', 'data-testid': testid, title }, h('span', { class: 'muted' }, label), h('span', { class: 'mono' }, value));
}

function figures(r: ExplainReport): HTMLElement {
  const items: HTMLElement[] = [figure('method', METHOD_NAMES[r.method], 'explain-method')];
  if (r.target !== null) items.push(figure('class', r.targetLabel ?? String(r.target), 'explain-class'));
  if (r.prediction !== null) items.push(figure('score', formatValue(r.prediction), 'explain-prediction', `The model's output '${r.output}' for this class`));
  if (r.expected !== null) items.push(figure(r.method === 'kernelshap' ? 'expected' : 'intercept', formatValue(r.expected), 'explain-expected', r.method === 'kernelshap' ? 'E[f] over the background: the attributions explain the difference from it' : "The local model's intercept"));
  if (r.efficiency) items.push(figure('efficiency gap', r.efficiency.gap.toExponential(1), 'explain-efficiency', `The attributions sum to ${formatValue(r.efficiency.sum)} = score − expected, up to this (${r.efficiency.exact ? 'exact enumeration' : 'sampled coalitions'})`));
  if (r.localModel) items.push(figure('local R²', formatValue(r.localModel.score), 'explain-local-r2', "How well LIME's linear model fits the perturbations"));
  if (r.baseline !== null && r.metric) items.push(figure(r.metric, formatValue(r.baseline), 'explain-baseline', 'The score on the data as given'));
  if (r.sanity && 'rankCorrelation' in r.sanity) {
    items.push(figure('sanity ρ', r.sanity.rankCorrelation === null ? '–' : r.sanity.rankCorrelation.toFixed(3), 'explain-sanity',
      `Spearman rank correlation with the map of the model whose last layer (${r.sanity.randomizedNode}) was randomised; near 1 means the map ignores what the model learned`));
  }
  items.push(figure('budget', `${r.budget.evaluations.toLocaleString('en-US')} evaluations`, 'explain-budget'));
  items.push(figure('time', formatMs(r.timeMs), 'explain-time'));
  return h('div', { class: 'explain-figures' }, ...items);
}

function imageView(r: ExplainReport, map: ImageAttributions): { element: HTMLElement; redraw(): void } {
  const [height, width] = map.shape;
  const rgb = r.picture && r.picture.width === width && r.picture.height === height ? decodeBase64(r.picture.rgbBase64) : null;
  const canvas = h('canvas', { class: 'explain-heatmap', 'data-testid': 'explain-heatmap', role: 'img', 'aria-label': `${METHOD_NAMES[r.method]} map over the image` }) as HTMLCanvasElement;
  const slider = h('input', { type: 'range', min: 0, max: 100, value: 60, class: 'explain-opacity', 'data-testid': 'explain-opacity', 'aria-label': 'Heatmap opacity' }) as HTMLInputElement;
  const sanity = r.sanity && 'rankCorrelation' in r.sanity ? r.sanity : null;
  const random = sanity ? h('canvas', { class: 'explain-heatmap explain-heatmap-small', 'data-testid': 'explain-sanity-map', role: 'img', 'aria-label': 'The same map for the randomised model' }) as HTMLCanvasElement : null;
  const redraw = () => {
    const opacity = Number(slider.value) / 100;
    drawHeatmap(canvas, { width, height, rgb, values: map.values }, opacity);
    if (random && sanity) drawHeatmap(random, { width, height, rgb, values: sanity.randomizedValues }, opacity);
  };
  slider.addEventListener('input', redraw);
  redraw();
  const legend = h('p', { class: 'muted explain-legend' }, h('span', { class: 'explain-swatch explain-swatch-positive' }), ' raises the score  ', h('span', { class: 'explain-swatch explain-swatch-negative' }), ' lowers it',
    map.superpixels ? ` · ${map.superpixels} superpixels` : '');
  const unavailable = r.sanity && 'unavailable' in r.sanity ? h('p', { class: 'muted', 'data-testid': 'explain-sanity-note' }, r.sanity.unavailable) : null;
  return {
    element: h('div', { class: 'explain-image' },
      h('div', { class: 'explain-maps' },
        h('figure', {}, canvas, h('figcaption', { class: 'muted' }, 'this model')),
        random ? h('figure', {}, random, h('figcaption', { class: 'muted' }, `last layer randomised: ρ = ${sanity!.rankCorrelation === null ? '–' : sanity!.rankCorrelation.toFixed(3)}`)) : null),
      h('label', { class: 'explain-slider' }, h('span', { class: 'muted' }, 'opacity'), slider),
      legend, unavailable),
    redraw,
  };
}

function attributionBars(list: readonly FeatureAttribution[]): Bar[] {
  return [...list].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution)).slice(0, TOP_FEATURES)
    .map((a) => ({ label: a.feature, value: a.attribution, error: a.error, detail: a.condition ?? `value ${formatValue(a.value)}` }));
}

export function explainResult(r: ExplainReport): ExplainResultView {
  const charts: ThemedChart[] = [];
  let redraw = () => {};
  const body: (HTMLElement | null)[] = [];
  const chartBox = (bars: Bar[], title: string, signed: boolean, testid: string) => {
    const box = h('div', { class: 'explain-chart', 'data-testid': testid });
    // Chart.js fills its container (maintainAspectRatio off): one row of 22 px per bar.
    box.style.height = `${Math.max(160, 22 * bars.length + 60)}px`;
    requestAnimationFrame(() => box.isConnected && charts.push(barChart(box, bars, title, signed)));
    return box;
  };
  if (r.attributions && !Array.isArray(r.attributions)) {
    const view = imageView(r, r.attributions);
    redraw = view.redraw;
    body.push(view.element);
  } else if (Array.isArray(r.attributions)) {
    const bars = attributionBars(r.attributions);
    body.push(chartBox(bars, r.method === 'lime' ? 'LIME weight' : 'SHAP value', true, 'explain-feature-chart'));
    if (r.attributions.length > TOP_FEATURES) body.push(h('p', { class: 'muted' }, `The ${TOP_FEATURES} largest of ${r.attributions.length} features.`));
  }
  if (r.importances) {
    const bars = [...r.importances].sort((a, b) => b.mean - a.mean).slice(0, TOP_FEATURES).map((i) => ({ label: i.feature, value: i.mean, error: i.std }));
    body.push(chartBox(bars, `drop in ${r.metric} (mean ± std of ${r.settings.repeats ?? 5} shuffles)`, false, 'explain-importance-chart'));
  }
  if (r.rollout) {
    const canvas = h('canvas', { class: 'explain-heatmap', 'data-testid': 'explain-rollout', role: 'img', 'aria-label': 'Attention rollout, token to token' }) as HTMLCanvasElement;
    drawMatrix(canvas, r.rollout.tokens, r.rollout.values);
    redraw = () => drawMatrix(canvas, r.rollout!.tokens, r.rollout!.values);
    body.push(h('figure', {}, canvas, h('figcaption', { class: 'muted' }, `${r.rollout.tokens} tokens; row i: how much each token flows into token i`)));
  }
  const notes = r.notes.length ? h('ul', { class: 'muted explain-notes' }, ...r.notes.map((n) => h('li', {}, n))) : null;
  return {
    element: h('div', { class: 'explain-result', 'data-testid': 'explain-result', 'data-method': r.method, 'data-kind': r.kind }, figures(r), ...body, notes),
    retheme() {
      redraw();
      for (const c of charts) c.retheme();
    },
    destroy() {
      for (const c of charts) c.destroy();
    },
  };
}
