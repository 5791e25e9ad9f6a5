/**
 * Activations: capture every intermediate value (or the outputs of the node selected in the
 * graph) in one run, then look along the network — a per-layer chart of mean, std and sparsity
 * (click a point to pick the layer), a filterable list with warnings for dead and exploding values —
 * and into one value: statistics, histogram, a channel grid for 4-D feature maps, a per-head
 * heatmap for attention probabilities, its values, and "Show in graph" for its producing node.
 */
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ActivationsResult, TensorSummary } from '../../src/shared/runtimeTypes';
import { h, icon } from '../ui/dom';
import { formatInteger, formatShape } from '../format';
import { attentionView, channelGrid } from '../ui/tensor/canvasViews';
import { layerChart, type LayerChart } from './charts';
import { startAction, type RunningAction } from '../shell/action';
import type { RunContext } from './context';
import { button, checkbox, errorMessage, linkButton, searchInput, setDisabled, shareBar } from '../ui/controls';
import { activationFlags, FLAG_TEXT, layerSeries, opOfNode, producerOf, selectionLabel, splitName, valueIndex, valuesOfSelection } from './layers';
import { formatMs } from '../format';
import { formatPercent } from '../ui/numbers';
import { featureMap, isAttentionCandidate, rowsSumToOne } from '../ui/tensor/shapes';
import { histogramBox, statsGrid, tensorHeading, Themed, valuesTable, warning, type TensorSource } from '../ui/tensor/tensorView';
import { runTensorSource } from './tensorSource';

export class ActivationsView {
  readonly element: HTMLElement;
  private readonly allButton: HTMLElement;
  private readonly selectionButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly selectionNote: HTMLElement;
  private readonly status: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly results: HTMLElement;
  private readonly values: Map<string, number>;
  private result: ActivationsResult | null = null;
  private chart: LayerChart | null = null;
  /** Series index → activation index (the chart skips non-numeric values). */
  private seriesToActivation: number[] = [];
  private rows: HTMLElement[] = [];
  private details: HTMLElement | null = null;
  private readonly detailThemes = new Themed();
  private selected = -1;
  private seq = 0;
  private running: RunningAction | null = null;

  constructor(private readonly ctx: RunContext) {
    this.values = valueIndex(ctx.payload);
    this.allButton = button('Capture all', () => this.capture('all'), { icon: 'layers', testid: 'activations-all-button', title: 'Run once with every intermediate value as an extra output' });
    this.selectionButton = button('Capture selection', () => this.captureSelection(), { icon: 'target', secondary: true, testid: 'activations-selection-button' });
    this.cancelButton = button('Cancel', () => this.cancel(), { secondary: true, icon: 'close', testid: 'activations-cancel' });
    this.cancelButton.hidden = true;
    this.selectionNote = h('span', { class: 'muted run-selection-note' });
    this.status = h('span', { class: 'run-status', role: 'status' });
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.results = h('div', { class: 'activations-results' });
    this.element = h('div', { class: 'activations' },
      h('div', { class: 'run-actions' }, this.allButton, this.selectionButton, this.selectionNote, this.cancelButton, this.status),
      this.errorSlot,
      this.results);
    this.selectionChanged();
  }

  /** The graph's selection changed: the selection button names what it would capture. */
  selectionChanged(): void {
    const selection = this.ctx.selection();
    const label = selectionLabel(this.ctx.payload, selection);
    const values = valuesOfSelection(this.ctx.payload, selection);
    setDisabled(this.selectionButton, values.length === 0 || this.running !== null);
    this.selectionButton.title = values.length ? `Capture ${values.join(', ')}` : 'Select a node or a value in the Graph tab first';
    this.selectionNote.textContent = label ? `${selection.kind === 'node' ? 'node' : 'value'} ${label}` : 'nothing selected in the graph';
    this.selectionNote.title = label ?? '';
  }

  retheme(): void {
    this.chart?.retheme();
    this.detailThemes.retheme();
  }

  setBusy(busy: boolean): void {
    setDisabled(this.allButton, busy);
    if (busy) setDisabled(this.selectionButton, true);
    else this.selectionChanged();
  }

  private captureSelection(): void {
    const values = valuesOfSelection(this.ctx.payload, this.ctx.selection());
    if (values.length) this.capture(values);
  }

