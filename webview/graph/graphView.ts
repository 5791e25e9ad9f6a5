/**
 * The graph canvas: owns the scene for the current expanded set, the viewport, the selection,
 * the draw loop (requestAnimationFrame, only when dirty), the hit test (sceneIndex.ts), the
 * breadcrumb, the minimap and the zoom buttons; pointer, wheel and keyboard input is graphInput.ts.
 * Layout happens in the worker (LayoutClient); this class never blocks on it — it shows a spinner
 * and keeps drawing the previous scene.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { hostClock } from '../shell/hostChannel';
import { breadcrumbCrumbs } from './breadcrumb';
import { h, icon } from '../ui/dom';
import { ancestorsOfNode, buildHierarchy, initialExpanded, isInside, type Hierarchy } from '../../src/core/graphLayout/hierarchy';
import type { LayoutClient } from './layoutClient';
import { GraphInput, type InputTarget } from './graphInput';
import { drawMinimap, type MinimapGeometry } from './render/minimap';
import { drawScene, prepareScene, type DrawState, type PreparedScene } from './render/renderer';
import { opCategory, readTheme, type GraphTheme } from './render/theme';
import { fitRect, zoomAround, type Viewport, initialViewOf } from './render/viewport';
import type { OverlayReading } from './tooltipContent';
import { ItemKind, type Scene } from '../../src/core/graphLayout/scene';
import { buildSceneIndex, hitTest, type SceneIndex } from './sceneIndex';
import { problemNodes } from '../../src/core/graphLayout/problemNodes';
import { SceneItems } from './sceneItems';
import { takeSnapshot, type ViewSnapshot } from './viewSnapshot';
import { newPerfRecord, pushSample, type PerfRecord } from './viewPerf';
import type { GraphSelection } from '../shell/ports';

export type { GraphSelection };

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

export class GraphView implements InputTarget {
  readonly element: HTMLElement;
  readonly hierarchy: Hierarchy;
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  readonly minimap: HTMLCanvasElement;
  private readonly spinner: HTMLElement;
  private readonly breadcrumb: HTMLElement;
  private readonly emptyNote: HTMLElement;
  private readonly input: GraphInput;
  private theme: GraphTheme;
  private readonly categoryOfOp: Uint8Array;
  private prepared: PreparedScene | null = null;
  /** The current scene's hit-test grid, built on the first hover or click after a layout. */
  private index: SceneIndex | null = null;
  private items: SceneItems | null = null;
  private expanded: Set<number>;
  viewport: Viewport | null;
  private selection: GraphSelection;
  private highlighted = new Set<number>();
  private itemFill: (string | null)[] | null = null;
  private nodeFill: ((node: number) => string | null) | null = null;
  private groupFill: ((group: number) => string | null) | null = null;
  private nodeDash: ((node: number) => string | null) | null = null;
  private itemDash: (string | null)[] | null = null;
  private readonly problemNodes: ReadonlySet<number>;
  private canvasWidth = 0;
  private canvasHeight = 0;
  private dirty = false;
  private rafPending = false;
  private lastFrameAt = 0;
  private interactingUntil = 0;
  private layoutSeq = 0;
  /** A layout was asked for and has not come back: the scene is not yet the expanded set's. */
  private layingOut = false;
  private readonly startedAt: number;
  private painted = false;
  private readonly disposers: (() => void)[] = [];
  private minimapGeom: MinimapGeometry | null = null;
  readonly perf: PerfRecord;

  constructor(
    readonly payload: GraphPayload,
    private readonly layout: LayoutClient,
    private readonly events: GraphViewEvents,
    restored: GraphViewState | null,
    timeline: OpenTimeline = {},
  ) {
    this.startedAt = performance.now();
    this.perf = newPerfRecord(timeline);
    this.hierarchy = buildHierarchy(payload);
    this.expanded = initialExpanded(this.hierarchy, restored?.expanded ?? null);
    this.viewport = restored?.view ?? null;
    this.selection = restored?.selection ?? { kind: 'none', index: -1 };
    this.categoryOfOp = Uint8Array.from(payload.ops, opCategory);
    this.problemNodes = problemNodes(payload);
    this.theme = readTheme();

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
    this.input = new GraphInput(this);
    this.element = h('div', { class: 'graph-wrap' }, this.canvas, this.breadcrumb, zoomButtons, this.minimap, this.spinner, this.emptyNote, this.input.tooltip.element);
    const resize = new ResizeObserver(() => this.resize());
    resize.observe(this.element);
    this.disposers.push(() => resize.disconnect());
    this.relayout();
  }

  /** VS Code switched theme: colours are read again (the page's shell calls this). */
  retheme(): void {
    this.theme = readTheme();
    if (this.nodeFill) this.recolour();
    this.markDirty();
  }

  dispose(): void {
    for (const d of this.disposers) d();
    this.layout.dispose();
  }

  // ------------------------------------------------------------------------------------------
  // State

  state(): GraphViewState {
    return { expanded: [...this.expanded].filter((g) => g !== 0), view: this.viewport, selection: this.selection };
  }

  get scene(): Scene | null {
    return this.prepared?.scene ?? null;
  }

  /**
   * What the canvas shows now, for a new page of this model to draw at once (viewSnapshot.ts). Null
   * before the first frame, while a layout is on its way (the scene is not yet the view's), and
   * under an overlay or ghosts (a preview draws op-type colours only).
   */
  snapshot(): ViewSnapshot | null {
    const prepared = this.prepared;
    if (!prepared || !this.viewport || !this.showsView()) return null;
    const rect = this.canvas.getBoundingClientRect();
    return takeSnapshot(prepared, this.payload, this.items?.problemItems ?? new Set(), this.selectedItem(), this.viewport, rect, { width: window.innerWidth, height: window.innerHeight });
  }

  /** The canvas and where it is, when it shows the view as `snapshot` would keep it (for the host's picture of a first view); else null. */
  picture(): { canvas: HTMLCanvasElement; rect: DOMRect } | null {
    return this.prepared && this.showsView() ? { canvas: this.canvas, rect: this.canvas.getBoundingClientRect() } : null;
  }

  private showsView(): boolean {
    return this.painted && !this.layingOut && !this.nodeFill && !this.nodeDash;
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
   * aggregate of their nodes); null restores op-type colours. `dash`: nodes drawn as ghosts, with
   * a dashed outline of the colour it returns and dashed edges (the diff's removed nodes).
   */
  setNodeFill(fill: ((node: number) => string | null) | null, groupFill: ((group: number) => string | null) | null = null, dash: ((node: number) => string | null) | null = null): void {
    this.nodeFill = fill;
    this.groupFill = groupFill;
    this.nodeDash = dash;
    this.recolour();
    this.markDirty();
  }

  private recolour(): void {
    const scene = this.scene;
    this.itemFill = scene ? this.itemFills(scene) : null;
    const dash = this.nodeDash;
    this.itemDash = scene && dash ? Array.from({ length: scene.itemCount }, (_, i) => (scene.kind[i] === ItemKind.Node ? dash(scene.ref[i]) : null)) : null;
  }

  // ------------------------------------------------------------------------------------------
  // Layout

  private relayout(): Promise<void> {
    const seq = ++this.layoutSeq;
    this.layingOut = true;
    document.body.dataset.graphState = 'loading';
    this.spinner.hidden = false;
    const anchor = this.anchorBeforeRelayout();
    return this.layout.layout(this.expanded).then(
      (result) => {
        if (seq !== this.layoutSeq) return;
        this.perf.layouts.push({ ms: result.ms, source: result.source, items: result.scene.itemCount, ahead: result.ahead });
        this.perf.timeline.layoutDone ??= hostClock.now();
        this.layingOut = false;
        this.setScene(result.scene, anchor);
        this.spinner.hidden = true;
        // Over a preview (graphPreview.ts) the page is hidden until this view's first frame takes
        // over: 'ready' then, so that whoever waits for it finds the page shown.
        if (this.painted || !document.body.classList.contains('graph-previewing')) document.body.dataset.graphState = 'ready';
        // Saved again once the scene is the view's: with the viewport the anchoring moved, and so
        // that the page keeps a snapshot of this view (graph/viewSnapshot.ts) with that state.
        this.saveSoon();
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
    this.index = null;
    const items = new SceneItems(scene, p, this.hierarchy, this.problemNodes);
    this.items = items;
    this.recolour();
    this.highlighted = new Set();
    this.emptyNote.hidden = p.nodeCount > 0;
    if (anchor && this.viewport && items.ofGroup(anchor.group) >= 0) {
      const i = items.ofGroup(anchor.group);
      this.viewport = { ...this.viewport, tx: anchor.sx - scene.x[i] * this.viewport.k, ty: anchor.sy - scene.y[i] * this.viewport.k };
    } else if (!this.viewport) this.showInitialView();
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
      for (const e of this.expanded) if (isInside(this.hierarchy, e, g)) next.delete(e);
    }
    this.expanded = next;
    if (!expand && this.selection.kind === 'node' && isInside(this.hierarchy, this.hierarchy.nodeGroup[this.selection.index], g)) {
      this.selection = { kind: 'group', index: g };
      this.events.onSelect(this.selection);
    }
    this.events.onStateChange();
    return this.relayout();
  }

  private rememberAnchor(g: number): void {
    const i = this.items?.ofGroup(g) ?? -1;
    const scene = this.scene;
    if (i >= 0 && scene && this.viewport) this.anchor = { group: g, sx: scene.x[i] * this.viewport.k + this.viewport.tx, sy: scene.y[i] * this.viewport.k + this.viewport.ty };
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
    this.centreOn(this.items?.ofNodeBox(node) ?? -1, true);
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
    return this.items?.ofNode(n) ?? -1;
  }

  selectedItem(): number {
    return this.items?.ofSelection(this.selection) ?? -1;
  }

  /** Selects scene item i (a node, a group or frame, an input or output); -1 clears the selection. */
  selectItem(i: number): void {
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
    this.breadcrumb.replaceChildren(...breadcrumbCrumbs(this.hierarchy, this.payload.fileName, group,
      (g) => (g === 0 ? this.fit() : this.centreOn(this.items?.ofGroup(g) ?? -1, false, true))));
  }

  // ------------------------------------------------------------------------------------------
  // Viewport

  fit(): void {
    const scene = this.scene;
    if (!scene || this.canvasWidth === 0) return;
    this.viewport = fitRect(0, 0, scene.width, scene.height, this.canvasWidth, this.canvasHeight);
    this.viewChanged();
  }

  zoomBy(factor: number): void {
    if (!this.viewport) return;
    this.viewport = zoomAround(this.viewport, factor, this.canvasWidth / 2, this.canvasHeight / 2);
    this.viewChanged();
  }

  /** Centres item i; `zoomIn` makes it readable, `fitItem` fits it to the screen. */
  centreOn(i: number, zoomIn: boolean, fitItem = false): void {
    const scene = this.scene;
    if (!scene || i < 0 || !this.viewport) return;
    if (fitItem) {
      this.viewport = fitRect(scene.x[i], scene.y[i], scene.w[i], scene.h[i], this.canvasWidth, this.canvasHeight, 32, 1.5);
    } else {
      const k = zoomIn ? Math.max(this.viewport.k, 1) : this.viewport.k;
      this.viewport = { k, tx: this.canvasWidth / 2 - (scene.x[i] + scene.w[i] / 2) * k, ty: this.canvasHeight / 2 - (scene.y[i] + scene.h[i] / 2) * k };
    }
    this.viewChanged();
  }

  moveView(viewport: Viewport, interacting = false): void {
    this.viewport = viewport;
    if (interacting) this.interactingUntil = performance.now() + 200;
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
    return this.screenPositionOfItem(this.items?.ofNodeBox(n) ?? -1);
  }

  /** Client coordinates of the centre of a scene item (node, group box, frame), or null. */
  screenPositionOfItem(i: number): { x: number; y: number } | null {
    const scene = this.scene;
    if (!scene || i < 0 || i >= scene.itemCount || !this.viewport) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + (scene.x[i] + scene.w[i] / 2) * this.viewport.k + this.viewport.tx, y: rect.top + (scene.y[i] + scene.h[i] / 2) * this.viewport.k + this.viewport.ty };
  }

  get width(): number {
    return this.canvasWidth;
  }

  get height(): number {
    return this.canvasHeight;
  }

  /** Topmost item under a graph point: boxes first, then the innermost frame; -1 for none. */
  hitTest(gx: number, gy: number): number {
    const scene = this.scene;
    if (!scene) return -1;
    this.index ??= buildSceneIndex(scene);
    return hitTest(this.index, gx, gy);
  }

  reading(kind: ItemKind, ref: number): OverlayReading | null {
    return kind === ItemKind.Node ? this.events.overlayReading(ref) : kind === ItemKind.Group || kind === ItemKind.Frame ? this.events.groupReading(ref) : null;
  }

  /** Hovers the item at client coordinates now (end-to-end tests, no waiting); false when there is none. */
  hoverAt(clientX: number, clientY: number): boolean {
    return this.input.hoverAt(clientX, clientY);
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
    this.canvasWidth = rect.width;
    this.canvasHeight = rect.height;
    this.canvas.width = Math.round(rect.width * dpr);
    this.canvas.height = Math.round(rect.height * dpr);
    this.canvas.style.width = `${rect.width}px`;
    this.canvas.style.height = `${rect.height}px`;
    if (!this.viewport && this.scene) this.showInitialView();
    this.markDirty();
  }

  private showInitialView(): void {
    if (!this.scene || this.canvasWidth === 0) return;
    this.viewport = initialViewOf(this.scene, this.canvasWidth, this.canvasHeight);
    this.viewChanged();
  }

  get minimapGeometry(): MinimapGeometry | null {
    return this.minimapGeom;
  }

  private toolButton(codicon: string, title: string, action: () => void): HTMLElement {
    const b = h('button', { class: 'tool-button', type: 'button', title, 'aria-label': title }, icon(codicon));
    b.addEventListener('click', action);
    return b;
  }

  private frame(time: number): void {
    this.rafPending = false;
    if (!this.dirty || !this.prepared || !this.viewport || this.canvasWidth === 0) return;
    this.dirty = false;
    const started = performance.now();
    const dpr = window.devicePixelRatio || 1;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const state: DrawState = { selectedItem: this.selectedItem(), highlighted: this.highlighted, itemFill: this.itemFill, itemDash: this.itemDash, problemItems: this.items?.problemItems ?? new Set() };
    const stats = drawScene(this.ctx, this.prepared, this.payload, this.theme, this.viewport, this.canvasWidth, this.canvasHeight, state);
    this.minimapGeom = drawMinimap(this.minimap, this.prepared, this.theme, this.viewport, this.canvasWidth, this.canvasHeight, this.itemFill);
    const spent = performance.now() - started;
    pushSample(this.perf.frames, spent);
    if (this.lastFrameAt && time - this.lastFrameAt < 100 && performance.now() < this.interactingUntil) pushSample(this.perf.intervals, time - this.lastFrameAt);
    this.lastFrameAt = time;
    if (!this.painted) {
      this.painted = true;
      this.perf.firstPaintAt = performance.now();
      this.perf.timeline.firstFrame = hostClock.now();
      this.perf.firstPaintMs = this.perf.firstPaintAt - this.startedAt;
      this.events.onFirstPaint(this.prepared.scene.itemCount, this.perf.firstPaintMs);
      if (!this.layingOut) document.body.dataset.graphState = 'ready';
    }
    void stats;
  }
}
