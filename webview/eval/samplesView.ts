/**
 * The samples behind a confusion-matrix cell (or the largest regression errors, or the samples two
 * models disagree on): one row per sample with where it came from, true and predicted class,
 * confidence and the runner-up classes, and what the sample holds — an image thumbnail, or the
 * row's values (drawn as a small picture too when they are k × k pixel-like values, as the digits
 * CSV is). Contents come from `fetch` (the host's `evalSamples`); the standalone report has no host
 * and lists the kept drill-down rows only. Rows arrive a page at a time.
 */
import type { EvalReport } from '../../src/shared/evalReport';
import type { EvalSampleView } from '../../src/shared/protocol';
import { append, clipped, h, icon } from '../ui/dom';
import { maxOf } from '../../src/core/lists';
import { errorMessage, shareBar } from '../ui/controls';
import { formatValue } from '../ui/numbers';
import { sampleRow, sourceLabel, type SampleRow } from './drilldown';
import { className, formatMetric } from './metricInfo';

export type SampleFetcher = (samples: { index: number; source: number | string }[]) => Promise<EvalSampleView[]>;
/** Opens a sample where it lives (the data file at its line, or its image); null in the standalone report. */
export type SampleOpener = (sample: { index: number; source: number | string | null }) => void;
/** Explains a sample's prediction (the Evaluate tab's Why?); null in the standalone report. */
export type SampleWhy = (index: number) => void;

export const PAGE_SIZE = 24;

/** Side of the square picture a row of k² non-negative values makes, or 0 (a picture needs at least 4 × 4). */
export function squareSide(values: readonly number[] | undefined): number {
  if (!values || values.length < 16) return 0;
  const side = Math.round(Math.sqrt(values.length));
  if (side * side !== values.length) return 0;
  return values.every((v) => Number.isFinite(v) && v >= 0) ? side : 0;
}