  capture(values: string[] | 'all'): void {
    const setup = this.ctx.takeSetup();
    if (!setup || !this.ctx.begin()) return;
    this.cancelButton.hidden = false;
    this.status.replaceChildren(h('vscode-progress-ring', { class: 'inline-ring', 'aria-label': 'Capturing' }), values === 'all' ? 'Capturing every intermediate value…' : `Capturing ${values.join(', ')}…`);
    this.running = startAction(this.ctx, 'captureActivations', { ...setup, values }, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => (this.status.lastChild!.textContent = m.message),
      done: (result) => {
        this.status.textContent = `Captured ${formatInteger(result.activations.length)} value${result.activations.length === 1 ? '' : 's'} in one run of ${formatMs(result.runMs)}`;
        this.show(result, values === 'all' ? null : values);
      },
      settled: () => {
        this.running = null;
        this.cancelButton.hidden = true;
        this.selectionChanged();
      },
    });
  }

  private cancel(): void {
    this.running?.cancel();
  }

  private show(result: ActivationsResult, asked: string[] | null): void {
    this.result = result;
    this.chart?.destroy();
    this.chart = null;
    this.detailThemes.destroy();
    const acts = result.activations;
    const series = layerSeries(acts);
    this.seriesToActivation = acts.flatMap((a, i) => (a.numeric ? [i] : []));
    const parts: (HTMLElement | null)[] = [];
    if (result.skipped.length) {
      parts.push(h('details', { class: 'run-skipped' },
        h('summary', {}, `${result.skipped.length} value${result.skipped.length === 1 ? '' : 's'} could not be captured`),
        h('ul', {}, result.skipped.map((s) => h('li', {}, h('span', { class: 'mono' }, s.name), `: ${s.reason}`)))));
    }
    if (acts.length === 0) {
      this.results.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null), h('p', { class: 'muted' }, 'Nothing was captured.'));
      return;
    }
    const flagged = acts.filter((a) => activationFlags(a, this.opOf(a)).length > 0);
    if (flagged.length) {
      parts.push(h('p', { class: 'run-flag-summary' }, icon('warning'), ` ${flagged.length} of ${acts.length} values look unusual: `,
        ...flagged.slice(0, 4).flatMap((a, i) => [i ? ', ' : '', linkButton(a.name, () => this.select(acts.indexOf(a), true), { class: 'link mono' })]),
        flagged.length > 4 ? ` and ${flagged.length - 4} more (marked in the list)` : ''));
    }
    if (series.names.length >= 2) {
      const box = h('div', { class: 'layer-chart', 'data-testid': 'activations-chart' });
      const log = checkbox('Log scale', false, { 'data-testid': 'activations-log' });
      log.addEventListener('change', () => this.chart?.setLog(log.checked));
      parts.push(h('div', { class: 'layer-chart-tools' },
        h('span', { class: 'muted' }, 'Along the network: click a point to pick that value.'),
        log), box);
      requestAnimationFrame(() => {
        if (!box.isConnected || this.result !== result) return;
        this.chart = layerChart(box, series, (i) => this.describe(acts[this.seriesToActivation[i]]), (i) => this.select(this.seriesToActivation[i], true));
        if (this.selected >= 0) this.chart.select(this.seriesToActivation.indexOf(this.selected));
      });
    }
    const list = this.list(acts);
    this.details = h('div', { class: 'activation-details', 'data-testid': 'activation-details' });
    parts.push(h('div', { class: 'activations-split' }, list, this.details));
    this.results.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
    const first = asked ? acts.findIndex((a) => asked.includes(a.name)) : 0;
    this.select(Math.max(0, first), false);
  }

  private opOf(a: TensorSummary): string | null {
    return opOfNode(this.ctx.payload, producerOf(this.ctx.payload, this.values, a.name));
  }

  private describe(a: TensorSummary): string {
    const op = this.opOf(a);
    return op ? `${a.name} (${op})` : a.name;
  }

  private list(acts: readonly TensorSummary[]): HTMLElement {
    const filter = searchInput({ class: 'run-input activation-filter', placeholder: 'Filter by name or op type', 'aria-label': 'Filter captured values' });
    this.rows = acts.map((a, i) => {
      const op = this.opOf(a) ?? '';
      const flags = activationFlags(a, op || null);
      const [scope, last] = splitName(a.name);
      const row = h('button', {
        class: 'activation-row', type: 'button', 'data-testid': 'activation-row', 'data-value': a.name, 'data-op': op, 'aria-pressed': 'false',
        title: `${a.name}${op ? ` (${op})` : ''}${flags.length ? ` — ${flags.map((f) => FLAG_TEXT[f]).join('; ')}` : ''}`,
      },
        h('span', { class: 'activation-index muted' }, String(i + 1)),
        h('span', { class: 'activation-name' },
          h('span', { class: 'split-name mono' }, scope ? h('span', { class: 'split-scope' }, scope) : null, h('span', { class: 'split-last' }, last)),
          h('span', { class: 'muted activation-meta' }, `${op}${op ? ' · ' : ''}${formatShape(a.dims)}`)),
        h('span', { class: 'activation-flags' }, ...flags.map((f) => h('span', { class: `flag flag-${f}`, title: FLAG_TEXT[f] }, icon(f === 'dead' ? 'circle-slash' : 'warning')))),
        h('span', { class: 'activation-sparsity', title: a.numeric ? `${formatPercent(a.numeric.zeros)} zeros` : '' }, shareBar(a.numeric?.zeros ?? 0)));
      row.addEventListener('click', () => this.select(i, false));
      return row;
    });
    const box = h('div', { class: 'activation-rows', role: 'list', 'aria-label': 'Captured values' }, this.rows);
    box.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const visible = this.rows.filter((r) => !r.hidden);
      const at = visible.indexOf(document.activeElement as HTMLElement);
      const next = visible[Math.max(0, Math.min(visible.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) {
        next.focus();
        next.click();
      }
    });
    filter.addEventListener('input', () => {
      const q = filter.value.trim().toLowerCase();
      for (const row of this.rows) row.hidden = q !== '' && !`${row.dataset.value} ${row.dataset.op}`.toLowerCase().includes(q);
    });
    return h('div', { class: 'activation-list' }, filter, box);
  }

  /** Shows one captured value; `fromChart` scrolls its list row into view. */
  select(index: number, fromChart: boolean): void {
    const result = this.result;
    const a = result?.activations[index];
    if (!result || !a || !this.details) return;
    this.selected = index;
    for (const [i, row] of this.rows.entries()) row.setAttribute('aria-pressed', String(i === index));
    if (fromChart) this.rows[index]?.scrollIntoView({ block: 'nearest' });
    this.chart?.select(this.seriesToActivation.indexOf(index));
    this.detailThemes.destroy();
    const seq = ++this.seq;
    const producer = producerOf(this.ctx.payload, this.values, a.name);
    const op = opOfNode(this.ctx.payload, producer);
    const reveal = producer >= 0
      ? button('Show in graph', () => this.ctx.revealNode(producer), { secondary: true, icon: 'type-hierarchy', testid: 'activation-show-in-graph', title: `Select ${this.ctx.payload.nodeNames[producer]} in the Graph tab` })
      : null;
    const visual = h('div', { class: 'activation-visual' });
    const source = runTensorSource(this.ctx.channel, result.runId, a.name);
    this.details.replaceChildren(
      h('header', { class: 'run-card-header' },
        h('div', { class: 'activation-title' }, h('span', { class: 'mono run-card-title wrap' }, a.name), tensorHeading(a)),
        reveal),
      op ? h('p', { class: 'muted activation-producer' }, `made by ${op} node `, h('span', { class: 'mono' }, this.ctx.payload.nodeNames[producer])) : '',
      ...activationFlags(a, op).map((f) => warning(`${a.name}: ${FLAG_TEXT[f]}`)),
      statsGrid(a, 'activation-stats'),
      histogramBox(source, a, this.detailThemes, 'activation-histogram') ?? '',
      visual,
      valuesTable(source, a, 'activation-table') ?? '',
    );
    this.drawVisual(source, a, op, visual, seq);
  }

  /** The channel grid or attention heatmap, from the first batch item's slab. */
  private drawVisual(source: TensorSource, a: TensorSummary, op: string | null, box: HTMLElement, seq: number): void {
    const attention = isAttentionCandidate(a.dims, op);
    const map = featureMap(a.dims);
    if ((!attention && !map) || !a.numeric) return;
    box.replaceChildren(h('span', { class: 'muted' }, 'Drawing…'));
    source.slab([0]).then(
      (slab) => {
        if (seq !== this.seq) return;
        const data = slab.data;
        const width = Math.max(200, (this.details?.clientWidth ?? 600) - 28);
        const isAttention = attention && rowsSumToOne(data, slab.dims[slab.dims.length - 1]);
        const view = isAttention ? attentionView(data, slab.dims, width) : channelGrid(data, slab.dims, width);
        box.replaceChildren(h('h4', {}, isAttention ? 'Attention per head' : 'Channels'), this.detailThemes.add(view).element);
      },
      (e: unknown) => seq === this.seq && box.replaceChildren(warning(errorMessage(e))),
    );
  }
}

