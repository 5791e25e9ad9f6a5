/**
 * The diff editor's page: both graphs side by side (the model editor's GraphView, each with its
 * own layout worker), nodes coloured added / removed / changed / same, pan, zoom and selection
 * kept in step between the two, and a side panel with the change list (click: the node in both
 * graphs), signature, totals and — on request — the behaviour of both models.
 */
import type { DiffReport, BehaviourDiff } from '../../src/shared/diffReport';
import { NodeState, type DiffPageMessage, type DiffViewData } from '../../src/shared/diffView';
import { decodeGraphPayload } from '../../src/shared/payloadCodec';
import { formatBytes, formatCompact } from '../format';
import { GraphView, type GraphSelection } from '../graph/graphView';
import { LayoutClient } from '../graph/layoutClient';
import type { Viewport } from '../graph/render/viewport';
import { h, icon } from '../ui/dom';
import { observeTheme } from '../ui/theme';
import { changeEntries, renderChangeList, type ChangeEntry } from './changeList';
import { readDiffColours, stateFill, type DiffColours } from './diffColours';
import { groupStates } from './groupStates';

type Side = 'a' | 'b';

/** A GraphView that tells its twin about every pan and zoom as it happens. */
class SyncedView extends GraphView {
  onMove: ((v: Viewport) => void) | null = null;
  override moveView(viewport: Viewport, interacting = false): void {
    super.moveView(viewport, interacting);
    this.onMove?.(viewport);
  }
}

export interface DiffPageHost {
  post(message: DiffPageMessage): void;
  workerUrl: string;
}

export class DiffPage {
  readonly element: HTMLElement;
  private readonly views: Partial<Record<Side, SyncedView>> = {};
  private readonly index: Record<Side, Map<string, number>>;
  private colours: DiffColours;
  private readonly behaviourSlot = h('div', { class: 'diff-behaviour', 'data-testid': 'behaviour' });
  private syncing = false;
  private selected: { side: Side; node: string } | null = null;
  private readonly stopTheme: () => void;

  constructor(private readonly data: DiffViewData, graphA: ArrayBuffer, graphB: ArrayBuffer, private readonly host: DiffPageHost) {
    const r = data.report;
    const payloads = { a: decodeGraphPayload(graphA), b: decodeGraphPayload(graphB) };
    this.index = { a: new Map(payloads.a.nodeNames.map((n, i) => [n, i])), b: new Map(payloads.b.nodeNames.map((n, i) => [n, i])) };
    this.colours = readDiffColours();
    const panes = (['a', 'b'] as const).map((side) => {
      const pane = h('section', { class: 'diff-pane', 'data-testid': `pane-${side}`, 'aria-label': side === 'a' ? 'Old model' : 'New model' },
        h('header', { class: 'diff-pane-title' }, h('span', { class: 'diff-side' }, side), h('span', { class: 'diff-path', title: r[side] }, r[side]),
          openButton(() => host.post({ type: 'openSide', side }))));
      void this.startView(side, side === 'a' ? graphA : graphB, payloads[side], pane);
      return pane;
    });
    const entries = changeEntries(r);
    const panel = h('aside', { class: 'diff-panel' },
      h('p', { class: 'diff-headline', 'data-testid': 'headline' }, r.headline),
      legend(r),
      h('h3', {}, `Changes (${entries.length})`),
      renderChangeList(entries, (e, row) => this.pick(e, row)),
      ...signatureSection(r),
      totalsSection(r),
      this.behaviourSection());
    this.element = h('div', { class: 'diff-body' }, ...panes, panel);
    this.stopTheme = observeTheme(() => {
      this.colours = readDiffColours();
      for (const side of ['a', 'b'] as const) {
        this.views[side]?.retheme();
        this.colour(side);
      }
    });
  }

  dispose(): void {
    this.stopTheme();
    this.views.a?.dispose();
    this.views.b?.dispose();
  }

