/**
 * The graph canvas's input: drag to pan, wheel to scroll (Ctrl/⌘+wheel and pinches zoom), click to
 * select (a collapsed group also expands), double-click a frame's title to collapse it, the
 * minimap, the hover card, and the keyboard (arrows walk along edges, Enter expands, Esc goes up,
 * +/-/0 zoom). It changes the view only through GraphView's public methods (graphView.ts draws).
 */
import { GraphTooltip } from './tooltip';
import { tooltipContent, type OverlayReading } from './tooltipContent';
import { minimapHit, type MinimapGeometry } from './render/minimap';
import { zoomAround, type Viewport } from './render/viewport';
import type { Hierarchy } from '../../src/core/graphLayout/hierarchy';
import { ItemKind, type Scene } from '../../src/core/graphLayout/scene';
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { GraphSelection } from '../shell/ports';

/** What the input handling needs of the view (GraphView implements it). */
export interface InputTarget {
  readonly payload: GraphPayload;
  readonly hierarchy: Hierarchy;
  readonly canvas: HTMLCanvasElement;
  readonly minimap: HTMLCanvasElement;
  readonly scene: Scene | null;
  readonly selected: GraphSelection;
  readonly minimapGeometry: MinimapGeometry | null;
  /** The canvas's size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  viewport: Viewport | null;
  /** Moves the view to `viewport` (drawn on the next frame, saved soon); `interacting` marks frame-time samples. */
  moveView(viewport: Viewport, interacting?: boolean): void;
  hitTest(gx: number, gy: number): number;
  selectedItem(): number;
  selectItem(i: number): void;
  select(selection: GraphSelection): void;
  expandedGroups(): ReadonlySet<number>;
  toggleGroup(g: number, expand?: boolean): Promise<void>;
  zoomBy(factor: number): void;
  fit(): void;
  centreOn(i: number, zoomIn: boolean): void;
  /** The colouring overlay's reading of a node or group, for the hover card. */
  reading(kind: ItemKind, ref: number): OverlayReading | null;
}

