/**
 * The diff editor's page: both graphs side by side (the model editor's GraphView, each with its
 * own layout worker), nodes coloured added / removed / changed / same, pan, zoom and selection
 * kept in step between the two — or, switched to Overlay, one graph holding both versions (b's
 * nodes plus a's removed ones as dashed ghosts; built by src/core/diff/union.ts) — and a side
 * panel with the change list (click: the node in the graphs shown), signature, totals and — on
 * request — the behaviour of both models. Each mode's graphs are laid out when first shown.
 */
import type { DiffReport, BehaviourDiff } from '../../src/shared/diffReport';
import { NodeState, type DiffMode, type DiffPageMessage, type DiffViewData, type OverlayDrawn } from '../../src/shared/diffView';
import { decodeGraphPayload } from '../../src/shared/payloadCodec';
import { formatBytes, formatCompact } from '../format';
import { GraphView, type GraphSelection } from '../graph/graphView';
import { LayoutClient } from '../graph/layoutClient';
import type { Viewport } from '../graph/render/viewport';
import { ItemKind } from '../../src/core/graphLayout/scene';
import { h, icon } from '../ui/dom';
import { observeTheme } from '../ui/theme';
import { changeEntries, renderChangeList, type ChangeEntry } from './changeList';
import { overlayFill, readDiffColours, stateFill, type DiffColours } from './diffColours';
import { groupStates } from './groupStates';

type Side = 'a' | 'b';
/** A graph of the page: one side, or the overlay of both. */
type Pane = Side | 'overlay';
type Payload = ReturnType<typeof decodeGraphPayload>;

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
  /** The mode the page was last in (the webview's state), and where to keep a new one. */
  mode: DiffMode;
  rememberMode(mode: DiffMode): void;
}

export interface DiffGraphs {
  a: ArrayBuffer;
  b: ArrayBuffer;
  overlay: ArrayBuffer;
}

export class DiffPage {
  readonly element: HTMLElement;
  private readonly views: Partial<Record<Pane, SyncedView>> = {};
  private readonly panes: Record<Pane, HTMLElement>;
  private readonly payloads: Record<Pane, Payload>;
  private readonly modeButtons: Record<DiffMode, HTMLElement>;
  private mode: DiffMode;
  private readonly index: Record<Side, Map<string, number>>;
  private colours: DiffColours;
  private readonly behaviourSlot = h('div', { class: 'diff-behaviour', 'data-testid': 'behaviour' });
  private syncing = false;
  private selected: { side: Side; node: string } | null = null;
  /** The node names of the last pick on each side, revealed again in the other mode. */
  private picked: { a: string | null; b: string | null } | null = null;
  private readonly stopTheme: () => void;

