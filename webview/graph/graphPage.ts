/**
 * The graph page: header bar (model name, node count, parameters, Graph | Model | Run | Evaluate | Quantize tabs, search,
 * colour-by), the canvas, the details panel and the model panel (the Model tab). Wires the
 * GraphView to the host: selection notifications, reveal, export, overlays, rendered reports,
 * persisted state, and the `window.__onnxLens` hooks end-to-end tests drive.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { HostPushMessage } from '../../src/shared/protocol';
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { h, icon } from '../dom';
import { formatCompact, formatInteger } from '../format';
import { hostClock, type HostChannel } from '../hostChannel';
import { DetailsPanel } from './detailsPanel';
import { exportPng, exportSvg } from './exportGraph';
import { GraphView, type GraphSelection, type GraphViewState } from './graphView';
import type { LayoutClient } from './layoutClient';
import { applyGraphDetails, type GraphDetails } from '../../src/shared/payloadCodec';
import { OverlayControl } from './overlays';
import { prepareScene } from './render/renderer';
import { observeTheme, opCategory } from './render/theme';
import { ItemKind } from './scene';
import { SearchBox } from './searchBox';
import { modelName } from '../modelOverview';
import { RunPanel } from '../run/runPanel';
import { EvalPanel } from '../eval/evalPanel';
import { QuantizePanel } from '../quantize/quantizePanel';

export type PageTab = 'graph' | 'model' | 'run' | 'evaluate' | 'quantize';

export interface GraphPageState extends GraphViewState {
  modelHash: string;
  tab: PageTab;
  detailsWidth: number;
  detailsOpen: boolean;
  overlay: string;
}

export interface GraphPageHost {
  channel: HostChannel;
  /** The layout worker, started while the page waited for the graph (LayoutClient.start). */
  layout: Promise<LayoutClient>;
  saveState(state: GraphPageState): void;
  onRendered(graphItems: number): void;
}

declare global {
  interface Window {
    __onnxLens?: {
      selectNode(name: string): Promise<boolean>;
      expandGroup(path: string): Promise<boolean>;
      sceneItems(): { kind: string; name: string; x: number; y: number; w: number; h: number }[];
      screenPositionOfNode(name: string): { x: number; y: number } | null;
      /** Centre of the collapsed group box (or expanded frame) with this scope name. */
      screenPositionOfGroup(name: string): { x: number; y: number } | null;
      /** Shows the hover card of a node now (no pointer wait); false when it is not on screen. */
      hoverNode(name: string): boolean;
      /** The current zoom (1 = 100%), null before the first layout. */
      zoom(): number | null;
      /** Centre of a graph output's pill, in client coordinates (null when it is not drawn). */
      screenPositionOfOutput(name: string): { x: number; y: number } | null;
    };
  }
}

export class GraphPage {
  readonly element: HTMLElement;
  private view: GraphView | null = null;
  private readonly details: DetailsPanel;
  /** The details histogram and the overlay legend follow theme changes (the canvas follows on its own). */
  private readonly stopTheme = observeTheme(() => this.retheme());
  private readonly overlay: OverlayControl;
  private readonly modelPanel: HTMLElement;
  private readonly graphBody: HTMLElement;
  private readonly canvasSlot: HTMLElement;
  /** The Run tab's slot; its panel is created the first time the tab is shown. */
  private readonly runSlot: HTMLElement;
  private runPanel: RunPanel | null = null;
  /** The Evaluate tab's slot; its panel is created when the tab is first shown or an evaluation is pushed. */
  private readonly evalSlot: HTMLElement;
  private evalPanel: EvalPanel | null = null;
  /** The Quantize tab's slot; its panel is created when the tab is first shown or a quantization is pushed. */
  private readonly quantSlot: HTMLElement;
  private quantPanel: QuantizePanel | null = null;
  private tab: PageTab;
  private detailsWidth: number;
  private detailsOpen: boolean;
  private readonly paramsStat: HTMLElement;