export class GraphInput {
  readonly tooltip = new GraphTooltip();
  private hoverItem = -1;
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly view: InputTarget) {
    this.installPointer();
    this.installMinimap();
    view.canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Hovers the item at client coordinates now (end-to-end tests, no waiting); false when there is none. */
  hoverAt(clientX: number, clientY: number): boolean {
    this.hover(clientX, clientY);
    clearTimeout(this.hoverTimer);
    const { sx, sy } = this.toGraph(clientX, clientY);
    if (this.hoverItem < 0) return false;
    this.showCard(this.hoverItem, sx, sy);
    return true;
  }

  private toGraph(clientX: number, clientY: number): { sx: number; sy: number; gx: number; gy: number } {
    const rect = this.view.canvas.getBoundingClientRect();
    const sx = clientX - rect.left, sy = clientY - rect.top;
    const v = this.view.viewport ?? { tx: 0, ty: 0, k: 1 };
    return { sx, sy, gx: (sx - v.tx) / v.k, gy: (sy - v.ty) / v.k };
  }

  private isFrameTitle(i: number, gy: number): boolean {
    const scene = this.view.scene!;
    const v = this.view.viewport;
    return scene.kind[i] === ItemKind.Frame && v !== null && (gy - scene.y[i]) * v.k < 24;
  }

  private installPointer(): void {
    const c = this.view.canvas;
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | null = null;
    c.addEventListener('pointerleave', () => this.endHover());
    c.addEventListener('pointerdown', (e) => {
      this.endHover();
      const v = this.view.viewport;
      if (e.button !== 0 || !v) return;
      c.focus();
      drag = { x: e.clientX, y: e.clientY, tx: v.tx, ty: v.ty, moved: false, id: e.pointerId };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!drag) return this.hover(e.clientX, e.clientY);
      const v = this.view.viewport;
      if (!v) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      c.classList.add('panning');
      this.view.moveView({ ...v, tx: drag.tx + dx, ty: drag.ty + dy }, true);
    });
    c.addEventListener('pointerup', (e) => {
      if (!drag) return;
      c.releasePointerCapture(drag.id);
      c.classList.remove('panning');
      const wasClick = !drag.moved;
      drag = null;
      if (wasClick) this.click(e.clientX, e.clientY);
    });
    c.addEventListener('dblclick', (e) => {
      const { gx, gy } = this.toGraph(e.clientX, e.clientY);
      const i = this.view.hitTest(gx, gy);
      if (i >= 0 && this.isFrameTitle(i, gy)) void this.view.toggleGroup(this.view.scene!.ref[i], false);
    });
    c.addEventListener('wheel', (e) => {
      this.endHover();
      const v = this.view.viewport;
      if (!v) return;
      e.preventDefault();
      const { sx, sy } = this.toGraph(e.clientX, e.clientY);
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.view.height : 1;
      // Pinch gestures arrive as ctrl+wheel with small deltas; mouse wheels with ±100.
      const next = e.ctrlKey || e.metaKey
        ? zoomAround(v, Math.exp(-e.deltaY * unit * 0.0025), sx, sy)
        : { ...v, tx: v.tx - e.deltaX * unit, ty: v.ty - e.deltaY * unit };
      this.view.moveView(next, true);
    }, { passive: false });
  }

  /** A click selects what is under the pointer; a collapsed group also opens. */
  private click(clientX: number, clientY: number): void {
    const { gx, gy } = this.toGraph(clientX, clientY);
    const i = this.view.hitTest(gx, gy);
    const scene = this.view.scene;
    this.view.selectItem(i);
    // PointerEvent.detail is always 0 in Chromium (only `click` counts clicks), so do not test it here.
    if (i >= 0 && scene && scene.kind[i] === ItemKind.Group) void this.view.toggleGroup(scene.ref[i], true);
  }

  private installMinimap(): void {
    const minimap = this.view.minimap;
    let down = false;
    const move = (e: PointerEvent) => {
      const geometry = this.view.minimapGeometry;
      const v = this.view.viewport;
      if (!geometry || !v) return;
      const rect = minimap.getBoundingClientRect();
      const g = minimapHit(geometry, e.clientX - rect.left, e.clientY - rect.top);
      this.view.moveView({ ...v, tx: this.view.width / 2 - g.x * v.k, ty: this.view.height / 2 - g.y * v.k }, true);
    };
    minimap.addEventListener('pointerdown', (e) => {
      down = true;
      minimap.setPointerCapture(e.pointerId);
      move(e);
    });
    minimap.addEventListener('pointermove', (e) => down && move(e));
    minimap.addEventListener('pointerup', () => (down = false));
  }

  /** The hover card: shown after the pointer rests on an item for a moment, hidden when it leaves. */
  private hover(clientX: number, clientY: number): void {
    const { sx, sy, gx, gy } = this.toGraph(clientX, clientY);
    const i = this.view.hitTest(gx, gy);
    const scene = this.view.scene;
    if (i < 0 || !scene || (scene.kind[i] === ItemKind.Frame && !this.isFrameTitle(i, gy))) return this.endHover();
    if (i === this.hoverItem && !this.tooltip.element.hidden) return this.showCard(i, sx, sy);
    this.hoverItem = i;
    clearTimeout(this.hoverTimer);
    this.hoverTimer = setTimeout(() => {
      if (this.view.scene === scene && this.hoverItem === i) this.showCard(i, sx, sy);
    }, 150);
  }

  private showCard(i: number, sx: number, sy: number): void {
    const scene = this.view.scene!;
    const kind = scene.kind[i] as ItemKind;
    const content = tooltipContent(this.view.payload, kind, scene.ref[i], this.view.reading(kind, scene.ref[i]));
    this.tooltip.show(content, sx, sy, { width: this.view.width, height: this.view.height });
  }

  private endHover(): void {
    clearTimeout(this.hoverTimer);
    this.hoverItem = -1;
    this.tooltip.hide();
  }

  private onKey(e: KeyboardEvent): void {
    const scene = this.view.scene;
    if (!scene) return;
    const sel = this.view.selectedItem();
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (sel < 0) return this.selectFirst(e);
        this.walkEdge(scene, sel, e.key === 'ArrowDown');
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (sel < 0) return this.selectFirst(e);
        this.walkSideways(scene, sel, e.key === 'ArrowRight');
        break;
      case 'Enter':
        if (sel >= 0 && (scene.kind[sel] === ItemKind.Group || scene.kind[sel] === ItemKind.Frame)) void this.view.toggleGroup(scene.ref[sel]);
        break;
      case 'Escape':
        this.goUp();
        break;
      case '+':
      case '=':
        this.view.zoomBy(1.25);
        break;
      case '-':
        this.view.zoomBy(0.8);
        break;
      case '0':
        this.view.fit();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** Along an edge: to the item below (or above) the selection, the one nearest in x when several. */
  private walkEdge(scene: Scene, sel: number, down: boolean): void {
    const next: number[] = [];
    for (let k = 0; k < scene.edgeCount; k++) {
      if (down && scene.edgeFrom[k] === sel) next.push(scene.edgeTo[k]);
      if (!down && scene.edgeTo[k] === sel) next.push(scene.edgeFrom[k]);
    }
    if (next.length) this.moveTo(nearestX(scene, sel, next));
  }

  /** To the nearest box on the same row, right or left. */
  private walkSideways(scene: Scene, sel: number, right: boolean): void {
    const cy = scene.y[sel] + scene.h[sel] / 2, cx = scene.x[sel] + scene.w[sel] / 2;
    let best = -1, bestD = Infinity;
    for (let i = 0; i < scene.itemCount; i++) {
      if (i === sel || scene.kind[i] === ItemKind.Frame) continue;
      const y = scene.y[i] + scene.h[i] / 2, x = scene.x[i] + scene.w[i] / 2;
      if (Math.abs(y - cy) > Math.max(scene.h[sel], scene.h[i]) / 2) continue;
      const d = right ? x - cx : cx - x;
      if (d > 0 && d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) this.moveTo(best);
  }

  /** Esc: from a node (or an open group) up to its group, collapsing it; else clear the selection. */
  private goUp(): void {
    const s = this.view.selected;
    const group = s.kind === 'node' ? this.view.hierarchy.nodeGroup[s.index] : s.kind === 'group' && this.view.expandedGroups().has(s.index) ? s.index : -1;
    if (group > 0) {
      this.view.select({ kind: 'group', index: group });
      void this.view.toggleGroup(group, false);
    } else this.view.select({ kind: 'none', index: -1 });
  }

  private selectFirst(e: KeyboardEvent): void {
    e.preventDefault();
    const scene = this.view.scene!;
    for (let i = 0; i < scene.itemCount; i++) if (scene.kind[i] !== ItemKind.Frame) return this.moveTo(i);
  }

  /** Selects item i and scrolls it into view when it is near an edge of the canvas. */
  private moveTo(i: number): void {
    this.view.selectItem(i);
    const scene = this.view.scene!;
    const v = this.view.viewport!;
    const sx = (scene.x[i] + scene.w[i] / 2) * v.k + v.tx, sy = (scene.y[i] + scene.h[i] / 2) * v.k + v.ty;
    if (sx < 40 || sy < 40 || sx > this.view.width - 40 || sy > this.view.height - 40) this.view.centreOn(i, false);
  }
}

function nearestX(scene: Scene, from: number, candidates: number[]): number {
  const cx = scene.x[from] + scene.w[from] / 2;
  return candidates.reduce((best, i) => (Math.abs(scene.x[i] + scene.w[i] / 2 - cx) < Math.abs(scene.x[best] + scene.w[best] / 2 - cx) ? i : best));
}
