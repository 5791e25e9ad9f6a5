/**
 * The Quantize tab: created when the tab is first shown or a quantization is pushed. A "Quantize
 * (dynamic int8)" button (the wizard with every choice is "ONNX Lens: Quantize Model…"), then the
 * report: facts, headline cards (size ratio, latency, accuracy with its interval, agreement), the
 * per-node error table worst first with "Exclude the N worst and quantize again", and — after a
 * re-quantization — the previous run beside the new one. The per-node error is also the graph's
 * 'quant-error' overlay (pushed by the host).
 *
 * `body[data-quant-state]`: idle | running | done | error.
 */
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import './quantize.css';
import type { QuantReport } from '../../src/shared/quantReport';
import type { ProgressMessage, QuantizationResult, QuantizeRequest } from '../../src/shared/protocol';
import { h, icon } from '../ui/dom';
import type { Tab } from '../shell/appShell';
import { LONG_REQUEST_MS, type HostChannel } from '../shell/hostChannel';
import type { GraphPort } from '../shell/ports';
import { savedPaths } from '../ui/reportLinks';
import { button, errorMessage, ErrorBanner, setDisabled } from '../ui/controls';
import { nodeTable } from './nodeTable';
import { factsLine, headlineCards, sideBySide } from './reportView';

export type QuantState = 'idle' | 'running' | 'done' | 'error';

export interface QuantizePanelHost {
  channel: HostChannel;
  /** "Show on graph": the Graph tab coloured by the 'quant-error' overlay, a node selected. */
  graph: GraphPort;
}

const DEFAULT_WORST = 3;

export class QuantizePanel implements Tab {
  readonly element: HTMLElement;
  private readonly errors = new ErrorBanner();
  private readonly quantizeButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly progressBar: HTMLElement & { value?: number; max: number };
  private readonly progressText: HTMLElement;
  private readonly resultsSlot: HTMLElement;
  private readonly errorSlot = h('div', { class: 'run-action-error' });
  private running: { requestId: number; cancelled: boolean } | null = null;
  private current: QuantizationResult | null = null;
  private previous: QuantizationResult | null = null;
  private generation = 0;