  private async startView(side: Side, graph: ArrayBuffer, payload: ReturnType<typeof decodeGraphPayload>, pane: HTMLElement): Promise<void> {
    const client = await LayoutClient.start(this.host.workerUrl);
    client.init(graph);
    const view = new SyncedView(payload, client, {
      onSelect: (s) => this.onSelect(side, s),
      overlayReading: () => null,
      groupReading: () => null,
      onStateChange: () => undefined,
      onFirstPaint: () => this.report(),
      onError: (message) => pane.append(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', {}, message))),
    }, null);
    view.onMove = (v) => this.follow(side, v);
    this.views[side] = view;
    pane.append(view.element);
    this.colour(side);
  }

  private colour(side: Side): void {
    const view = this.views[side];
    if (!view) return;
    const states = this.data.states[side];
    const hier = view.hierarchy;
    const groups = groupStates(hier.nodeGroup, hier.parent, states, hier.groupCount);
    view.setNodeFill((n) => stateFill(this.colours, side, states[n]), (g) => (groups[g] === NodeState.Same ? null : stateFill(this.colours, side, groups[g])));
  }

  /** Pan and zoom follow the other side (the graphs differ, so the same view shows the same region roughly). */
  private follow(from: Side, v: Viewport): void {
    if (this.syncing) return;
    const other = this.views[from === 'a' ? 'b' : 'a'];
    if (!other) return;
    this.syncing = true;
    try {
      other.moveView({ ...v });
    } finally {
      this.syncing = false;
    }
  }

  private onSelect(side: Side, s: GraphSelection): void {
    if (this.syncing || s.kind !== 'node') return;
    const node = this.views[side]!.payload.nodeNames[s.index];
    this.selected = { side, node };
    const other: Side = side === 'a' ? 'b' : 'a';
    const twin = side === 'a' ? this.data.states.aToB[s.index] : this.data.states.aToB.indexOf(s.index);
    this.syncing = true;
    try {
      if (twin >= 0) void this.views[other]?.revealNode(twin);
    } finally {
      this.syncing = false;
    }
    this.report();
  }

  private pick(e: ChangeEntry, row: HTMLElement): void {
    this.element.querySelectorAll('.diff-change.selected').forEach((x) => x.classList.remove('selected'));
    row.classList.add('selected');
    this.syncing = true;
    try {
      for (const side of ['a', 'b'] as const) {
        const name = e[side];
        const i = name === null ? undefined : this.index[side].get(name);
        if (i !== undefined) void this.views[side]?.revealNode(i);
      }
    } finally {
      this.syncing = false;
    }
    this.selected = e.b !== null ? { side: 'b', node: e.b } : e.a !== null ? { side: 'a', node: e.a } : null;
    this.report();
  }

  private report(): void {
    const changed = this.data.states.b.reduce((n, s) => n + (s === NodeState.Changed ? 1 : 0), 0);
    this.host.post({ type: 'diffRendered', headline: this.data.report.headline, selected: this.selected, colouredChanged: changed });
  }

  private behaviourSection(): HTMLElement {
    const button = h('vscode-button', { 'data-testid': 'compare-behaviour' }, 'Compare behaviour');
    button.addEventListener('click', () => {
      button.setAttribute('disabled', '');
      this.behaviourSlot.replaceChildren(h('span', { class: 'diff-muted', role: 'status' }, 'Running both models…'));
      this.host.post({ type: 'compareBehaviour', samples: 32 });
    });
    return h('section', {}, h('h3', {}, 'Behaviour'), h('p', { class: 'diff-muted' }, 'Both models on 32 seeded random inputs: output agreement, the first node whose output diverges, latency.'), button, this.behaviourSlot);
  }

  behaviourProgress(message: string): void {
    this.behaviourSlot.replaceChildren(h('span', { class: 'diff-muted', role: 'status' }, message));
  }

  showBehaviour(b: BehaviourDiff | null, error?: string): void {
    this.element.querySelector('[data-testid="compare-behaviour"]')?.removeAttribute('disabled');
    if (!b) {
      this.behaviourSlot.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', {}, error ?? '')));
      return;
    }
    const rows = b.outputs.map((o) => h('tr', {}, h('td', {}, o.b), h('td', {}, o.top1 === null ? '' : `${(100 * o.top1).toFixed(1)}% top-1`), h('td', {}, `max ${o.maxAbsError.toPrecision(3)}`)));
    const f = b.firstDivergence;
    this.behaviourSlot.replaceChildren(
      h('table', { class: 'diff-table' }, ...rows),
      h('p', { 'data-testid': 'first-divergence' }, f ? `First divergence: ${f.b} (${f.opType}), SQNR ${f.sqnrDb.toFixed(1)} dB` : `No matched node diverges (SQNR ≥ ${b.tolerance.sqnrDb} dB).`),
      ...(b.latency ? [h('p', {}, `Latency p50 ${b.latency.a.p50.toFixed(3)} → ${b.latency.b.p50.toFixed(3)} ms (${b.latency.ratio.toFixed(2)}×)`)] : []),
    );
    if (f) {
      const i = this.index.b.get(f.b);
      if (i !== undefined) void this.views.b?.revealNode(i);
    }
  }
}

function openButton(onClick: () => void): HTMLElement {
  const button = h('button', { class: 'link', type: 'button', title: 'Open this side in the model editor' }, icon('go-to-file'));
  button.addEventListener('click', onClick);
  return button;
}

function legend(r: DiffReport): HTMLElement {
  const item = (cls: string, text: string) => h('span', { class: `diff-key ${cls}` }, h('span', { class: 'diff-swatch' }), text);
  return h('div', { class: 'diff-legend' },
    item('removed', `removed ${r.nodes.removed.length}`), item('added', `added ${r.nodes.added.length}`),
    item('changed', `changed ${r.nodes.changed.length}`), item('same', `same ${r.nodes.matched - r.nodes.changed.length}`));
}

function signatureSection(r: DiffReport): HTMLElement[] {
  const s = r.signature;
  const rows: [string, string, string][] = [];
  const shape = (v: { elemType: string; shape: (number | string | null)[] | null }) => `${v.elemType} ${v.shape ? `[${v.shape.map((d) => d ?? '?').join(', ')}]` : '?'}`;
  for (const [what, d] of [['input', s.inputs], ['output', s.outputs]] as const) {
    for (const v of d.removed) rows.push([`${what} ${v.name}`, shape(v), '—']);
    for (const v of d.added) rows.push([`${what} ${v.name}`, '—', shape(v)]);
    for (const c of d.changed) rows.push([`${what} ${c.name}`, shape(c.before), shape(c.after)]);
  }
  for (const o of s.opsets.changed) rows.push([`opset ${o.name || 'ai.onnx'}`, String(o.before.version), String(o.after.version)]);
  for (const o of s.opsets.added) rows.push([`opset ${o.domain || 'ai.onnx'}`, '—', String(o.version)]);
  for (const o of s.opsets.removed) rows.push([`opset ${o.domain || 'ai.onnx'}`, String(o.version), '—']);
  if (s.irVersion.a !== s.irVersion.b) rows.push(['IR version', String(s.irVersion.a), String(s.irVersion.b)]);
  if (s.producer.a !== s.producer.b) rows.push(['producer', s.producer.a, s.producer.b]);
  for (const m of s.metadata.changed) rows.push([`metadata ${m.name}`, m.before.value, m.after.value]);
  for (const m of s.metadata.added) rows.push([`metadata ${m.key}`, '—', m.value]);
  for (const m of s.metadata.removed) rows.push([`metadata ${m.key}`, m.value, '—']);
  const body = rows.length
    ? h('table', { class: 'diff-table', 'data-testid': 'signature' }, h('tr', {}, h('th', {}, ''), h('th', {}, 'a'), h('th', {}, 'b')), ...rows.map((x) => h('tr', {}, ...x.map((c) => h('td', { title: c }, c)))))
    : h('p', { class: 'diff-muted', 'data-testid': 'signature' }, 'Same inputs, outputs, opsets and metadata.');
  return [h('h3', {}, 'Signature'), body];
}

function totalsSection(r: DiffReport): HTMLElement {
  const t = r.totals;
  const row = (name: string, a: number | null, b: number | null, show: (x: number) => string) =>
    h('tr', {}, h('td', {}, name), h('td', {}, a === null ? '?' : show(a)), h('td', {}, b === null ? '?' : show(b)), h('td', { class: 'diff-delta' }, a === null || b === null || a === b ? '' : `${b > a ? '+' : '−'}${show(Math.abs(b - a))}`));
  return h('section', {}, h('h3', {}, 'Totals'), h('table', { class: 'diff-table', 'data-testid': 'totals' },
    h('tr', {}, h('th', {}, ''), h('th', {}, 'a'), h('th', {}, 'b'), h('th', {}, 'change')),
    row('nodes', t.nodes.a, t.nodes.b, String), row('parameters', t.parameters.a, t.parameters.b, formatCompact),
    row('bytes', t.bytes.a, t.bytes.b, formatBytes), row('MACs', t.macs.a, t.macs.b, formatCompact)));
}
