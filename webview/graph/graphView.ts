/**
 * The graph canvas: owns the scene for the current expanded set, the viewport, the selection,
 * the draw loop (requestAnimationFrame, only when dirty), pointer/wheel/keyboard interaction, the
 * breadcrumb, the minimap and the zoom buttons. Layout happens in the worker (LayoutClient); this
 * class never blocks on it — it shows a spinner and keeps drawing the previous scene.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { hostClock } from '../hostChannel';
import { h, icon } from '../dom';
import { ancestorsOfNode, buildHierarchy, defaultExpanded, displayPath, type Hierarchy } from './hierarchy';
import type { LayoutClient } from './layoutClient';
import { drawMinimap, minimapHit, type MinimapGeometry } from './render/minimap';
import { drawScene, prepareScene, type DrawState, type PreparedScene } from './render/renderer';
import { observeTheme, opCategory, readTheme, type GraphTheme } from './render/theme';
import { clampZoom, fitRect, zoomAround, type Viewport, initialView } from './render/viewport';
import type { OverlayReading } from './tooltipContent';
import { ItemKind, type Scene } from './scene';
import { GraphTooltip } from './tooltip';
import { tooltipContent } from './tooltipContent';

export interface GraphSelection {
  kind: 'node' | 'group' | 'value' | 'none';
  index: number;
}

export interface GraphViewState {
  expanded: number[];
  view: Viewport | null;
  selection: GraphSelection;
}

export interface GraphViewEvents {
  onSelect(selection: GraphSelection): void;
  /** The colouring overlay's value for a node (for the hover card); null when colouring by op type. */
  overlayReading(node: number): OverlayReading | null;
  /** The same for a group: the aggregate of its nodes. */
  groupReading(group: number): OverlayReading | null;
  onStateChange(): void;
  onFirstPaint(items: number, ms: number): void;
  onError(message: string): void;
}

const PERF_SAMPLES = 600;

interface PerfRecord {
  frames: number[];
  intervals: number[];
  firstPaintMs: number | null;
  /** performance.now() when the first frame was drawn (benchmarks measure from the graph message). */
  firstPaintAt: number | null;
  layouts: { ms: number; source: string; items: number }[];
  /** How this graph got here, click to first frame (src/shared/openTimeline.ts). */
  timeline: OpenTimeline;
}

declare global {
  interface Window {
    __onnxLensPerf?: PerfRecord;
  }
}

export class GraphView {
  readonly element: HTMLElement;
  readonly hierarchy: Hierarchy;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly minimap: HTMLCanvasElement;
  private readonly spinner: HTMLElement;
  private readonly breadcrumb: HTMLElement;
  private readonly emptyNote: HTMLElement;
  private readonly tooltip = new GraphTooltip();
  private hoverItem = -1;
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;
  private theme: GraphTheme;
  private readonly categoryOfOp: Uint8Array;
  private prepared: PreparedScene | null = null;
  private nodeItem = new Int32Array(0);
  private groupItem = new Int32Array(0);
  private valueItem = new Map<number, number>();
  private expanded: Set<number>;
  private view: Viewport | null;
  private selection: GraphSelection;
  private highlighted = new Set<number>();
  private itemFill: (string | null)[] | null = null;
  private nodeFill: ((node: number) => string | null) | null = null;
  private groupFill: ((group: number) => string | null) | null = null;
  private problemNodes = new Set<number>();
  private problemItems = new Set<number>();
  private width = 0;
  private height = 0;
  private dirty = false;
  private rafPending = false;
  private lastFrameAt = 0;
  private interactingUntil = 0;
  private layoutSeq = 0;
  private readonly startedAt: number;
  private painted = false;
  private readonly disposers: (() => void)[] = [];
  private minimapGeom: MinimapGeometry | null = null;
  readonly perf: PerfRecord = { frames: [], intervals: [], firstPaintMs: null, firstPaintAt: null, layouts: [], timeline: {} };

