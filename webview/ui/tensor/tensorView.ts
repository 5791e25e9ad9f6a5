/**
 * One tensor of a run: statistics (min/max/mean/std, zeros, NaN/Inf), histogram, top-k scores
 * with class labels, a picture for image-like outputs, and a values table paged from a
 * TensorSource (never the whole tensor at once). The Run tab's outputs and activations use them.
 */
import type { TensorSummary } from '../../../src/shared/runtimeTypes';
import './tensor.css';
import { h, icon } from '../dom';
import { formatInteger, formatShape } from '../../format';
import { histogramChart, type ThemedChart } from '../charts';
import { imageView, type CanvasView } from './canvasViews';
import { errorMessage, shareBar } from '../controls';
import { formatPercent, formatValue } from '../numbers';
import { imageLayout, multiIndex, tableRowLength } from './shapes';
import { pager } from '../pager';

/**
 * Where a tensor's data comes from, a part at a time (never the whole tensor at once): the Run tab
 * reads the runtime process's last run (run/tensorSource.ts).
 */
export interface TensorSource {
  histogram(): Promise<{ edges: number[]; counts: number[] }>;
  /** `count` values from `offset`, in row-major order. */
  page(offset: number, count: number): Promise<Float64Array>;
  /** The sub-tensor at these leading indices ([0]: the first batch item), as float32. */
  slab(leading: number[]): Promise<{ dims: number[]; data: Float32Array }>;
}

/** Values per page, rounded down to whole table rows. */
const PAGE = 256;

/** Charts and canvases a view owns, re-themed and destroyed with it. */
export class Themed {
  private readonly items: (ThemedChart | CanvasView)[] = [];

  add<T extends ThemedChart | CanvasView>(item: T): T {
    this.items.push(item);
    return item;
  }

  retheme(): void {
    for (const item of this.items) item.retheme();
  }

  destroy(): void {
    for (const item of this.items) item.destroy();
    this.items.length = 0;
  }
}

export function tensorHeading(t: TensorSummary): HTMLElement {
  return h('span', { class: 'muted mono tensor-type' }, `${t.elemType} ${formatShape(t.dims)}`, ` · ${formatInteger(t.elements)} value${t.elements === 1 ? '' : 's'}`);
}

