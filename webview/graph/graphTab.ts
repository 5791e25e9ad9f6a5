/**
 * The Graph tab: the canvas (GraphView), the resizable details panel, and the header tools that
 * belong to it (search, colour-by). It is the page's GraphPort — other tabs select nodes and
 * colour the graph through it — and it answers the host's graph pushes: reveal a node, an overlay,
 * an export. Wires the view to the host: selection notifications, rendered reports, persisted state.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { HostPushMessage } from '../../src/shared/protocol';
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { applyGraphDetails, type GraphDetails } from '../../src/shared/payloadCodec';
import { h, icon } from '../ui/dom';
import { formatCompact, formatInteger } from '../format';
import { hostClock, type HostChannel } from '../shell/hostChannel';
import type { Tab } from '../shell/appShell';
import type { GraphPort, GraphSelection } from '../shell/ports';
import { DetailsPanel } from './detailsPanel';
import { exportPng, exportSvg } from './exportGraph';
import { GraphView, type GraphViewState } from './graphView';
import type { LayoutClient } from './layoutClient';
import { OverlayControl } from './overlays';
import type { ViewSnapshot } from './viewSnapshot';
import { prepareScene } from './render/renderer';
import { opCategory } from './render/theme';
import { SearchBox } from './searchBox';
import { installTestHooks } from './testHooks';

/** What the Graph tab keeps across hide/show of the editor (for one model). */
export interface GraphState extends GraphViewState {
  detailsWidth: number;
  detailsOpen: boolean;
  overlay: string;
}

export interface GraphTabHost {
  channel: HostChannel;
  /** The layout worker, started while the page waited for the graph (LayoutClient.start). */
  layout: Promise<LayoutClient>;
  /** Shows the Graph tab (reveal, search, an overlay asked for by another tab). */
  activate(): void;
  saveState(state: GraphState): void;
  onRendered(graphItems: number): void;
  /**
   * The first frame of a page opened without a saved view (the model's first view, as a reopen
   * will lay it out again), on `canvas` at `rect`, for the reopen to show at once (pagePreviews.ts).
   */
  keepFirstView?(canvas: HTMLCanvasElement, rect: DOMRect): void;
}

export class GraphTab implements Tab, GraphPort {
  readonly element: HTMLElement;
  /** Search and colour-by: in the page header while this tab is shown. */
  readonly tools: HTMLElement;
  /** Node count and parameters, for the page header. */
  readonly stats: HTMLElement[];
  /** The model's structural problems in one line under the header, or null. */
  readonly problemsLine: HTMLElement | null;
  private view: GraphView | null = null;
  private readonly details: DetailsPanel;
  private readonly overlay: OverlayControl;
  private readonly canvasSlot: HTMLElement;
  private readonly body: HTMLElement;
  private readonly paramsStat: HTMLElement;
  private detailsWidth: number;
  private detailsOpen: boolean;
  /** Shape inference's results are in the payload. */
  private detailsApplied = false;
  private readonly selectionListeners = new Set<(selection: GraphSelection) => void>();
  /** Ctrl/Cmd+F anywhere on the page: the Graph tab's search. */
  private readonly findKey: (e: KeyboardEvent) => void;

