/**
 * Profile: onnxruntime's own profiler over a number of runs. The slowest kernels first (op type,
 * ORT's node name, mean µs, share, and the original nodes each covers — fused groups named as
 * such), then time per op type. A row click selects its first node in the graph, whose "time"
 * colouring the host sets at the same time.
 */
import type { ProfileEntry, ProfileResult } from '../../src/shared/runtimeTypes';
import { append, clipped, h, icon } from '../ui/dom';
import { formatInteger } from '../format';
import { startAction } from '../shell/action';
import type { RunContext } from './context';
import { button, field, linkButton, numberInput, setDisabled, shareBar, type TextField } from '../ui/controls';
import { formatUs } from '../format';
import { formatPercent } from '../ui/numbers';
import { firstGraphNode, kernelNodesLabel } from './reports';

/** Kernel rows shown before "Show all". */
const FIRST_ROWS = 30;

export class ProfileView {
  readonly element: HTMLElement;
  private readonly runs: TextField;
  private readonly startButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly errorSlot: HTMLElement;
  private readonly results: HTMLElement;
  private readonly nodeIndex: Map<string, number>;
  private running = false;

  constructor(private readonly ctx: RunContext) {
    this.nodeIndex = new Map(ctx.payload.nodeNames.map((name, i) => [name, i]));
    this.runs = numberInput(10, { class: 'run-input run-small', min: 1, step: 1, 'data-testid': 'profile-runs' });
    this.startButton = button('Profile', () => this.start(), { icon: 'pulse', testid: 'profile-start' });
    this.status = h('span', { class: 'run-status', role: 'status' });
    this.errorSlot = h('div', { class: 'run-action-error' });
    this.results = h('div', { class: 'profile-results' });
    this.element = h('div', { class: 'profile' },
      h('div', { class: 'run-form' }, field('runs', this.runs)),
      h('div', { class: 'run-actions' }, this.startButton, this.status),
      this.errorSlot,
      this.results);
  }

  setBusy(busy: boolean): void {
    if (!this.running) setDisabled(this.startButton, busy);
  }

  start(): void {
    const runs = Number(this.runs.value);
    if (!Number.isInteger(runs) || runs < 1 || runs > 100_000) {
      this.ctx.end({ error: new Error('Profile: runs must be a whole number from 1 to 100,000.'), slot: this.errorSlot });
      return;
    }
    const setup = this.ctx.takeSetup();
    if (!setup || !this.ctx.begin()) return;
    this.running = true;
    setDisabled(this.startButton, true);
    this.status.replaceChildren(h('vscode-progress-ring', { class: 'inline-ring', 'aria-label': 'Profiling' }), `Profiling ${runs} run${runs === 1 ? '' : 's'}…`);
    startAction(this.ctx, 'profile', { ...setup, runs }, {
      slot: this.errorSlot,
      status: this.status,
      progress: (m) => (this.status.lastChild!.textContent = `${m.message} (${m.done} of ${m.total})`),
      done: (result) => {
        this.status.textContent = '';
        this.show(result);
      },
      settled: () => {
        this.running = false;
        setDisabled(this.startButton, false);
      },
    });
  }