/** min/max/mean/std, zeros, NaN/Inf as a compact grid; non-finite counts are highlighted. */
export function statsGrid(t: TensorSummary, testid: string): HTMLElement {
  const n = t.numeric;
  if (!n) {
    return h('div', { class: 'tensor-stats', 'data-testid': testid },
      h('span', { class: 'muted' }, `${t.elemType} values: `), h('span', { class: 'mono' }, t.head.map(String).join(', ') + (t.elements > t.head.length ? ', …' : '')));
  }
  const cell = (label: string, value: string, cls = '') => h('div', { class: `stat ${cls}`.trim() }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value mono' }, value));
  return h('div', { class: 'tensor-stats', 'data-testid': testid },
    cell('min', formatValue(n.min)),
    cell('max', formatValue(n.max)),
    cell('mean', formatValue(n.mean)),
    cell('std', formatValue(n.std)),
    cell('zeros', formatPercent(n.zeros)),
    cell('NaN / Inf', `${formatInteger(n.nan)} / ${formatInteger(n.inf)}`, n.nan > 0 || n.inf > 0 ? 'bad' : ''));
}

/** The k best scores of a classifier-like output, with labels when the model has them. */
export function topKList(t: TensorSummary, labelSource: string | null): HTMLElement | null {
  if (!t.topK?.length) return null;
  const top = t.topK;
  const max = Math.max(...top.map((e) => Math.abs(e.score)), 1e-12);
  const probabilities = top.every((e) => e.score >= 0 && e.score <= 1);
  const rows = top.map((e, rank) => {
    return h('tr', { 'data-testid': 'topk-row', 'data-index': e.index },
      h('td', { class: 'num muted' }, `${rank + 1}.`),
      h('td', { class: 'topk-label', title: e.label ? `class ${e.index}: ${e.label}` : `class ${e.index}` },
        e.label ?? `class ${e.index}`, e.label && e.label !== String(e.index) ? h('span', { class: 'muted' }, ` #${e.index}`) : null),
      h('td', { class: 'num mono' }, formatValue(e.score)),
      h('td', { class: 'share-cell' }, shareBar(probabilities ? e.score : e.score / max)));
  });
  return h('div', { class: 'tensor-topk', 'data-testid': 'output-topk' },
    h('h4', {}, `Top ${top.length}`, h('span', { class: 'muted' }, top.some((e) => e.label) ? ` · labels from ${t.labelSource ?? labelSource ?? 'the model'}` : t.labelNote ? ' · class names not shown' : ' · no class labels found')),
    t.labelNote ? h('p', { class: 'muted run-hint', 'data-testid': 'topk-label-note' }, `Class names not shown: ${t.labelNote}.`) : null,
    h('table', { class: 'run-table topk-table' }, ...rows));
}

/**
 * The value histogram: from the summary when it has one (run outputs), else asked for
 * (`runTensorHistogram`: activation captures leave it out to stay one pass over the data).
 */
export function histogramBox(source: TensorSource, t: TensorSummary, themed: Themed, testid: string): HTMLElement | null {
  if (!t.numeric || t.elements < 2) return null;
  const box = h('div', { class: 'histogram run-histogram', 'data-testid': testid });
  // Chart.js measures its container: draw once the box is laid out.
  const draw = (hist: { edges: number[]; counts: number[] }) => requestAnimationFrame(() => {
    if (!box.isConnected) return;
    if (hist.counts.length) themed.add(histogramChart(box, hist));
    else box.remove();
  });
  if (t.numeric.histogram) draw(t.numeric.histogram);
  else {
    source.histogram().then(draw, (e: unknown) => {
      box.classList.remove('histogram', 'run-histogram');
      box.replaceChildren(warning(errorMessage(e)));
    });
  }
  return box;
}

/** An image-like output drawn from its first batch item (`runTensorSlab` [0]). */
export function imageBox(source: TensorSource, t: TensorSummary, themed: Themed): HTMLElement | null {
  const layout = imageLayout(t.dims);
  if (!layout || !t.numeric) return null;
  const box = h('div', { class: 'tensor-image' }, h('span', { class: 'muted' }, 'Drawing the image…'));
  source.slab([0]).then(
    (slab) => box.replaceChildren(themed.add(imageView(slab.data, layout)).element),
    (e: unknown) => box.replaceChildren(warning(errorMessage(e))),
  );
  return box;
}

/**
 * The values as a table, a page at a time: rows follow the last axis when it is short (class
 * scores read across), each row labelled with the multi-index of its first value.
 */
export function valuesTable(source: TensorSource, t: TensorSummary, testid: string): HTMLElement | null {
  if (!t.numeric || t.elements === 0) return null;
  const rowLength = tableRowLength(t.dims);
  const pageSize = Math.max(rowLength, Math.floor(PAGE / rowLength) * rowLength);
  const body = h('tbody', {});
  const footer = pager({
    total: t.elements, pageSize, order: '(row-major)',
    fetch: (offset, count) => source.page(offset, count),
    show: (values, offset) => {
      for (let start = 0; start < values.length; start += rowLength) {
        const index = multiIndex(offset + start, t.dims);
        const cells = Array.from(values.subarray(start, start + rowLength), (v) => h('td', { class: 'num mono' }, formatValue(v)));
        body.append(h('tr', {}, h('th', { class: 'mono muted', scope: 'row' }, `[${index.join(', ')}]`), ...cells));
      }
    },
  });
  return h('div', { class: 'tensor-table', 'data-testid': testid },
    h('div', { class: 'tensor-table-scroll' }, h('table', { class: 'run-table values-table' }, body)),
    footer);
}

export function warning(message: string): HTMLElement {
  return h('div', { class: 'banner warning' }, icon('warning'), h('span', { class: 'banner-text' }, message));
}