  constructor(private readonly data: DiffViewData, private readonly graphs: DiffGraphs, private readonly host: DiffPageHost) {
    const r = data.report;
    this.payloads = { a: decodeGraphPayload(graphs.a), b: decodeGraphPayload(graphs.b), overlay: decodeGraphPayload(graphs.overlay) };
    this.index = { a: new Map(this.payloads.a.nodeNames.map((n, i) => [n, i])), b: new Map(this.payloads.b.nodeNames.map((n, i) => [n, i])) };
    this.colours = readDiffColours();
    const title = (side: string, path: string, ...more: HTMLElement[]) =>
      h('header', { class: 'diff-pane-title' }, h('span', { class: 'diff-side' }, side), h('span', { class: 'diff-path', title: path }, path), ...more);
    const sidePane = (side: Side) => h('section', { class: 'diff-pane diff-side-pane', 'data-testid': `pane-${side}`, 'aria-label': side === 'a' ? 'Old model' : 'New model' },
      title(side, r[side], openButton(() => host.post({ type: 'openSide', side }))));
    this.panes = {
      a: sidePane('a'),
      b: sidePane('b'),
      overlay: h('section', { class: 'diff-pane diff-overlay-pane', 'data-testid': 'pane-overlay', 'aria-label': 'Both versions overlaid' },
        title('a + b', `${r.b} with what ${r.a} had`, h('span', { class: 'diff-ghost-key' }, h('span', { class: 'diff-ghost-swatch' }), 'removed (ghost)'))),
    };
    this.modeButtons = {
      sideBySide: modeButton('Side by side', 'mode-side-by-side', () => this.setMode('sideBySide')),
      overlay: modeButton('Overlay', 'mode-overlay', () => this.setMode('overlay')),
    };
    const entries = changeEntries(r);
    const panel = h('aside', { class: 'diff-panel' },
      h('div', { class: 'diff-modes', role: 'group', 'aria-label': 'Show the graphs' }, this.modeButtons.sideBySide, this.modeButtons.overlay),
      h('p', { class: 'diff-headline', 'data-testid': 'headline' }, r.headline),
      legend(r),
      h('h3', {}, `Changes (${entries.length})`),
      renderChangeList(entries, (e, row) => this.pick(e, row)),
      ...signatureSection(r),
      totalsSection(r),
      this.behaviourSection());
    this.element = h('div', { class: 'diff-body' }, this.panes.a, this.panes.b, this.panes.overlay, panel);
    this.mode = host.mode;
    this.show(host.mode);
    this.stopTheme = observeTheme(() => {
      this.colours = readDiffColours();
      for (const pane of ['a', 'b', 'overlay'] as const) {
        this.views[pane]?.retheme();
        this.colour(pane);
      }
    });
  }

  get currentMode(): DiffMode {
    return this.mode;
  }

  /** The user (or the Toggle Overlay command) switched mode: shown, remembered, reported. */
  setMode(mode: DiffMode): void {
    this.show(mode);
    this.host.rememberMode(mode);
    this.report();
  }

  /** Shows both graphs side by side or the overlay, laying out what was not shown before. */
  private show(mode: DiffMode): void {
    this.mode = mode;
    this.element.dataset.mode = mode;
    for (const [m, button] of Object.entries(this.modeButtons)) {
      button.toggleAttribute('secondary', m !== mode);
      button.setAttribute('aria-pressed', String(m === mode));
    }
    const shown: Pane[] = mode === 'overlay' ? ['overlay'] : ['a', 'b'];
    for (const pane of shown) if (!this.views[pane]) void this.startView(pane);
    if (this.picked) this.reveal(this.picked);
  }

  dispose(): void {
    this.stopTheme();
    for (const view of Object.values(this.views)) view.dispose();
  }

