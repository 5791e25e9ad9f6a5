/**
 * Benchmark: warm-up and timed runs per configuration (intra-op threads × batch sizes when the
 * batch dim is symbolic), with a progress bar fed by the host's `progress` pushes and Cancel; then
 * p50/p90/p99 per configuration as bars, a table with mean, percentiles, min/max, throughput and
 * peak RSS, and where the JSON report was saved.
 */
import type { BenchReport, BenchSettings } from '../../src/shared/runtimeTypes';
import { h } from '../ui/dom';
import { reportLink } from '../ui/reportLinks';
import { formatBytes } from '../format';
import { latencyChart } from './charts';
import type { ThemedChart } from '../ui/charts';
import { startAction, type RunningAction } from '../shell/action';
import { ProgressLine } from '../ui/progress';
import type { RunContext } from './context';
import { button, field, numberInput, setDisabled, textInput, type TextField } from '../ui/controls';
import { formatMs } from '../format';
import { formatRate } from '../ui/numbers';
import { configLabel } from './reports';
import { hasSymbolicBatch, parseNumberList } from './setup';

const DEFAULTS: BenchSettings = { warmupRuns: 5, runs: 100, budgetMs: 10_000, threads: [0], batches: [] };

export class BenchmarkView {
  readonly element: HTMLElement;
  private readonly startButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly progress = new ProgressLine('Benchmark progress', 'bench-progress');
  private readonly status: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly results: HTMLElement;
  private readonly fields: { warmup: TextField; runs: TextField; budget: TextField; threads: TextField; batches: TextField | null };
  private chart: ThemedChart | null = null;
  private running: RunningAction | null = null;