  constructor(
    readonly payload: GraphPayload,
    private readonly layout: LayoutClient,
    private readonly events: GraphViewEvents,
    restored: GraphViewState | null,
    timeline: OpenTimeline = {},
  ) {
    this.startedAt = performance.now();
    this.perf.timeline = { ...timeline };
    this.hierarchy = buildHierarchy(payload);
    this.expanded = restored ? new Set([0, ...restored.expanded]) : defaultExpanded(this.hierarchy);
    this.view = restored?.view ?? null;
    this.selection = restored?.selection ?? { kind: 'none', index: -1 };
    this.categoryOfOp = Uint8Array.from(payload.ops, opCategory);
    for (let n = 0; n < payload.nodeCount; n++) {
      for (let k = payload.nodeInputStart[n]; k < payload.nodeInputStart[n + 1]; k++) {
        const v = payload.nodeInputs[k];
        if (v >= 0 && payload.valueKind[v] === 3 /* ValueKind.Missing */) this.problemNodes.add(n);
      }
    }
    for (const p of payload.problems) if (p.node >= 0) this.problemNodes.add(p.node);
    this.theme = readTheme();
    window.__onnxLensPerf = this.perf;

    this.canvas = h('canvas', { class: 'graph-canvas', tabindex: 0, 'data-testid': 'graph-canvas', 'aria-label': `Graph of ${payload.fileName}` });
    this.ctx = this.canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
    this.minimap = h('canvas', { class: 'graph-minimap', 'aria-hidden': 'true' });
    this.spinner = h('div', { class: 'graph-spinner', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Laying out' }), h('span', {}, 'Laying out…'));
    this.breadcrumb = h('nav', { class: 'graph-breadcrumb', 'data-testid': 'breadcrumb', 'aria-label': 'Group path' });
    this.emptyNote = h('div', { class: 'graph-empty', 'data-testid': 'graph-empty', hidden: true }, 'This graph has no nodes: only its inputs and outputs are shown.');
    const zoomButtons = h(
      'div',
      { class: 'graph-zoom' },
      this.toolButton('zoom-in', 'Zoom in (+)', () => this.zoomBy(1.4)),
      this.toolButton('zoom-out', 'Zoom out (-)', () => this.zoomBy(1 / 1.4)),
      this.toolButton('screen-full', 'Fit to view (0)', () => this.fit()),
    );
    this.element = h('div', { class: 'graph-wrap' }, this.canvas, this.breadcrumb, zoomButtons, this.minimap, this.spinner, this.emptyNote, this.tooltip.element);
    this.installInteraction();
    const resize = new ResizeObserver(() => this.resize());
    resize.observe(this.element);
    this.disposers.push(() => resize.disconnect());
    this.disposers.push(observeTheme(() => {
      this.theme = readTheme();
      if (this.nodeFill) this.recolour();
      this.markDirty();
    }));
    this.relayout();
  }

  dispose(): void {
    for (const d of this.disposers) d();
    this.layout.dispose();
  }

  // ------------------------------------------------------------------------------------------
  // State

  state(): GraphViewState {
    return { expanded: [...this.expanded].filter((g) => g !== 0), view: this.view, selection: this.selection };
  }

  get scene(): Scene | null {
    return this.prepared?.scene ?? null;
  }

  get currentTheme(): GraphTheme {
    return this.theme;
  }

  /** The fill of every item of a scene under the current overlay (nodes, and collapsed groups by their aggregate); null: op-type colours. */
  itemFills(scene: Scene): (string | null)[] | null {
    const node = this.nodeFill;
    if (!node) return null;
    const group = this.groupFill;
    return Array.from({ length: scene.itemCount }, (_, i) => (scene.kind[i] === ItemKind.Node ? node(scene.ref[i]) : scene.kind[i] === ItemKind.Group && group ? group(scene.ref[i]) : null));
  }

  /**
   * Colours nodes by a per-node function (overlays) and collapsed groups by a per-group one (the
   * aggregate of their nodes); null restores op-type colours.
   */
  setNodeFill(fill: ((node: number) => string | null) | null, groupFill: ((group: number) => string | null) | null = null): void {
    this.nodeFill = fill;
    this.groupFill = groupFill;
    this.recolour();
    this.markDirty();
  }

  private recolour(): void {
    const scene = this.scene;
    this.itemFill = scene ? this.itemFills(scene) : null;
  }

  // ------------------------------------------------------------------------------------------
  // Layout

  private relayout(): Promise<void> {
    const seq = ++this.layoutSeq;
    document.body.dataset.graphState = 'loading';
    this.spinner.hidden = false;
    const anchor = this.anchorBeforeRelayout();
    return this.layout.layout(this.expanded).then(
      (result) => {
        if (seq !== this.layoutSeq) return;
        this.perf.layouts.push({ ms: result.ms, source: result.source, items: result.scene.itemCount });
        this.perf.timeline.layoutDone ??= hostClock.now();
        this.setScene(result.scene, anchor);
        this.spinner.hidden = true;
        document.body.dataset.graphState = 'ready';
      },
      (error: unknown) => {
        if (seq !== this.layoutSeq) return;
        this.spinner.hidden = true;
        this.events.onError(error instanceof Error ? error.message : String(error));
      },
    );
  }

  /** Screen position of the group being toggled, so it stays put when the layout changes. */
  private anchor: { group: number; sx: number; sy: number } | null = null;

  private anchorBeforeRelayout(): { group: number; sx: number; sy: number } | null {
    const a = this.anchor;
    this.anchor = null;
    return a;
  }

  private setScene(scene: Scene, anchor: { group: number; sx: number; sy: number } | null): void {
    const p = this.payload;
    this.prepared = prepareScene(scene, p, this.categoryOfOp);
    this.nodeItem = new Int32Array(p.nodeCount).fill(-1);
    this.groupItem = new Int32Array(Math.max(1, p.groupCount)).fill(-1);
    this.valueItem = new Map();
    this.problemItems = new Set();
    for (let i = 0; i < scene.itemCount; i++) {
      const kind = scene.kind[i] as ItemKind;
      if (kind === ItemKind.Node) {
        this.nodeItem[scene.ref[i]] = i;
        if (this.problemNodes.has(scene.ref[i])) this.problemItems.add(i);
      } else if (kind === ItemKind.Group || kind === ItemKind.Frame) this.groupItem[scene.ref[i]] = i;
      else this.valueItem.set(scene.ref[i] * 2 + (kind === ItemKind.Output ? 1 : 0), i);
    }
    this.recolour();
    this.highlighted = new Set();
    this.emptyNote.hidden = p.nodeCount > 0;
    if (anchor && this.view && this.groupItem[anchor.group] >= 0) {
      const i = this.groupItem[anchor.group];
      this.view = { ...this.view, tx: anchor.sx - scene.x[i] * this.view.k, ty: anchor.sy - scene.y[i] * this.view.k };
    } else if (!this.view) this.showInitialView();
    this.updateBreadcrumb();
    this.markDirty();
  }

  expandedGroups(): ReadonlySet<number> {
    return this.expanded;
  }

  /** Expands or collapses group g (never the root). */
  toggleGroup(g: number, expand = !this.expanded.has(g)): Promise<void> {
    if (g === 0 || expand === this.expanded.has(g)) return Promise.resolve();
    this.rememberAnchor(g);
    const next = new Set(this.expanded);
    if (expand) next.add(g);
    else {
      // Collapsing a group collapses everything inside it, so reopening starts tidy.
      for (const e of this.expanded) if (this.isInside(e, g)) next.delete(e);
    }
    this.expanded = next;
    if (!expand && this.selection.kind === 'node' && this.isInside(this.hierarchy.nodeGroup[this.selection.index], g)) {
      this.selection = { kind: 'group', index: g };
      this.events.onSelect(this.selection);
    }
    this.events.onStateChange();
    return this.relayout();
  }

  private rememberAnchor(g: number): void {
    const i = this.groupItem[g];
    const scene = this.scene;
    if (i >= 0 && scene && this.view) this.anchor = { group: g, sx: scene.x[i] * this.view.k + this.view.tx, sy: scene.y[i] * this.view.k + this.view.ty };
  }

  private isInside(group: number, ancestor: number): boolean {
    for (let at = group; at >= 0; at = this.hierarchy.parent[at]) if (at === ancestor) return true;
    return false;
  }

  /** Expands the node's ancestors (if needed), selects it and centres it. */
  async revealNode(node: number, select = true): Promise<void> {
    const missing = ancestorsOfNode(this.hierarchy, node).filter((g) => !this.expanded.has(g));
    if (missing.length) {
      this.expanded = new Set([...this.expanded, ...missing]);
      this.events.onStateChange();
      await this.relayout();
    }
    if (select) this.select({ kind: 'node', index: node });
    this.centreOn(this.nodeItem[node], true);
  }

  // ------------------------------------------------------------------------------------------
  // Selection

  select(selection: GraphSelection): void {
    this.selection = selection;
    this.updateBreadcrumb();
    this.markDirty();
    this.events.onSelect(selection);
    this.events.onStateChange();
  }

  get selected(): GraphSelection {
    return this.selection;
  }

  /** Items to outline (search hits, producers/consumers of a value). */
  highlightNodes(nodes: number[]): void {
    this.highlighted = new Set(nodes.map((n) => this.itemOfNode(n)).filter((i) => i >= 0));
    this.markDirty();
  }

  itemOfNode(n: number): number {
    if (this.nodeItem[n] >= 0) return this.nodeItem[n];
    for (let g = this.hierarchy.nodeGroup[n]; g >= 0; g = this.hierarchy.parent[g]) if (this.groupItem[g] >= 0) return this.groupItem[g];
    return -1;
  }

  private selectedItem(): number {
    const s = this.selection;
    if (s.kind === 'node') return this.itemOfNode(s.index);
    if (s.kind === 'group') return this.groupItem[s.index] ?? -1;
    if (s.kind === 'value') return this.valueItem.get(s.index * 2) ?? this.valueItem.get(s.index * 2 + 1) ?? -1;
    return -1;
  }

  private selectItem(i: number): void {
    const scene = this.scene;
    if (!scene || i < 0) return this.select({ kind: 'none', index: -1 });
    const kind = scene.kind[i] as ItemKind;
    if (kind === ItemKind.Node) this.select({ kind: 'node', index: scene.ref[i] });
    else if (kind === ItemKind.Group || kind === ItemKind.Frame) this.select({ kind: 'group', index: scene.ref[i] });
    else this.select({ kind: 'value', index: scene.ref[i] });
  }

  private updateBreadcrumb(): void {
    const s = this.selection;
    const group = s.kind === 'node' ? this.hierarchy.nodeGroup[s.index] : s.kind === 'group' ? s.index : 0;
    const path = displayPath(this.hierarchy, Math.min(group, this.hierarchy.groupCount - 1));
    const crumbs: HTMLElement[] = [];
    path.forEach((g, k) => {
      if (k > 0) crumbs.push(h('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '›'));
      const name = g === 0 ? this.payload.fileName : this.crumbName(g, path[k - 1]);
      const button = h('button', { class: 'crumb', type: 'button', title: g === 0 ? 'Fit the whole graph' : `Zoom to ${name}` }, name);
      button.addEventListener('click', () => (g === 0 ? this.fit() : this.centreOn(this.groupItem[g], false, true)));
      crumbs.push(button);
    });
    this.breadcrumb.replaceChildren(...crumbs);
  }

  /** A crumb's name, with the pass-through groups folded into it joined by '/'. */
  private crumbName(g: number, previous: number): string {
    const names: string[] = [];
    for (let at = g; at >= 0 && at !== previous; at = this.hierarchy.parent[at]) names.push(this.hierarchy.names[at]);
    return names.reverse().join('/');
  }

  // ------------------------------------------------------------------------------------------
  // Viewport

  fit(animate = true): void {
    const scene = this.scene;
    if (!scene || this.width === 0) return;
    this.view = fitRect(0, 0, scene.width, scene.height, this.width, this.height);
    void animate;
    this.viewChanged();
  }

  zoomBy(factor: number): void {
    if (!this.view) return;
    this.view = zoomAround(this.view, factor, this.width / 2, this.height / 2);
    this.viewChanged();
  }

  /** Centres item i; `zoomIn` makes it readable, `fitItem` fits it to the screen. */
  centreOn(i: number, zoomIn: boolean, fitItem = false): void {
    const scene = this.scene;
    if (!scene || i < 0 || !this.view) return;
    if (fitItem) {
      this.view = fitRect(scene.x[i], scene.y[i], scene.w[i], scene.h[i], this.width, this.height, 32, 1.5);
    } else {
      const k = zoomIn ? Math.max(this.view.k, 1) : this.view.k;
      this.view = { k, tx: this.width / 2 - (scene.x[i] + scene.w[i] / 2) * k, ty: this.height / 2 - (scene.y[i] + scene.h[i] / 2) * k };
    }
    this.viewChanged();
  }

  private viewChanged(): void {
    this.markDirty();
    this.saveSoon();
  }

  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.events.onStateChange(), 250);
  }

  /** Client coordinates of a node's box centre, or null when it is not in the scene. */
  screenPositionOfNode(n: number): { x: number; y: number } | null {
    return this.screenPositionOfItem(this.nodeItem[n] ?? -1);
  }

  /** Client coordinates of the centre of a scene item (node, group box, frame), or null. */
  screenPositionOfItem(i: number): { x: number; y: number } | null {
    const scene = this.scene;
    if (!scene || i < 0 || i >= scene.itemCount || !this.view) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + (scene.x[i] + scene.w[i] / 2) * this.view.k + this.view.tx, y: rect.top + (scene.y[i] + scene.h[i] / 2) * this.view.k + this.view.ty };
  }

  // ------------------------------------------------------------------------------------------
  // Drawing

  markDirty(): void {
    this.dirty = true;
    if (this.rafPending) return;
    this.rafPending = true;
    requestAnimationFrame((t) => this.frame(t));
  }

  private resize(): void {
    const rect = this.element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    this.width = rect.width;
    this.height = rect.height;
    this.canvas.width = Math.round(rect.width * dpr);
    this.canvas.height = Math.round(rect.height * dpr);
    this.canvas.style.width = `${rect.width}px`;
    this.canvas.style.height = `${rect.height}px`;
    if (!this.view && this.scene) this.showInitialView();
    this.markDirty();
  }

  private showInitialView(): void {
    if (!this.scene || this.width === 0) return;
    const scene = this.scene;
    // Centre on the graph inputs (where reading starts); without any, on the middle.
    let sum = 0;
    let count = 0;
    for (let i = 0; i < scene.itemCount; i++) {
      if (scene.kind[i] === ItemKind.Input) {
        sum += scene.x[i] + scene.w[i] / 2;
        count++;
      }
    }
    this.view = initialView(scene.width, scene.height, count ? sum / count : scene.width / 2, this.width, this.height);
    this.viewChanged();
  }

  private frame(time: number): void {
    this.rafPending = false;
    if (!this.dirty || !this.prepared || !this.view || this.width === 0) return;
    this.dirty = false;
    const started = performance.now();
    const dpr = window.devicePixelRatio || 1;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const state: DrawState = { selectedItem: this.selectedItem(), highlighted: this.highlighted, itemFill: this.itemFill, problemItems: this.problemItems };
    const stats = drawScene(this.ctx, this.prepared, this.payload, this.theme, this.view, this.width, this.height, state);
    this.minimapGeom = drawMinimap(this.minimap, this.prepared, this.theme, this.view, this.width, this.height, this.itemFill);
    const spent = performance.now() - started;
    push(this.perf.frames, spent);
    if (this.lastFrameAt && time - this.lastFrameAt < 100 && performance.now() < this.interactingUntil) push(this.perf.intervals, time - this.lastFrameAt);
    this.lastFrameAt = time;
    if (!this.painted) {
      this.painted = true;
      this.perf.firstPaintAt = performance.now();
      this.perf.timeline.firstFrame = hostClock.now();
      this.perf.firstPaintMs = this.perf.firstPaintAt - this.startedAt;
      this.events.onFirstPaint(this.prepared.scene.itemCount, this.perf.firstPaintMs);
    }
    void stats;
  }

  // ------------------------------------------------------------------------------------------
  // Interaction

  private toolButton(codicon: string, title: string, action: () => void): HTMLElement {
    const b = h('button', { class: 'tool-button', type: 'button', title, 'aria-label': title }, icon(codicon));
    b.addEventListener('click', action);
    return b;
  }

  private toGraph(clientX: number, clientY: number): { sx: number; sy: number; gx: number; gy: number } {
    const rect = this.canvas.getBoundingClientRect();
    const sx = clientX - rect.left, sy = clientY - rect.top;
    const v = this.view ?? { tx: 0, ty: 0, k: 1 };
    return { sx, sy, gx: (sx - v.tx) / v.k, gy: (sy - v.ty) / v.k };
  }

  /** Topmost item under a graph point: boxes first, then the innermost frame. */
  hitTest(gx: number, gy: number): number {
    const scene = this.scene;
    if (!scene) return -1;
    let frame = -1;
    for (let i = scene.itemCount - 1; i >= 0; i--) {
      if (gx < scene.x[i] || gy < scene.y[i] || gx > scene.x[i] + scene.w[i] || gy > scene.y[i] + scene.h[i]) continue;
      if (scene.kind[i] !== ItemKind.Frame) return i;
      if (frame < 0 || scene.depth[i] > scene.depth[frame]) frame = i;
    }
    return frame;
  }

  private isFrameTitle(i: number, gy: number): boolean {
    const scene = this.scene!;
    return scene.kind[i] === ItemKind.Frame && this.view !== null && (gy - scene.y[i]) * this.view.k < 24;
  }

  private installInteraction(): void {
    const c = this.canvas;
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | null = null;
    c.addEventListener('pointerleave', () => this.endHover());
    c.addEventListener('pointerdown', (e) => {
      this.endHover();
      if (e.button !== 0 || !this.view) return;
      c.focus();
      drag = { x: e.clientX, y: e.clientY, tx: this.view.tx, ty: this.view.ty, moved: false, id: e.pointerId };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!drag) return this.hover(e.clientX, e.clientY);
      if (!this.view) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      c.classList.add('panning');
      this.interactingUntil = performance.now() + 200;
      this.view = { ...this.view, tx: drag.tx + dx, ty: drag.ty + dy };
      this.viewChanged();
    });
    c.addEventListener('pointerup', (e) => {
      if (!drag) return;
      c.releasePointerCapture(drag.id);
      c.classList.remove('panning');
      const wasClick = !drag.moved;
      drag = null;
      if (!wasClick) return;
      const { gx, gy } = this.toGraph(e.clientX, e.clientY);
      const i = this.hitTest(gx, gy);
      const scene = this.scene;
      // PointerEvent.detail is always 0 in Chromium (only `click` counts clicks), so do not test it here.
      if (i >= 0 && scene && scene.kind[i] === ItemKind.Group) {
        this.selectItem(i);
        void this.toggleGroup(scene.ref[i], true);
        return;
      }
      this.selectItem(i);
    });
    c.addEventListener('dblclick', (e) => {
      const { gx, gy } = this.toGraph(e.clientX, e.clientY);
      const i = this.hitTest(gx, gy);
      if (i >= 0 && this.isFrameTitle(i, gy)) void this.toggleGroup(this.scene!.ref[i], false);
    });
    c.addEventListener('wheel', (e) => {
      this.endHover();
      if (!this.view) return;
      e.preventDefault();
      this.interactingUntil = performance.now() + 200;
      const { sx, sy } = this.toGraph(e.clientX, e.clientY);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.height : 1;
      if (e.ctrlKey || e.metaKey) {
        // Pinch gestures arrive as ctrl+wheel with small deltas; mouse wheels with ±100.
        this.view = zoomAround(this.view, Math.exp(-e.deltaY * unit * 0.0025), sx, sy);
      } else {
        this.view = { ...this.view, tx: this.view.tx - e.deltaX * unit, ty: this.view.ty - e.deltaY * unit };
      }
      this.viewChanged();
    }, { passive: false });
    c.addEventListener('keydown', (e) => this.onKey(e));

    let mini = false;
    const moveMini = (e: PointerEvent) => {
      if (!this.minimapGeom || !this.view) return;
      const rect = this.minimap.getBoundingClientRect();
      const g = minimapHit(this.minimapGeom, e.clientX - rect.left, e.clientY - rect.top);
      this.view = { ...this.view, tx: this.width / 2 - g.x * this.view.k, ty: this.height / 2 - g.y * this.view.k };
      this.interactingUntil = performance.now() + 200;
      this.viewChanged();
    };
    this.minimap.addEventListener('pointerdown', (e) => {
      mini = true;
      this.minimap.setPointerCapture(e.pointerId);
      moveMini(e);
    });
    this.minimap.addEventListener('pointermove', (e) => mini && moveMini(e));
    this.minimap.addEventListener('pointerup', () => (mini = false));
  }