function pixelThumb(values: readonly number[], side: number): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'eval-thumb', width: side, height: side, 'aria-hidden': 'true' });
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const max = maxOf(values, 0) || 1;
  const img = ctx.createImageData(side, side);
  // Ink is dark on light: high values darker, like the digits' 0 (paper) to 16 (ink).
  values.forEach((v, i) => {
    const g = Math.round(255 - (v / max) * 255);
    img.data.set([g, g, g, 255], i * 4);
  });
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export class SamplesView {
  /** "Open" beside a sample: the row in its data file, or the image. */
  private openLink(index: number, source: number | string | null | undefined): HTMLElement | null {
    if (!this.open) return null;
    const what = typeof source === 'string' ? 'the image' : typeof source === 'number' ? `line ${source} of the data file` : 'the data file';
    const b = h('button', { class: 'link eval-sample-open', type: 'button', title: `Open ${what}`, 'data-testid': 'eval-sample-open' }, icon('go-to-file'), ' open');
    b.addEventListener('click', () => this.open!({ index, source: source ?? null }));
    return b;
  }

  /** "Why?" beside a sample: its explanation in the pane under the results. */
  private whyLink(index: number): HTMLElement | null {
    if (!this.why) return null;
    const b = h('button', { class: 'link eval-sample-why', type: 'button', title: 'Explain this prediction', 'data-testid': 'eval-sample-why' }, icon('lightbulb'), ' Why?');
    b.addEventListener('click', () => this.why!(index));
    return b;
  }

  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLButtonElement;
  private positions: number[] = [];
  private shown = 0;
  private generation = 0;

  constructor(private readonly report: EvalReport, private readonly fetch: SampleFetcher | null, private readonly open: SampleOpener | null = null, private readonly why: SampleWhy | null = null) {
    this.header = h('div', { class: 'eval-samples-head' });
    this.list = h('ol', { class: 'eval-sample-list' });
    this.more = h('button', { class: 'link eval-more', type: 'button', hidden: true }, 'Show more');
    this.more.addEventListener('click', () => void this.page());
    this.element = h('div', { class: 'eval-samples', 'data-testid': 'eval-samples', 'aria-live': 'polite' }, this.header, this.list, this.more);
    this.placeholder();
  }

  private placeholder(): void {
    const what = this.report.task === 'regression' ? 'Pick a list above' : 'Click a cell of the confusion matrix';
    this.header.replaceChildren(h('p', { class: 'muted' }, `${what} to see its samples.`));
    this.list.replaceChildren();
    this.more.hidden = true;
  }

  /** Lists the samples at these drill-down positions (already in display order). */
  show(title: string, positions: number[], notes: string[] = []): void {
    this.generation++;
    this.positions = positions;
    this.shown = 0;
    this.list.replaceChildren();
    const d = this.report.drilldown;
    const kept = d.samplesTruncated ? [`The report keeps ${d.count.toLocaleString('en-US')} of ${d.total.toLocaleString('en-US')} samples (every mistake first); only kept samples are listed.`] : [];
    this.header.replaceChildren(
      h('h4', { class: 'eval-subtitle', 'data-testid': 'eval-samples-title' }, title),
      h('p', { class: 'muted eval-samples-note' }, `${positions.length.toLocaleString('en-US')} sample${positions.length === 1 ? '' : 's'}`, ...[...notes, ...kept].map((n) => ` · ${n}`)),
    );
    void this.page();
  }

  private async page(): Promise<void> {
    const generation = this.generation;
    const slice = this.positions.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += slice.length;
    this.more.hidden = this.shown >= this.positions.length;
    this.more.textContent = `Show ${Math.min(PAGE_SIZE, this.positions.length - this.shown)} more`;
    const rows = slice.map((position) => sampleRow(this.report.drilldown, position));
    const items = rows.map((row) => this.item(row));
    append(this.list, items.map((i) => i.element));
    if (!this.fetch || rows.length === 0) {
      items.forEach((item) => item.fill(undefined));
      return;
    }
    try {
      const views = await this.fetch(rows.map((r) => ({ index: r.index, source: r.source })));
      if (generation !== this.generation) return;
      const byIndex = new Map(views.map((v) => [v.index, v]));
      items.forEach((item, i) => item.fill(byIndex.get(rows[i].index)));
    } catch (error) {
      if (generation !== this.generation) return;
      items.forEach((item) => item.fill(undefined));
      this.header.append(h('p', { class: 'muted eval-samples-error', role: 'status' }, `The samples’ contents could not be read: ${errorMessage(error)}`));
    }
  }

  private item(row: SampleRow): { element: HTMLElement; fill(view: EvalSampleView | undefined): void } {
    const r = this.report;
    const names = r.data.classNames;
    const d = r.drilldown;
    const thumb = h('div', { class: 'eval-thumb-slot', 'aria-hidden': 'true' });
    const values = h('div', { class: 'eval-sample-values' });
    let outcome: HTMLElement;
    let side: HTMLElement | null = null;
    if (r.task === 'classification') {
      const right = row.yTrue === row.yPred;
      outcome = h('div', { class: 'eval-sample-outcome' },
        h('span', { class: 'muted' }, 'true '), h('strong', {}, className(names, row.yTrue)),
        h('span', { class: 'muted' }, ' → predicted '), h('strong', { class: right ? 'eval-right' : 'eval-wrong' }, className(names, row.yPred)));
      if (row.confidence !== null) side = h('div', { class: 'eval-sample-conf', title: 'probability of the predicted class' }, shareBar(row.confidence, formatMetric('accuracy', row.confidence)));
      if (row.top) values.append(h('span', { class: 'muted mono eval-top' }, row.top.map((t) => `${className(names, t.label)} ${t.p.toFixed(3)}`).join(' · ')));
    } else {
      const err = row.yTrue - row.yPred;
      outcome = h('div', { class: 'eval-sample-outcome mono' },
        h('span', { class: 'muted' }, 'true '), formatValue(row.yTrue), h('span', { class: 'muted' }, ' predicted '), formatValue(row.yPred),
        h('span', { class: 'muted' }, ' error '), h('strong', {}, `${err > 0 ? '+' : ''}${formatValue(err)}`));
    }
    const element = h('li', { class: 'eval-sample', 'data-testid': 'eval-sample', 'data-index': row.index },
      thumb,
      h('div', { class: 'eval-sample-main' },
        h('div', { class: 'eval-sample-where' }, h('span', { class: 'mono' }, `#${row.index}`), clipped(sourceLabel(d.sourceKind, row.source), 'muted eval-sample-source'), this.openLink(row.index, row.source), this.whyLink(row.index)),
        outcome, values),
      side);
    return {
      element,
      fill: (view) => {
        if (view?.thumbnail) thumb.append(h('img', { class: 'eval-thumb', src: view.thumbnail, alt: '' }));
        else if (view?.values) {
          const s = squareSide(view.values);
          if (s) thumb.append(pixelThumb(view.values, s));
          const text = view.values.map((v, i) => `${view.columns?.[i] ?? i} ${formatValue(v)}`).join(' · ');
          values.append(clipped(text, 'mono eval-values-text'));
        }
        if (!thumb.childElementCount) thumb.remove();
      },
    };
  }
}