  constructor(private readonly ctx: RunContext) {
    const symbolicBatch = hasSymbolicBatch(ctx.signature.inputs);
    this.fields = {
      warmup: numberInput(DEFAULTS.warmupRuns, { class: 'run-input run-small', min: 0, step: 1, 'data-testid': 'bench-warmup' }),
      runs: numberInput(DEFAULTS.runs, { class: 'run-input run-small', min: 1, step: 1, 'data-testid': 'bench-runs' }),
      budget: numberInput(DEFAULTS.budgetMs / 1000, { class: 'run-input run-small', min: 0, step: 'any', 'data-testid': 'bench-budget', title: 'Stop a configuration after this many seconds of timed runs (0: no limit)' }),
      threads: textInput('auto', { class: 'run-input run-list', 'data-testid': 'bench-threads', placeholder: 'auto, 1, 2', title: 'Intra-op thread counts to compare, e.g. "1, 2, 4" (auto = onnxruntime chooses)' }),
      batches: symbolicBatch ? textInput('', { class: 'run-input run-list', 'data-testid': 'bench-batches', placeholder: 'as given', title: 'Values for the symbolic batch dim, e.g. "1, 8, 32"; empty = the inputs as set above' }) : null,
    };
    this.startButton = button('Start', () => this.start(), { icon: 'dashboard', testid: 'bench-start' });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: 'bench-cancel' });
    setDisabled(this.cancelButton, true);
    this.status = h('span', { class: 'run-status', role: 'status' });
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.results = h('div', { class: 'bench-results' });
    this.element = h('div', { class: 'benchmark' },
      h('div', { class: 'run-form' },
        field('warm-up runs', this.fields.warmup),
        field('timed runs', this.fields.runs),
        field('time budget (s)', this.fields.budget),
        field('intra-op threads', this.fields.threads),
        this.fields.batches ? field('batch sizes', this.fields.batches) : null),
      h('div', { class: 'run-actions' }, this.startButton, this.cancelButton, this.status),
      this.progress.element,
      this.errorSlot,
      this.results);
  }

  setBusy(busy: boolean): void {
    if (!this.running) setDisabled(this.startButton, busy);
  }

  retheme(): void {
    this.chart?.retheme();
  }

  /** The settings as typed; a wrong field throws one sentence naming it. */
  private settings(): BenchSettings {
    const whole = (input: TextField, what: string, min: number) => {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isInteger(v) || v < min) throw new Error(`Benchmark: ${what} must be a whole number of at least ${min}.`);
      return v;
    };
    const budget = Number(this.fields.budget.value);
    if (!(budget >= 0)) throw new Error('Benchmark: the time budget must be a number of seconds, 0 for none.');
    const list = (input: TextField | null, opts: Parameters<typeof parseNumberList>[1]) => {
      if (!input) return [];
      const parsed = parseNumberList(input.value, opts);
      if ('error' in parsed) throw new Error(`Benchmark: ${parsed.error}`);
      return parsed.values;
    };
    const threads = list(this.fields.threads, { min: 0, max: 1024, what: 'threads', allowAuto: true });
    return {
      warmupRuns: whole(this.fields.warmup, 'warm-up runs', 0),
      runs: whole(this.fields.runs, 'timed runs', 1),
      budgetMs: Math.round(budget * 1000),
      threads: threads.length ? threads : [0],
      batches: list(this.fields.batches, { min: 1, max: 65536, what: 'batch sizes' }),
    };
  }

  start(): void {
    let settings: BenchSettings;
    try {
      settings = this.settings();
    } catch (error) {
      this.ctx.end({ error, slot: this.errorSlot });
      return;
    }
    const setup = this.ctx.takeSetup();
    if (!setup || !this.ctx.begin()) return;
    setDisabled(this.startButton, true);
    setDisabled(this.cancelButton, false);
    const total = settings.threads.length * Math.max(1, settings.batches.length);
    this.progress.start(total);
    this.status.textContent = '';
    this.running = startAction(this.ctx, 'benchmark', { ...setup, settings }, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => this.progress.set(m.done, m.total, m.message),
      done: ({ report, savedTo }) => {
        this.show(report, savedTo);
        this.status.textContent = `${report.points.length} configuration${report.points.length === 1 ? '' : 's'} measured`;
      },
      settled: () => {
        this.running = null;
        this.progress.hide();
        setDisabled(this.cancelButton, true);
        setDisabled(this.startButton, false);
      },
    });
  }

  private cancel(): void {
    if (!this.running) return;
    this.progress.say('Cancelling…');
    this.running.cancel();
  }

  private show(report: BenchReport, savedTo: string | null): void {
    this.chart?.destroy();
    this.chart = null;
    const labels = report.points.map((p) => configLabel(p.config));
    const chartBox = h('div', { class: 'bench-chart', 'data-testid': 'bench-chart' });
    const head = ['configuration', 'runs', 'mean', 'p50', 'p90', 'p99', 'min', 'max', 'throughput', 'peak RSS'];
    const rows = report.points.map((p, i) => {
      const l = p.latency;
      return h('tr', { 'data-testid': 'bench-row', 'data-threads': p.config.intraOpThreads, 'data-batch': p.config.batch ?? '' },
        h('th', { scope: 'row' }, labels[i]),
        ...[String(l.runs), formatMs(l.mean), formatMs(l.p50), formatMs(l.p90), formatMs(l.p99), formatMs(l.min), formatMs(l.max), formatRate(l.throughput), `+${formatBytes(p.peakRssDeltaBytes)}`]
          .map((text) => h('td', { class: 'num mono' }, text)));
    });
    const host = report.host;
    this.results.replaceChildren(
      chartBox,
      h('div', { class: 'run-table-scroll' },
        h('table', { class: 'run-table bench-table', 'data-testid': 'bench-table' },
          h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { class: i ? 'num' : '', scope: 'col' }, t)))),
          h('tbody', {}, ...rows))),
      h('p', { class: 'muted run-hint' }, `Latency of one run in ms; throughput in samples per second; peak RSS is the runtime process's growth. `,
        `${host.cpus} × ${host.cpuModel || 'CPU'}, onnxruntime ${host.ort}, Node ${host.node}.`),
      h('p', { class: 'bench-saved', 'data-testid': 'bench-saved' },
        ...(savedTo ? ['Report saved to ', reportLink(savedTo, 'mono bench-saved-path')] : ['The report was not saved (open a folder to keep benchmark reports).'])),
    );
    requestAnimationFrame(() => {
      if (!chartBox.isConnected) return;
      this.chart = latencyChart(chartBox, labels, [
        { label: 'p50', values: report.points.map((p) => p.latency.p50) },
        { label: 'p90', values: report.points.map((p) => p.latency.p90) },
        { label: 'p99', values: report.points.map((p) => p.latency.p99) },
      ]);
    });
  }
}