  private async startView(side: Pane): Promise<void> {
    const pane = this.panes[side];
    const client = await LayoutClient.start(this.host.workerUrl);
    client.init(this.graphs[side]);
    const view = new SyncedView(this.payloads[side], client, {
      onSelect: (s) => (side === 'overlay' ? this.onSelectOverlay(s) : this.onSelect(side, s)),
      overlayReading: () => null,
      groupReading: () => null,
      onStateChange: () => undefined,
      onFirstPaint: () => this.report(),
      onError: (message) => pane.append(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', {}, message))),
    }, null);
    if (side !== 'overlay') view.onMove = (v) => this.follow(side, v);
    this.views[side] = view;
    pane.append(view.element);
    this.colour(side);
    if (this.picked) this.reveal(this.picked);
  }

  private colour(pane: Pane): void {
    const view = this.views[pane];
    if (!view) return;
    const states = pane === 'overlay' ? this.data.overlay.states : this.data.states[pane];
    const fill = pane === 'overlay' ? (s: number) => overlayFill(this.colours, s) : (s: number) => stateFill(this.colours, pane, s);
    const hier = view.hierarchy;
    const groups = groupStates(hier.nodeGroup, hier.parent, states, hier.groupCount);
    view.setNodeFill((n) => fill(states[n]), (g) => (groups[g] === NodeState.Same ? null : fill(groups[g])),
      pane === 'overlay' ? (n) => (states[n] === NodeState.Removed ? this.colours.ghostLine : null) : null);
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

  /** A node picked in the overlay: b's nodes come first, a's removed ones after them. */
  private onSelectOverlay(s: GraphSelection): void {
    if (this.syncing || s.kind !== 'node') return;
    const node = this.payloads.overlay.nodeNames[s.index];
    this.selected = { side: s.index < this.payloads.b.nodeCount ? 'b' : 'a', node };
    this.picked = this.selected.side === 'b' ? { a: null, b: node } : { a: node, b: null };
    this.report();
  }

  private pick(e: ChangeEntry, row: HTMLElement): void {
    this.element.querySelectorAll('.diff-change.selected').forEach((x) => x.classList.remove('selected'));
    row.classList.add('selected');
    this.picked = { a: e.a, b: e.b };
    this.reveal(this.picked);
    this.selected = e.b !== null ? { side: 'b', node: e.b } : e.a !== null ? { side: 'a', node: e.a } : null;
    this.report();
  }

  /** Shows a node (named on either side) in every graph laid out: each side's, and in the overlay b's node or a's ghost. */
  private reveal(names: { a: string | null; b: string | null }): void {
    const at = { a: names.a === null ? undefined : this.index.a.get(names.a), b: names.b === null ? undefined : this.index.b.get(names.b) };
    const inOverlay = at.b ?? (at.a === undefined ? undefined : this.data.overlay.fromA[at.a]);
    this.syncing = true;
    try {
      for (const side of ['a', 'b'] as const) if (at[side] !== undefined) void this.views[side]?.revealNode(at[side]);
      if (inOverlay !== undefined && inOverlay >= 0) void this.views.overlay?.revealNode(inOverlay);
    } finally {
      this.syncing = false;
    }
  }

  private report(): void {
    const changed = this.data.states.b.reduce((n, s) => n + (s === NodeState.Changed ? 1 : 0), 0);
    const overlay = this.overlayDrawn();
    // The same on the overlay's pane, for the end-to-end tests reading the page.
    if (overlay) Object.assign(this.panes.overlay.dataset, { nodes: overlay.nodes, ghosts: overlay.ghosts, ghostEdges: overlay.ghostEdges, added: overlay.added, ghostFill: overlay.fills.ghost });
    this.host.post({ type: 'diffRendered', headline: this.data.report.headline, selected: this.selected, colouredChanged: changed, mode: this.mode, overlay });
  }

  /** What the overlay's current scene shows, once it is laid out: nodes by state, ghosts and their edges. */
  private overlayDrawn(): OverlayDrawn | null {
    const view = this.views.overlay;
    const scene = view?.scene;
    if (!view || !scene) return null;
    const states = this.data.overlay.states;
    const drawn = { nodes: 0, same: 0, changed: 0, added: 0, ghosts: 0, ghostEdges: 0, fills: { added: this.colours.added, changed: this.colours.changed, ghost: this.colours.ghost, ghostLine: this.colours.ghostLine } };
    const fills = view.itemFills(scene);
    const ghost = new Uint8Array(scene.itemCount);
    for (let i = 0; i < scene.itemCount; i++) {
      if (scene.kind[i] !== ItemKind.Node) continue;
      drawn.nodes++;
      const s = states[scene.ref[i]];
      const key = s === NodeState.Removed ? 'ghosts' : s === NodeState.Only ? 'added' : s === NodeState.Changed ? 'changed' : 'same';
      if (fills?.[i] === (s === NodeState.Removed ? this.colours.ghost : overlayFill(this.colours, s))) drawn[key]++;
      ghost[i] = s === NodeState.Removed ? 1 : 0;
    }
    for (let e = 0; e < scene.edgeCount; e++) if (ghost[scene.edgeFrom[e]] || ghost[scene.edgeTo[e]]) drawn.ghostEdges++;
    return drawn;
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
      // b's node indices are the overlay's too.
      if (i !== undefined) for (const pane of ['b', 'overlay'] as const) void this.views[pane]?.revealNode(i);
    }
  }
}

function modeButton(label: string, testid: string, onClick: () => void): HTMLElement {
  const button = h('vscode-button', { 'data-testid': testid }, label);
  button.addEventListener('click', onClick);
  return button;
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