  /**
   * `graph` is the encoded payload (the layout worker decodes its own copy); `summaryContent` is the
   * Model tab's content, or null until the summary arrives (setSummary).
   */
  constructor(
    private readonly payload: GraphPayload,
    private readonly graph: ArrayBuffer,
    summaryContent: HTMLElement | null,
    private readonly host: GraphPageHost,
    restored: GraphPageState | null,
    private readonly timeline: OpenTimeline = {},
  ) {
    const state = restored && restored.modelHash === payload.modelHash ? restored : null;
    this.tab = state?.tab ?? 'graph';
    this.detailsWidth = state?.detailsWidth ?? 340;
    this.detailsOpen = state?.detailsOpen ?? true;
    this.modelPanel = h('div', { class: 'model-panel' });
    this.setSummary(summaryContent ?? h('div', { class: 'summary loading', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), h('span', {}, 'Inferring shapes…')));
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
    const tabButton = (id: PageTab, label: string, codicon: string) => {
      const b = h('button', { class: 'tab', type: 'button', role: 'tab', 'data-testid': `tab-${id}` }, icon(codicon), label);
      b.addEventListener('click', () => this.setTab(id));
      return b;
    };
    this.paramsStat = h('span', { class: 'bar-stat', 'data-testid': 'header-params' });
    this.showParams();
    const bar = h(
      'header',
      { class: 'graph-bar' },
      h('div', { class: 'bar-title' }, icon('symbol-structure'), modelName(payload.fileName)),
      h('span', { class: 'bar-stat', title: 'Nodes in the main graph' }, h('span', { 'data-testid': 'node-count' }, String(payload.nodeCount)), ' nodes'),
      this.paramsStat,
      h('div', { class: 'tabs', role: 'tablist' }, tabButton('graph', 'Graph', 'type-hierarchy'), tabButton('model', 'Model', 'info'), tabButton('run', 'Run', 'play'), tabButton('evaluate', 'Evaluate', 'checklist'), tabButton('quantize', 'Quantize', 'package')),
      search.element,
      this.overlay.element,
    );
    const toggleDetails = h('button', { class: 'tool-button details-toggle', type: 'button', title: 'Show or hide the details panel' }, icon('layout-sidebar-right'));
    toggleDetails.addEventListener('click', () => {
      this.detailsOpen = !this.detailsOpen;
      this.applyDetails();
      this.save();
    });
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
    this.canvasSlot = h('div', { class: 'canvas-slot' }, toggleDetails, this.overlay.legendElement);
    const problems = payload.problems.length
      ? h('div', { class: 'graph-problems', 'data-testid': 'graph-problems' }, icon('error'), `${payload.problems.length} problem${payload.problems.length === 1 ? '' : 's'}: `, payload.problems.slice(0, 3).map((p) => p.message).join(' · '))
      : null;
    this.graphBody = h('div', { class: 'graph-body' }, this.canvasSlot, splitter, this.details.element);
    this.runSlot = h('div', { class: 'run-slot', hidden: true });
    this.evalSlot = h('div', { class: 'eval-slot', hidden: true });
    this.quantSlot = h('div', { class: 'quant-slot', hidden: true });
    this.element = h('div', { class: 'graph-page' }, bar, problems ?? '', this.graphBody, this.modelPanel, this.runSlot, this.evalSlot, this.quantSlot);
    this.details.setPlaceholder(h('p', { class: 'muted' }, 'Select a node, a group or an input to see its details. Arrows move along edges, Enter expands a group, Esc goes up.'));

    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        this.setTab('graph');
        search.focus();
      }
    });
    this.applyDetails();
    this.setTab(this.tab, false);
    this.start(state).catch((error: unknown) => this.fail(error));
    if (state?.overlay) queueMicrotask(() => (this.overlay.current = state.overlay));
    this.installHooks();
  }

  /** The Model tab's content; it keeps its hooks except the two the header bar owns. */
  setSummary(content: HTMLElement): void {
    for (const dup of content.querySelectorAll('[data-testid="model-name"], [data-testid="node-count"]')) dup.removeAttribute('data-testid');
    this.modelPanel.replaceChildren(content);
  }

  /** Shape inference is done: types, shapes and costs join the payload every part of the page reads. */
  applyGraphDetails(details: GraphDetails): void {
    applyGraphDetails(this.payload, details);
    if (this.view) this.view.perf.timeline.detailsShown ??= hostClock.now();
    this.showParams();
    this.overlay.payloadChanged(this.payload);
    if (this.view) {
      this.details.show(this.view.selected);
      this.view.markDirty();
    }
  }

  private showParams(): void {
    const total = this.payload.nodeParams.reduce((a, b) => a + b, 0);
    this.paramsStat.title = `${formatInteger(total)} parameters`;
    this.paramsStat.textContent = `${formatCompact(total)} params`;
  }

  private async start(state: GraphPageState | null): Promise<void> {
    document.body.dataset.graphState = 'loading';
    const client = await this.host.layout;
    client.init(this.graph);
    this.view = new GraphView(this.payload, client, {
      onSelect: (s) => this.onSelect(s),
      overlayReading: (node) => this.overlay.reading(node),
      groupReading: (group) => this.overlay.groupReading(group),
      onStateChange: () => this.save(),
      onFirstPaint: (items) => this.host.onRendered(items),
      onError: (message) => this.fail(new Error(message)),
    }, state, this.timeline);
    this.canvasSlot.prepend(this.view.element);
    this.details.show(this.view.selected);
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
    const message = error instanceof Error ? error.message : String(error);
    this.canvasSlot.append(h('div', { class: 'banner error graph-error', role: 'alert' }, icon('error'), h('span', { class: 'banner-text' }, message)));
  }

  private onSelect(s: GraphSelection): void {
    this.details.show(s);
    const node = s.kind === 'node' ? s.index : null;
    this.host.channel.notify({ type: 'selection', node, nodeName: node === null ? null : this.payload.nodeNames[node] });
    this.runPanel?.selectionChanged();
  }

  private setTab(tab: PageTab, save = true): void {
    this.tab = tab;
    this.element.dataset.tab = tab;
    for (const b of this.element.querySelectorAll<HTMLElement>('.tab')) b.setAttribute('aria-selected', String(b.dataset.testid === `tab-${tab}`));
    this.graphBody.hidden = tab !== 'graph';
    this.modelPanel.hidden = tab !== 'model';
    this.runSlot.hidden = tab !== 'run';
    this.evalSlot.hidden = tab !== 'evaluate';
    this.quantSlot.hidden = tab !== 'quantize';
    if (tab === 'evaluate') this.ensureEvalPanel();
    if (tab === 'quantize') this.ensureQuantPanel();
    if (tab === 'run' && !this.runPanel) {
      this.runPanel = new RunPanel({
        channel: this.host.channel,
        payload: this.payload,
        selection: () => this.view?.selected ?? { kind: 'none', index: -1 },
        revealNode: (n) => {
          this.setTab('graph');
          void this.view?.revealNode(n);
        },
        showOverlay: (id) => {
          this.setTab('graph');
          this.overlay.current = id;
          this.save();
        },
      });
      this.runSlot.append(this.runPanel.element);
    }
    if (tab === 'graph') this.view?.markDirty();
    if (save) this.save();
  }

  private ensureEvalPanel(): EvalPanel {
    if (!this.evalPanel) {
      this.evalPanel = new EvalPanel({ channel: this.host.channel });
      this.evalSlot.append(this.evalPanel.element);
    }
    return this.evalPanel;
  }

  private ensureQuantPanel(): QuantizePanel {
    if (!this.quantPanel) {
      this.quantPanel = new QuantizePanel({
        channel: this.host.channel,
        showOnGraph: (node) => {
          this.setTab('graph');
          this.overlay.current = 'ch:quant-error';
          this.save();
          const n = node === null ? -1 : this.payload.nodeNames.indexOf(node);
          if (n >= 0) void this.view?.revealNode(n);
        },
      });
      this.quantSlot.append(this.quantPanel.element);
    }
    return this.quantPanel;
  }

  private applyDetails(): void {
    this.graphBody.style.setProperty('--details-width', `${this.detailsWidth}px`);
    this.graphBody.classList.toggle('details-closed', !this.detailsOpen);
  }

  private save(): void {
    if (!this.view) return;
    this.host.saveState({ ...this.view.state(), modelHash: this.payload.modelHash, tab: this.tab, detailsWidth: this.detailsWidth, detailsOpen: this.detailsOpen, overlay: this.overlay.current });
  }

  /** Host pushes that concern the graph. */
  handle(message: HostPushMessage): void {
    if (message.type === 'revealNode') {
      this.setTab('graph');
      void this.view?.revealNode(message.node);
    } else if (message.type === 'overlay') this.overlay.addChannel(message);
    else if (message.type === 'exportGraph') void this.export(message.exportId, message.format);
    else if (message.type === 'showTab') {
      this.setTab(message.tab);
      if (message.tab === 'run' && message.section) this.runPanel?.showSection(message.section);
    } else if (message.type === 'progress') {
      this.runPanel?.handleProgress(message);
      this.evalPanel?.handleProgress(message);
      this.quantPanel?.handleProgress(message);
    } else if (message.type === 'quantization') {
      this.setTab('quantize');
      this.ensureQuantPanel().showPushed(message.result);
    } else if (message.type === 'evaluation') {
      this.setTab('evaluate');
      this.ensureEvalPanel().showPushed(message.result);
    }
  }

  retheme(): void {
    this.details.retheme();
    this.overlay.refresh();
  }

  /** Stops the theme observer and the graph view (the page is being replaced). */
  dispose(): void {
    this.stopTheme();
    this.view?.dispose();
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

  private installHooks(): void {
    const p = this.payload;
    const nodeByName = (name: string) => p.nodeNames.indexOf(name);
    window.__onnxLens = {
      selectNode: async (name) => {
        const n = nodeByName(name);
        if (n < 0 || !this.view) return false;
        this.setTab('graph');
        await this.view.revealNode(n);
        return true;
      },
      expandGroup: async (path) => {
        if (!this.view) return false;
        const parts = path.split('/').filter(Boolean);
        let g = 0;
        for (const part of parts) {
          const h = this.view.hierarchy;
          const next = Array.from(h.childGroups.subarray(h.childGroupStart[g], h.childGroupStart[g + 1])).find((c) => h.names[c] === part);
          if (next === undefined) return false;
          if (!this.view.expandedGroups().has(next)) await this.view.toggleGroup(next, true);
          g = next;
        }
        return true;
      },
      sceneItems: () => {
        const s = this.view?.scene;
        if (!s) return [];
        const kinds = ['node', 'group', 'frame', 'input', 'output'];
        return Array.from({ length: s.itemCount }, (_, i) => ({
          kind: kinds[s.kind[i]],
          name: s.kind[i] === ItemKind.Node ? p.nodeNames[s.ref[i]] : s.kind[i] <= ItemKind.Frame ? p.groupNames[s.ref[i]] : p.valueNames[s.ref[i]],
          x: s.x[i], y: s.y[i], w: s.w[i], h: s.h[i],
        }));
      },
      screenPositionOfNode: (name) => {
        const n = nodeByName(name);
        return n < 0 ? null : (this.view?.screenPositionOfNode(n) ?? null);
      },
      zoom: () => this.view?.state().view?.k ?? null,
      screenPositionOfOutput: (name) => {
        const s = this.view?.scene;
        if (!s) return null;
        for (let i = 0; i < s.itemCount; i++) if (s.kind[i] === ItemKind.Output && p.valueNames[s.ref[i]] === name) return this.view!.screenPositionOfItem(i);
        return null;
      },
      hoverNode: (name) => {
        const n = nodeByName(name);
        const at = n < 0 ? null : this.view?.screenPositionOfNode(n);
        return !!at && !!this.view?.hoverAt(at.x, at.y);
      },
      screenPositionOfGroup: (name) => {
        const s = this.view?.scene;
        if (!s) return null;
        for (let i = 0; i < s.itemCount; i++) {
          if ((s.kind[i] === ItemKind.Group || s.kind[i] === ItemKind.Frame) && p.groupNames[s.ref[i]] === name) return this.view!.screenPositionOfItem(i);
        }
        return null;
      },
    };
  }
}