  /** The hover card: shown after the pointer rests on an item for a moment, hidden when it leaves. */
  private hover(clientX: number, clientY: number): void {
    const { sx, sy, gx, gy } = this.toGraph(clientX, clientY);
    const i = this.hitTest(gx, gy);
    const scene = this.scene;
    if (i < 0 || !scene || (scene.kind[i] === ItemKind.Frame && !this.isFrameTitle(i, gy))) return this.endHover();
    if (i === this.hoverItem && !this.tooltip.element.hidden) return this.tooltip.show(this.cardOf(i), sx, sy, { width: this.width, height: this.height });
    this.hoverItem = i;
    clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      if (this.scene === scene && this.hoverItem === i) this.tooltip.show(this.cardOf(i), sx, sy, { width: this.width, height: this.height });
    }, 150);
  }

  private cardOf(i: number) {
    const scene = this.scene!;
    const kind = scene.kind[i] as ItemKind;
    const ref = scene.ref[i];
    const reading = kind === ItemKind.Node ? this.events.overlayReading(ref) : kind === ItemKind.Group || kind === ItemKind.Frame ? this.events.groupReading(ref) : null;
    return tooltipContent(this.payload, kind, ref, reading);
  }

  private endHover(): void {
    clearTimeout(this.hoverTimer);
    this.hoverItem = -1;
    this.tooltip.hide();
  }

  /** Hovers the item at client coordinates now (end-to-end tests, no waiting). */
  hoverAt(clientX: number, clientY: number): boolean {
    this.hover(clientX, clientY);
    clearTimeout(this.hoverTimer);
    const { sx, sy } = this.toGraph(clientX, clientY);
    if (this.hoverItem < 0) return false;
    this.tooltip.show(this.cardOf(this.hoverItem), sx, sy, { width: this.width, height: this.height });
    return true;
  }

  private onKey(e: KeyboardEvent): void {
    const scene = this.scene;
    if (!scene) return;
    const sel = this.selectedItem();
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (sel < 0) return this.selectFirst(e);
        const down = e.key === 'ArrowDown';
        const next: number[] = [];
        for (let k = 0; k < scene.edgeCount; k++) {
          if (down && scene.edgeFrom[k] === sel) next.push(scene.edgeTo[k]);
          if (!down && scene.edgeTo[k] === sel) next.push(scene.edgeFrom[k]);
        }
        if (next.length) this.moveTo(nearestX(scene, sel, next));
        break;
      }
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (sel < 0) return this.selectFirst(e);
        const right = e.key === 'ArrowRight';
        const cy = scene.y[sel] + scene.h[sel] / 2, cx = scene.x[sel] + scene.w[sel] / 2;
        let best = -1, bestD = Infinity;
        for (let i = 0; i < scene.itemCount; i++) {
          if (i === sel || scene.kind[i] === ItemKind.Frame) continue;
          const y = scene.y[i] + scene.h[i] / 2, x = scene.x[i] + scene.w[i] / 2;
          if (Math.abs(y - cy) > Math.max(scene.h[sel], scene.h[i]) / 2) continue;
          const d = right ? x - cx : cx - x;
          if (d > 0 && d < bestD) { bestD = d; best = i; }
        }
        if (best >= 0) this.moveTo(best);
        break;
      }
      case 'Enter':
        if (sel >= 0 && (scene.kind[sel] === ItemKind.Group || scene.kind[sel] === ItemKind.Frame)) void this.toggleGroup(scene.ref[sel]);
        break;
      case 'Escape': {
        const s = this.selection;
        const group = s.kind === 'node' ? this.hierarchy.nodeGroup[s.index] : s.kind === 'group' && this.expanded.has(s.index) ? s.index : -1;
        if (group > 0) {
          this.select({ kind: 'group', index: group });
          void this.toggleGroup(group, false);
        } else this.select({ kind: 'none', index: -1 });
        break;
      }
      case '+':
      case '=':
        this.zoomBy(1.25);
        break;
      case '-':
        this.zoomBy(0.8);
        break;
      case '0':
        this.fit();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private selectFirst(e: KeyboardEvent): void {
    e.preventDefault();
    const scene = this.scene!;
    for (let i = 0; i < scene.itemCount; i++) if (scene.kind[i] !== ItemKind.Frame) return this.moveTo(i);
  }

  private moveTo(i: number): void {
    this.selectItem(i);
    const scene = this.scene!;
    const v = this.view!;
    const sx = (scene.x[i] + scene.w[i] / 2) * v.k + v.tx, sy = (scene.y[i] + scene.h[i] / 2) * v.k + v.ty;
    if (sx < 40 || sy < 40 || sx > this.width - 40 || sy > this.height - 40) this.centreOn(i, false);
  }

  /** Zoom relative to the current level, for tests and buttons. */
  setZoom(k: number): void {
    if (!this.view) return;
    this.view = zoomAround(this.view, clampZoom(k) / this.view.k, this.width / 2, this.height / 2);
    this.viewChanged();
  }
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > PERF_SAMPLES) list.splice(0, list.length - PERF_SAMPLES);
}

function nearestX(scene: Scene, from: number, candidates: number[]): number {
  const cx = scene.x[from] + scene.w[from] / 2;
  return candidates.reduce((best, i) => (Math.abs(scene.x[i] + scene.w[i] / 2 - cx) < Math.abs(scene.x[best] + scene.w[best] / 2 - cx) ? i : best));
}