  private show(r: ProfileResult): void {
    const kernels = h('tbody', {});
    const addRows = (entries: readonly ProfileEntry[], from: number) => append(kernels, entries.map((e, i) => this.kernelRow(e, from + i)));
    addRows(r.entries.slice(0, FIRST_ROWS), 0);
    const more = r.entries.length > FIRST_ROWS
      ? linkButton(`Show all ${formatInteger(r.entries.length)} kernels`, () => {
          addRows(r.entries.slice(FIRST_ROWS), FIRST_ROWS);
          more?.remove();
        })
      : null;
    const byOp = r.byOpType.map((o) => h('tr', { 'data-testid': 'profile-op-row', 'data-op': o.opType },
      h('th', { scope: 'row' }, o.opType),
      h('td', { class: 'num mono' }, formatInteger(o.kernels)),
      h('td', { class: 'num mono' }, formatUs(o.meanUs)),
      shareCell(o.share)));
    const overlay = linkButton('Colour the graph by time', () => this.ctx.showOverlay('ch:time'), { 'data-testid': 'profile-show-overlay' });
    this.results.replaceChildren(
      h('p', { class: 'profile-summary' },
        `${formatInteger(r.runs)} run${r.runs === 1 ? '' : 's'} · one run ${formatUs(r.runUs)} · kernels ${formatUs(r.kernelUs)} (${formatPercent(r.runUs > 0 ? r.kernelUs / r.runUs : 0)}; the rest is scheduling and copies) · graph optimisation ${r.graphOptimization}`),
      h('p', { class: 'muted run-hint' }, icon('info'), ' Click a row to select its node in the graph. The graph\'s “Colour by” menu now has Time: ', overlay, '.'),
      h('p', { class: 'muted run-hint', 'data-testid': 'profile-mapping' }, mappingSentence(r)),
      h('h3', { class: 'run-subtitle' }, 'Slowest kernels'),
      h('div', { class: 'run-table-scroll' },
        h('table', { class: 'run-table profile-table', 'data-testid': 'profile-table' },
          h('thead', {}, h('tr', {}, ...['op type', 'onnxruntime node', 'mean', 'share', 'graph nodes'].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : '' }, t)))),
          kernels)),
      more ?? '',
      h('h3', { class: 'run-subtitle' }, 'By op type'),
      h('div', { class: 'run-table-scroll' },
        h('table', { class: 'run-table profile-optable', 'data-testid': 'profile-optable' },
          h('thead', {}, h('tr', {}, ...['op type', 'kernels', 'mean', 'share'].map((t, i) => h('th', { scope: 'col', class: i === 1 || i === 2 ? 'num' : '' }, t)))),
          h('tbody', {}, byOp))),
    );
  }

  private kernelRow(e: ProfileEntry, index: number): HTMLElement {
    const node = firstGraphNode(e.nodes, this.nodeIndex);
    const nodes = kernelNodesLabel(e);
    const row = h('tr', {
      'data-testid': 'profile-row', 'data-index': index, 'data-node': node >= 0 ? this.ctx.payload.nodeNames[node] : '',
      class: node >= 0 ? 'clickable' : '', tabindex: node >= 0 ? 0 : undefined, title: node >= 0 ? `Select ${this.ctx.payload.nodeNames[node]} in the graph` : undefined,
    },
      h('td', {}, e.opType, e.fused ? h('span', { class: 'fused-tag', title: 'onnxruntime fused several graph nodes into this kernel' }, 'fused') : null),
      h('td', {}, clipped(e.ortName, 'mono')),
      h('td', { class: 'num mono' }, formatUs(e.meanUs)),
      shareCell(e.share),
      h('td', { class: e.nodes.length ? '' : 'muted' }, clipped(nodes, 'mono')));
    if (node >= 0) {
      const reveal = () => this.ctx.revealNode(node);
      row.addEventListener('click', reveal);
      row.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          reveal();
        }
      });
    }
    return row;
  }
}

/** How kernels were mapped to graph nodes, and what could not be. */
function mappingSentence(r: ProfileResult): string {
  const through = r.mappedThrough === 'optimized-graph' ? 'through the optimised graph onnxruntime saved' : 'by kernel names (onnxruntime could not save its optimised graph)';
  const fused = Object.keys(r.fusedInto).length;
  const folded = fused ? ` ${formatInteger(fused)} node${fused === 1 ? ' was' : 's were'} folded into another node's kernel (the time is on that node).` : '';
  const lost = r.unmapped.kernels
    ? ` ${formatInteger(r.unmapped.kernels)} kernel${r.unmapped.kernels === 1 ? '' : 's'} (${formatUs(r.unmapped.us)}) could not be mapped to any graph node.`
    : ' Every kernel maps to a graph node.';
  return `Kernels are mapped to graph nodes ${through}; layout reorders are charged to the node beside them.${folded}${lost}`;
}

function shareCell(share: number): HTMLElement {
  return h('td', { class: 'share-cell' }, shareBar(share, formatPercent(share)));
}