  /** `graph` is the encoded payload (the layout worker decodes its own copy). */
  constructor(
    private readonly payload: GraphPayload,
    private readonly graph: ArrayBuffer,
    private readonly host: GraphTabHost,
    state: GraphState | null,
    private readonly timeline: OpenTimeline = {},
  ) {
    this.detailsWidth = state?.detailsWidth ?? 340;
    this.detailsOpen = state?.detailsOpen ?? true;
    this.details = new DetailsPanel(payload, host.channel, {
      selectNode: (n) => void this.view?.revealNode(n),
      showValue: (v) => this.view?.select({ kind: 'value', index: v }),
      overlayReading: (node) => this.overlay.reading(node),
    });
    const search = new SearchBox(payload, {
      revealNode: (n) => void this.view?.revealNode(n),
      showValue: (v) => {
        this.view?.select({ kind: 'value', index: v });
        const producer = payload.valueProducer[v];
        if (producer >= 0) void this.view?.revealNode(producer, false);
      },
      highlightNodes: (nodes, reveal) => {
        if (reveal && nodes.length && this.view) void this.view.revealNode(nodes[0], false).then(() => this.view?.highlightNodes(nodes));
        else this.view?.highlightNodes(nodes);
      },
    });
    this.overlay = new OverlayControl(payload, (fill, groupFill) => {
      this.view?.setNodeFill(fill, groupFill);
      if (this.view?.selected.kind === 'node') this.details.show(this.view.selected);
    }, () => this.view!.currentTheme, () => this.loadOverlayFile());
    this.tools = h('div', { class: 'graph-tools' }, search.element, this.overlay.element);
    this.paramsStat = h('span', { class: 'bar-stat', 'data-testid': 'header-params' });
    this.showParams();
    this.stats = [
      h('span', { class: 'bar-stat', title: 'Nodes in the main graph' }, h('span', { 'data-testid': 'node-count' }, String(payload.nodeCount)), ' nodes'),
      this.paramsStat,
    ];
    this.problemsLine = payload.problems.length
      ? h('div', { class: 'graph-problems', 'data-testid': 'graph-problems' }, icon('error'), `${payload.problems.length} problem${payload.problems.length === 1 ? '' : 's'}: `, payload.problems.slice(0, 3).map((p) => p.message).join(' · '))
      : null;
    const toggleDetails = h('button', { class: 'tool-button details-toggle', type: 'button', title: 'Show or hide the details panel' }, icon('layout-sidebar-right'));
    toggleDetails.addEventListener('click', () => {
      this.detailsOpen = !this.detailsOpen;
      this.applyDetails();
      this.save();
    });
    this.canvasSlot = h('div', { class: 'canvas-slot' }, toggleDetails, this.overlay.legendElement);
    this.body = h('div', { class: 'graph-body' }, this.canvasSlot, this.splitter(), this.details.element);
    this.element = this.body;
    this.details.setPlaceholder(h('p', { class: 'muted' }, 'Select a node, a group or an input to see its details. Arrows move along edges, Enter expands a group, Esc goes up.'));

    this.findKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        this.host.activate();
        search.focus();
      }
    };
    document.addEventListener('keydown', this.findKey);
    this.applyDetails();
    this.start(state).catch((error: unknown) => this.fail(error));
    if (state?.overlay) queueMicrotask(() => (this.overlay.current = state.overlay));
    installTestHooks(payload, () => this.view, (n) => this.reveal(n));
  }

  /** What the canvas shows now (GraphView.snapshot), if its view is the one `saved` says; else null. */
  snapshot(saved: GraphViewState): ViewSnapshot | null {
    const view = this.view;
    if (!view) return null;
    const key = (s: GraphViewState) => JSON.stringify([s.expanded, s.view, s.selection]);
    return key(view.state()) === key(saved) ? view.snapshot() : null;
  }

  // GraphPort: what other tabs ask of the graph.

  selection(): GraphSelection {
    return this.view?.selected ?? { kind: 'none', index: -1 };
  }

  onSelectionChange(listener: (selection: GraphSelection) => void): () => void {
    this.selectionListeners.add(listener);
    return () => this.selectionListeners.delete(listener);
  }

  revealNode(node: number): void {
    void this.reveal(node);
  }

  showOverlay(channel: string, nodeName: string | null = null): void {
    this.host.activate();
    this.overlay.current = channel;
    this.save();
    const n = nodeName === null ? -1 : this.payload.nodeNames.indexOf(nodeName);
    if (n >= 0) void this.view?.revealNode(n);
  }

  // Tab

  shown(): void {
    this.view?.markDirty();
  }

  retheme(): void {
    // The canvas first: the overlay's colours come from the view's theme.
    this.view?.retheme();
    this.details.retheme();
    this.overlay.refresh();
  }

  dispose(): void {
    document.removeEventListener('keydown', this.findKey);
    this.view?.dispose();
  }

  /** Shape inference is done: types, shapes and costs join the payload every part of the page reads. */
  applyGraphDetails(details: GraphDetails): void {
    applyGraphDetails(this.payload, details);
    this.detailsApplied = true;
    if (this.view) this.view.perf.timeline.detailsShown ??= hostClock.now();
    this.showParams();
    this.overlay.payloadChanged(this.payload);
    if (this.view) {
      this.details.show(this.view.selected);
      this.view.markDirty();
    }
  }

  /** Host pushes that concern the graph: reveal a node, an overlay channel, an export. */
  handle(message: HostPushMessage): void {
    if (message.type === 'revealNode') this.revealNode(message.node);
    else if (message.type === 'overlay') this.overlay.addChannel(message);
    else if (message.type === 'exportGraph') void this.export(message.exportId, message.format);
  }

  private async reveal(node: number): Promise<void> {
    this.host.activate();
    await this.view?.revealNode(node);
  }

  private showParams(): void {
    const total = this.payload.nodeParams.reduce((a, b) => a + b, 0);
    this.paramsStat.title = `${formatInteger(total)} parameters`;
    this.paramsStat.textContent = `${formatCompact(total)} params`;
  }

  private async start(state: GraphState | null): Promise<void> {
    document.body.dataset.graphState = 'loading';
    const client = await this.host.layout;
    client.init(this.graph, state ? { modelHash: this.payload.modelHash, expanded: state.expanded } : undefined);
    this.view = new GraphView(this.payload, client, {
      onSelect: (s) => this.onSelect(s),
      overlayReading: (node) => this.overlay.reading(node),
      groupReading: (group) => this.overlay.groupReading(group),
      onStateChange: () => this.save(),
      onFirstPaint: (items) => {
        // Details that came before the view (its page was slow to start) are shown with its first frame.
        if (this.detailsApplied && this.view) this.view.perf.timeline.detailsShown ??= hostClock.now();
        requestAnimationFrame(() => this.overlay.mount());
        this.host.onRendered(items);
        const picture = !state && this.host.keepFirstView ? this.view?.picture() : null;
        if (picture) this.host.keepFirstView!(picture.canvas, picture.rect);
      },
      onError: (message) => this.fail(new Error(message)),
    }, state, this.timeline);
    this.canvasSlot.prepend(this.view.element);
    this.details.show(this.view.selected);
  }

  /** The details panel's left edge: drag to resize (220–720 px), saved with the page. */
  private splitter(): HTMLElement {
    const splitter = h('div', { class: 'details-splitter', role: 'separator', 'aria-orientation': 'vertical', title: 'Drag to resize' });
    splitter.addEventListener('pointerdown', (e) => {
      splitter.setPointerCapture(e.pointerId);
      const startX = e.clientX, startW = this.detailsWidth;
      const move = (m: PointerEvent) => {
        this.detailsWidth = Math.min(720, Math.max(220, startW - (m.clientX - startX)));
        this.applyDetails();
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', () => {
        splitter.removeEventListener('pointermove', move);
        this.save();
      }, { once: true });
    });
    return splitter;
  }

  /** The "load overlay" button: the host shows a file dialog and pushes the overlay; problems show here. */
  private loadOverlayFile(): void {
    this.host.channel.request('loadOverlay', {}).then(
      (loaded) => {
        if (loaded && loaded.unmatched > 0) this.notice(`${loaded.label}: ${loaded.matched} nodes have a value; ${loaded.unmatched} names in the file match no node.`, 'info');
      },
      (error: unknown) => this.notice(error instanceof Error ? error.message : String(error), 'error'),
    );
  }

  /** A dismissable line over the canvas (overlay problems); replaces the previous one. */
  private notice(message: string, kind: 'info' | 'error'): void {
    this.canvasSlot.querySelector('.graph-notice')?.remove();
    const close = h('button', { class: 'link', type: 'button', title: 'Dismiss' }, icon('close'));
    const line = h('div', { class: `banner ${kind === 'error' ? 'error' : 'info'} graph-notice`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': 'graph-notice' },
      icon(kind === 'error' ? 'error' : 'info'), h('span', { class: 'banner-text' }, message), close);
    close.addEventListener('click', () => line.remove());
    this.canvasSlot.append(line);
  }

  private fail(error: unknown): void {
    document.body.dataset.graphState = 'error';
    this.overlay.mount();
    const message = error instanceof Error ? error.message : String(error);
    this.canvasSlot.append(h('div', { class: 'banner error graph-error', role: 'alert' }, icon('error'), h('span', { class: 'banner-text' }, message)));
  }

  private onSelect(s: GraphSelection): void {
    this.details.show(s);
    const node = s.kind === 'node' ? s.index : null;
    this.host.channel.notify({ type: 'selection', node, nodeName: node === null ? null : this.payload.nodeNames[node] });
    for (const listener of this.selectionListeners) listener(s);
  }

  private applyDetails(): void {
    this.body.style.setProperty('--details-width', `${this.detailsWidth}px`);
    this.body.classList.toggle('details-closed', !this.detailsOpen);
  }

  private save(): void {
    if (!this.view) return;
    this.host.saveState({ ...this.view.state(), detailsWidth: this.detailsWidth, detailsOpen: this.detailsOpen, overlay: this.overlay.current });
  }

  private async export(exportId: number, format: 'svg' | 'png'): Promise<void> {
    try {
      const view = this.view;
      if (!view?.scene) throw new Error('The graph is still being laid out; try again in a moment.');
      const prepared = prepareScene(view.scene, this.payload, Uint8Array.from(this.payload.ops, opCategory));
      const itemFill = view.itemFills(view.scene);
      if (format === 'svg') this.host.channel.notify({ type: 'exportResult', exportId, svg: exportSvg(prepared, this.payload, view.currentTheme, itemFill) });
      else {
        const png = await exportPng(prepared, this.payload, view.currentTheme, itemFill);
        this.host.channel.notify({ type: 'exportResult', exportId, png }, [png]);
      }
    } catch (error) {
      this.host.channel.notify({ type: 'exportResult', exportId, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