  constructor(private readonly host: QuantizePanelHost) {
    this.errors.element.dataset.testid = 'quant-error';
    this.quantizeButton = button('Quantize (dynamic int8)', () => this.quantize({ settings: { mode: 'dynamic', perChannel: true, symmetric: true } }, false), {
      icon: 'package', testid: 'quant-run', title: 'Dynamic int8, per-channel symmetric weights, MatMul and Gemm; for every other choice run "ONNX Lens: Quantize Model…"',
    });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: 'quant-cancel' });
    setDisabled(this.cancelButton, true);
    this.progressBar = h('vscode-progress-bar', { 'aria-label': 'Quantization progress', max: 1 }) as HTMLElement & { value?: number; max: number };
    this.progressText = h('span', { class: 'muted' });
    this.progress = h('div', { class: 'run-progress', 'data-testid': 'quant-progress', hidden: true }, this.progressBar, this.progressText);
    this.resultsSlot = h('div', { class: 'quant-results-slot' });
    this.element = h('div', { class: 'shell-page eval-panel quant-panel', 'data-testid': 'quant-panel' },
      h('header', { class: 'run-header eval-header' }, h('h2', { class: 'run-section-title' }, icon('package'), 'Quantize')),
      h('div', { class: 'eval-setup quant-setup' },
        h('p', { class: 'muted quant-hint' }, 'The model is never changed: the quantized model is a new file in the reports folder, compared with the model on the labelled dataset beside it when there is one. For the mode, bit width, calibration data, exclusions and output file, run ', h('strong', {}, 'ONNX Lens: Quantize Model…'), ' from the command palette.'),
        h('div', { class: 'run-actions' }, this.quantizeButton, this.cancelButton),
        this.progress,
        this.errorSlot),
      this.resultsSlot);
    document.body.dataset.quantState = 'idle';
    this.loadLatest();
  }

  private showProgress(message: ProgressMessage): void {
    this.progressBar.max = Math.max(1, message.total);
    this.progressBar.value = message.done;
    this.progressText.textContent = message.message;
  }

  /** A quantization finished outside the tab (the wizard): show it, the one shown so far beside it. */
  showPushed(result: QuantizationResult): void {
    this.show(result, this.current);
    document.body.dataset.quantState = 'done';
  }

  private loadLatest(): void {
    const generation = this.generation;
    this.resultsSlot.replaceChildren(h('p', { class: 'muted' }, 'Looking for the last quantization of this model…'));
    this.host.channel.request('latestQuantization', {}).then(
      (latest) => {
        if (generation !== this.generation) return;
        if (latest) this.show(latest, null);
        else this.resultsSlot.replaceChildren(h('p', { class: 'eval-empty', 'data-testid': 'quant-empty' }, 'No quantization of this model yet.'));
      },
      (error: unknown) => {
        if (generation === this.generation) this.resultsSlot.replaceChildren(h('p', { class: 'eval-empty' }, `The last quantization could not be read: ${errorMessage(error)}`));
      },
    );
  }

  private show(result: QuantizationResult, previous: QuantizationResult | null): void {
    this.generation++;
    this.previous = previous && previous.report.output.path !== result.report.output.path ? previous : null;
    this.current = result;
    const r = result.report;
    // At least one node stays quantized: excluding every one would be no quantization at all.
    const worst = Math.min(DEFAULT_WORST, Math.max(0, (r.comparison?.nodes.length ?? 0) - 1));
    const requantize = button(`Exclude the ${worst === 0 ? 'worst' : worst === 1 ? 'worst node' : `${worst} worst`} and quantize again`, () => this.requantize(r, worst), {
      icon: 'debug-restart', testid: 'quant-requantize', secondary: true,
      title: `Leave the ${worst} nodes with the lowest SQNR in float32 and quantize again into a new file; the new report shows beside this one`,
    });
    if (worst === 0) setDisabled(requantize, true);
    const showGraph = button('Show on graph', () => this.showOnGraph(null), { icon: 'type-hierarchy', secondary: true, testid: 'quant-show-graph', title: 'Colour the graph by each node\'s quantization error' });
    const warnings = r.warnings.length ? h('ul', { class: 'eval-warnings' }, ...r.warnings.map((w) => h('li', { class: 'banner warning' }, icon('warning'), h('span', {}, w)))) : '';
    this.resultsSlot.replaceChildren(h('div', { class: 'eval-results quant-results', 'data-testid': 'quant-results' },
      h('div', { class: 'eval-overview' },
        factsLine(r),
        savedPaths(result.savedTo, 'quantization'),
        warnings,
        headlineCards(r)),
      this.previous ? sideBySide(this.previous.report, r) : '',
      h('section', { class: 'quant-node-section' },
        h('div', { class: 'quant-node-head' },
          h('h3', { class: 'eval-subtitle' }, 'Per-node error', h('span', { class: 'muted' }, ` · worst first · ${r.comparison?.samples ?? 0} samples`)),
          h('div', { class: 'run-actions' }, showGraph, requantize)),
        h('div', { class: 'run-table-scroll' }, nodeTable(r, (node) => this.showOnGraph(node))))));
  }

  private showOnGraph(node: string | null): void {
    this.host.graph.showOverlay('ch:quant-error', node);
  }

  private requantize(r: QuantReport, worst: number): void {
    const names = (r.comparison?.nodes ?? []).slice(0, worst).map((n) => n.node);
    const settings = { ...r.settings, excludeNodes: [...new Set([...(r.settings.excludeNodes ?? []), ...names])] };
    this.quantize({ settings, evalData: r.accuracy?.data ?? null }, true);
  }

  private quantize(request: QuantizeRequest, keepPrevious: boolean): void {
    if (this.running) return;
    const before = this.current;
    const { requestId, promise } = this.host.channel.requestWithId('quantize', request, LONG_REQUEST_MS, (m) => this.showProgress(m));
    this.running = { requestId, cancelled: false };
    document.body.dataset.quantState = 'running';
    this.errors.clear();
    this.progress.hidden = false;
    this.progressBar.value = undefined;
    this.progressText.textContent = 'Starting…';
    setDisabled(this.quantizeButton, true);
    setDisabled(this.cancelButton, false);
    promise.then(
      (result) => {
        this.show(result, keepPrevious ? before : null);
        document.body.dataset.quantState = 'done';
      },
      (error: unknown) => {
        if (this.running?.cancelled) {
          document.body.dataset.quantState = 'idle';
          return;
        }
        this.errors.show(errorMessage(error), this.errorSlot);
        document.body.dataset.quantState = 'error';
      },
    ).finally(() => {
      this.running = null;
      this.progress.hidden = true;
      setDisabled(this.quantizeButton, false);
      setDisabled(this.cancelButton, true);
    });
  }

  private cancel(): void {
    if (!this.running) return;
    this.running.cancelled = true;
    this.host.channel.cancel(this.running.requestId);
  }
}
