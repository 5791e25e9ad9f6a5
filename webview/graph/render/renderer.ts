/**
 * Draws a Scene on a 2D canvas with level of detail:
 *  - far (zoom < FAR): filled boxes batched by colour, edges as one path; group and frame names,
 *    and node op types while a box is ~10 px tall, at a fixed screen size where they fit;
 *  - mid: op type inside nodes, group names, arrowheads;
 * Box labels are sized in graph units, so they shrink with their box and never overflow it;
 * FAR is where that text would drop below ~6 px and stop being readable.
 *  - near (zoom ≥ NEAR): op type + node name, edge labels (`float32 [batch, 3, 224, 224]`).
 * Only what intersects the viewport is drawn (a linear pass over the typed arrays: ~0.2 ms per
 * 100k items, cheaper than maintaining a tree for scenes that change on every expand).
 */
import type { RenderLabels } from '../../../src/core/graphLayout/renderLabels';
import { valueName } from '../../../src/shared/payloadCodec';
import { nodeBoxText } from '../../../src/core/graphLayout/computeScene';
import { ItemKind, type Scene, firstPair } from '../../../src/core/graphLayout/scene';
import type { PreparedScene } from './prepareScene';

export { prepareScene, type PreparedScene } from './prepareScene';
import { NO_VALUE, resolveFill, type GraphTheme } from './theme';
import { visibleRect, type Viewport } from './viewport';
import { pushAll } from '../../../src/core/lists';
import { drawGhostEdges, drawGhostOutlines } from './ghosts';

export const FAR_ZOOM = 0.55;
export const NEAR_ZOOM = 0.95;

export interface DrawState {
  selectedItem: number;
  /** Items to outline (search hits, producers/consumers). */
  highlighted: ReadonlySet<number>;
  /** Per-item fill overriding the category colour (overlays); null = colour by op type. */
  itemFill: (string | null)[] | null;
  /** Per item: the colour of a dashed "ghost" outline (its edges dashed too); null/absent = none. */
  itemDash?: (string | null)[] | null;
  /** Items with a problem (dangling input, missing value). */
  problemItems: ReadonlySet<number>;
}

export function itemLabel(payload: RenderLabels, scene: Scene, i: number): string {
  const ref = scene.ref[i];
  switch (scene.kind[i] as ItemKind) {
    case ItemKind.Node:
      return payload.ops[payload.nodeOp[ref]];
    case ItemKind.Group:
    case ItemKind.Frame:
      return payload.groupNames[ref] || payload.fileName;
    default:
      return valueName(payload, ref);
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const rr = Math.min(r, w / 2, h / 2);
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (maxWidth <= 8) return '';
  if (ctx.measureText(text).width <= maxWidth) return text;
  // Binary search on the prefix length; ends with an ellipsis.
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : text.slice(0, lo) + '…';
}

export interface DrawStats {
  items: number;
  edges: number;
}

/** Draws the scene into `ctx` (already scaled for devicePixelRatio) for a CSS-px viewport of width × height. */
export function drawScene(
  ctx: CanvasRenderingContext2D,
  prepared: PreparedScene,
  payload: RenderLabels,
  theme: GraphTheme,
  view: Viewport,
  width: number,
  height: number,
  state: DrawState,
  cull = true,
): DrawStats {
  const { scene, edgeBounds, category } = prepared;
  const { k } = view;
  const r = cull ? visibleRect(view, width, height) : { x0: -Infinity, y0: -Infinity, x1: Infinity, y1: Infinity };
  const lod = k < FAR_ZOOM ? 0 : k < NEAR_ZOOM ? 1 : 2;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.translate(view.tx, view.ty);
  ctx.scale(k, k);

  const visible: number[] = [];
  for (let i = 0; i < scene.itemCount; i++) {
    const x = scene.x[i], y = scene.y[i];
    if (x > r.x1 || y > r.y1 || x + scene.w[i] < r.x0 || y + scene.h[i] < r.y0) continue;
    visible.push(i);
  }
  const px = 1 / k; // one CSS pixel in graph units

  // Frames, outermost first (they nest; the scene lists parents before children).
  const frames = visible.filter((i) => scene.kind[i] === ItemKind.Frame).sort((a, b) => scene.depth[a] - scene.depth[b]);
  for (const i of frames) {
    ctx.beginPath();
    roundRect(ctx, scene.x[i], scene.y[i], scene.w[i], scene.h[i], 6);
    ctx.fillStyle = theme.frameFill;
    ctx.fill();
    ctx.lineWidth = (i === state.selectedItem ? 2 : 1) * px;
    ctx.strokeStyle = i === state.selectedItem ? theme.selection : theme.frameBorder;
    ctx.stroke();
    if (lod > 0 && scene.w[i] * k > 40) {
      ctx.fillStyle = theme.muted;
      ctx.font = `600 11px ${theme.font}`;
      ctx.textBaseline = 'top';
      const count = payload.groupNodeCount[scene.ref[i]];
      const title = `${itemLabel(payload, scene, i)} · ${count}`;
      ctx.fillText(fitText(ctx, ctx.measureText(title).width <= scene.w[i] - 16 ? title : itemLabel(payload, scene, i), scene.w[i] - 16), scene.x[i] + 8, scene.y[i] + 6);
    }
  }

  // Edges: one path for all plain edges (cheap at any zoom), selected/highlighted ones on top.
  let edges = 0;
  ctx.beginPath();
  const emphasised: number[] = [];
  const dash = state.itemDash;
  const ghostEdges: number[] = [];
  for (let e = 0; e < scene.edgeCount; e++) {
    const b = e * 4;
    if (edgeBounds[b] > r.x1 || edgeBounds[b + 1] > r.y1 || edgeBounds[b + 2] < r.x0 || edgeBounds[b + 3] < r.y0) continue;
    if (lod === 0 && (edgeBounds[b + 2] - edgeBounds[b]) * k < 1 && (edgeBounds[b + 3] - edgeBounds[b + 1]) * k < 1) continue;
    if (scene.edgeFrom[e] === state.selectedItem || scene.edgeTo[e] === state.selectedItem) {
      emphasised.push(e);
      continue;
    }
    if (dash && (dash[scene.edgeFrom[e]] || dash[scene.edgeTo[e]])) {
      ghostEdges.push(e);
      continue;
    }
    edges++;
    const p0 = firstPair(scene, e), p1 = firstPair(scene, e + 1);
    ctx.moveTo(scene.points[2 * p0], scene.points[2 * p0 + 1]);
    for (let p = p0 + 1; p < p1; p++) ctx.lineTo(scene.points[2 * p], scene.points[2 * p + 1]);
  }
  ctx.lineWidth = Math.max(px, lod === 0 ? px : 1.2 * px);
  ctx.strokeStyle = theme.edge;
  ctx.stroke();
  if (lod > 0) drawArrowheads(ctx, scene, edgeBounds, r, theme.edge, px, null);
  edges += drawGhostEdges(ctx, scene, ghostEdges, theme.edge, px);
  if (emphasised.length) {
    ctx.beginPath();
    for (const e of emphasised) {
      const p0 = firstPair(scene, e), p1 = firstPair(scene, e + 1);
      ctx.moveTo(scene.points[2 * p0], scene.points[2 * p0 + 1]);
      for (let p = p0 + 1; p < p1; p++) ctx.lineTo(scene.points[2 * p], scene.points[2 * p + 1]);
    }
    ctx.lineWidth = 2 * px;
    ctx.strokeStyle = theme.selection;
    ctx.stroke();
    drawArrowheads(ctx, scene, edgeBounds, r, theme.selection, px, emphasised);
    edges += emphasised.length;
  }

  // Boxes. Far away: batched by fill colour (one fill per colour), no strokes, no text.
  const boxes = visible.filter((i) => scene.kind[i] !== ItemKind.Frame);
  const fillOf = (i: number) =>
    state.itemFill?.[i] ?? (scene.kind[i] === ItemKind.Node ? theme.categoryFill[category[i]] : theme.nodeFill);
  const hatched: number[] = [];
  if (lod === 0) {
    const byFill = new Map<string, number[]>();
    for (const i of boxes) {
      const f = fillOf(i);
      let list = byFill.get(f);
      if (!list) byFill.set(f, (list = []));
      list.push(i);
    }
    for (const [fill, list] of byFill) {
      ctx.beginPath();
      for (const i of list) {
        if (scene.kind[i] === ItemKind.Group) ctx.rect(scene.x[i] + 3, scene.y[i] + 3, scene.w[i], scene.h[i]);
        ctx.rect(scene.x[i], scene.y[i], scene.w[i], scene.h[i]);
      }
      ctx.fillStyle = resolveFill(fill, theme);
      ctx.fill();
      if (fill === NO_VALUE) pushAll(hatched, list);
    }
    drawHatches(ctx, scene, hatched, theme, px);
    drawFarNames(ctx, scene, payload, theme, visible, k);
  } else {
    for (const i of boxes) drawBox(ctx, scene, payload, theme, i, fillOf(i), category[i], px, lod);
  }

  if (dash) drawGhostOutlines(ctx, scene, boxes, dash, px);

  // Outlines that must show at every zoom: selection, highlights, problems.
  const outline = (i: number, colour: string, widthPx: number) => {
    ctx.beginPath();
    const pad = 3 * px;
    roundRect(ctx, scene.x[i] - pad, scene.y[i] - pad, scene.w[i] + 2 * pad, scene.h[i] + 2 * pad, 6);
    ctx.lineWidth = widthPx * px;
    ctx.strokeStyle = colour;
    ctx.stroke();
  };
  for (const i of state.problemItems) if (i < scene.itemCount) {
    outline(i, theme.error, 2);
    if (lod > 0) {
      ctx.beginPath();
      ctx.arc(scene.x[i] + scene.w[i], scene.y[i], 7 * px, 0, Math.PI * 2);
      ctx.fillStyle = theme.error;
      ctx.fill();
      ctx.fillStyle = theme.background;
      ctx.font = `bold ${10 * px}px ${theme.font}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('!', scene.x[i] + scene.w[i], scene.y[i] + 0.5 * px);
      ctx.textAlign = 'left';
    }
  }
  for (const i of state.highlighted) if (i < scene.itemCount && i !== state.selectedItem) outline(i, theme.selection, 1.5);
  if (state.selectedItem >= 0 && state.selectedItem < scene.itemCount && scene.kind[state.selectedItem] !== ItemKind.Frame) outline(state.selectedItem, theme.selection, 2.5);

  if (lod === 2) drawEdgeLabels(ctx, scene, payload, theme, edgeBounds, r, px, boxes);
  ctx.restore();
  return { items: visible.length, edges };
}

/** Smallest on-screen box height that still gets its op type written in it from afar. */
const FAR_LABEL_MIN_HEIGHT = 10;

/**
 * Far away, names at a readable fixed screen size where they fit: groups and frames (their name),
 * and nodes (their op type) while a box is at least FAR_LABEL_MIN_HEIGHT px tall, so a small model
 * at Fit still says what its boxes are.
 */
function drawFarNames(ctx: CanvasRenderingContext2D, scene: Scene, payload: RenderLabels, theme: GraphTheme, visible: number[], k: number): void {
  const px = 1 / k;
  ctx.font = `600 ${11 * px}px ${theme.font}`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = theme.foreground;
  const nodes: number[] = [];
  for (const i of visible) {
    const kind = scene.kind[i];
    if (kind === ItemKind.Node) {
      if (scene.h[i] * k >= FAR_LABEL_MIN_HEIGHT) nodes.push(i);
      continue;
    }
    if (kind !== ItemKind.Group && kind !== ItemKind.Frame) continue;
    if (scene.h[i] * k < 16 || scene.w[i] * k < 30) continue;
    const label = itemLabel(payload, scene, i);
    if (ctx.measureText(label).width > scene.w[i] - 8 * px) continue;
    ctx.fillText(label, scene.x[i] + 4 * px, scene.y[i] + 3 * px);
  }
  if (nodes.length === 0) return;
  const size = Math.min(10, scene.h[nodes[0]] * k * 0.75);
  ctx.font = `600 ${size * px}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  const widths = new Map<number, number>();
  for (const i of nodes) {
    const op = payload.nodeOp[scene.ref[i]];
    let w = widths.get(op);
    if (w === undefined) widths.set(op, (w = ctx.measureText(payload.ops[op]).width));
    if (w > scene.w[i] - 4 * px) continue;
    ctx.fillText(payload.ops[op], scene.x[i] + scene.w[i] / 2, scene.y[i] + scene.h[i] / 2);
  }
  ctx.textAlign = 'left';
}

/** Diagonal lines over the boxes of nodes an overlay has no value for, at a fixed screen spacing. */
function drawHatches(ctx: CanvasRenderingContext2D, scene: Scene, items: readonly number[], theme: GraphTheme, px: number): void {
  if (items.length === 0) return;
  const step = 7 * px;
  ctx.save();
  ctx.beginPath();
  for (const i of items) ctx.rect(scene.x[i], scene.y[i], scene.w[i], scene.h[i]);
  ctx.clip();
  ctx.beginPath();
  for (const i of items) {
    const x = scene.x[i], y = scene.y[i], w = scene.w[i], h = scene.h[i];
    for (let d = -h; d < w; d += step) {
      ctx.moveTo(x + d, y + h);
      ctx.lineTo(x + d + h, y);
    }
  }
  ctx.lineWidth = px;
  ctx.strokeStyle = theme.hatch;
  ctx.stroke();
  ctx.restore();
}

function drawBox(ctx: CanvasRenderingContext2D, scene: Scene, payload: RenderLabels, theme: GraphTheme, i: number, given: string, cat: number, px: number, lod: number): void {
  const x = scene.x[i], y = scene.y[i], w = scene.w[i], h = scene.h[i];
  const fill = resolveFill(given, theme);
  const kind = scene.kind[i] as ItemKind;
  // Under an overlay the fill carries the meaning: op-type borders would read as part of the scale.
  const stroke = kind === ItemKind.Node ? (given === theme.categoryFill[cat] ? theme.categoryStroke[cat] : theme.frameBorder) : theme.border;
  ctx.lineWidth = px;
  if (kind === ItemKind.Group) {
    // A stack of cards: the group stands for many nodes.
    for (const off of [6, 3]) {
      ctx.beginPath();
      roundRect(ctx, x + off, y + off, w, h, 5);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.strokeStyle = theme.frameBorder;
      ctx.stroke();
    }
  }
  ctx.beginPath();
  const pill = kind === ItemKind.Input || kind === ItemKind.Output;
  roundRect(ctx, x, y, w, h, pill ? h / 2 : 5);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = pill || kind === ItemKind.Group ? theme.frameBorder : stroke;
  ctx.stroke();
  // After the outline: hatching starts paths of its own, which a later stroke() would redraw unclipped.
  if (given === NO_VALUE) drawHatches(ctx, scene, [i], theme, px);

  const label = itemLabel(payload, scene, i);
  ctx.fillStyle = theme.foreground;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  const cx = x + w / 2;
  const inner = w - (pill ? h : 12);
  if (kind === ItemKind.Node) {
    ctx.font = `600 ${11}px ${theme.font}`;
    if (lod === 2 && h >= 30) {
      ctx.fillText(fitText(ctx, label, inner), cx, y + h * 0.36);
      ctx.font = `${10}px ${theme.font}`;
      ctx.fillStyle = theme.muted;
      ctx.fillText(fitText(ctx, nodeBoxText(payload, scene.ref[i]).subtitle, inner), cx, y + h * 0.7);
    } else ctx.fillText(fitText(ctx, label, inner), cx, y + h / 2);
  } else if (kind === ItemKind.Group) {
    ctx.font = `600 ${12}px ${theme.font}`;
    ctx.fillText(fitText(ctx, label, inner), cx, y + h * 0.38);
    ctx.font = `${10}px ${theme.font}`;
    ctx.fillStyle = theme.muted;
    ctx.fillText(`${payload.groupNodeCount[scene.ref[i]].toLocaleString('en-US')} nodes ▸`, cx, y + h * 0.72);
  } else {
    ctx.font = `${11}px ${theme.mono}`;
    ctx.fillText(fitText(ctx, label, inner), cx, y + h / 2);
  }
  ctx.textAlign = 'left';
}

function drawArrowheads(ctx: CanvasRenderingContext2D, scene: Scene, bounds: Float32Array, r: { x0: number; y0: number; x1: number; y1: number }, colour: string, px: number, only: number[] | null): void {
  ctx.beginPath();
  const size = 5 * px;
  const each = (e: number) => {
    const b = e * 4;
    if (bounds[b] > r.x1 || bounds[b + 1] > r.y1 || bounds[b + 2] < r.x0 || bounds[b + 3] < r.y0) return;
    const p1 = firstPair(scene, e + 1) - 1;
    if (p1 <= firstPair(scene, e)) return;
    const x = scene.points[2 * p1], y = scene.points[2 * p1 + 1];
    const dx = x - scene.points[2 * p1 - 2], dy = y - scene.points[2 * p1 - 1];
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len;
    ctx.moveTo(x, y);
    ctx.lineTo(x - ux * size * 1.6 - uy * size, y - uy * size * 1.6 + ux * size);
    ctx.lineTo(x - ux * size * 1.6 + uy * size, y - uy * size * 1.6 - ux * size);
    ctx.closePath();
  };
  if (only) only.forEach(each);
  else for (let e = 0; e < scene.edgeCount; e++) each(e);
  ctx.fillStyle = colour;
  ctx.fill();
}

export function edgeLabel(payload: RenderLabels, scene: Scene, e: number): string {
  const v = scene.edgeValue[e];
  if (v < 0) return scene.edgeMultiplicity[e] > 1 ? `×${scene.edgeMultiplicity[e]}` : '';
  const type = payload.valueElemTypes[v];
  const shape = payload.valueShapes[v];
  return `${type === 'unknown' ? '' : type}${shape === '?' ? '' : ' ' + shape}`.trim();
}

/**
 * Rectangles already taken (boxes, then edge labels as they are placed), on a uniform grid so an
 * export of a large graph stays linear: a label that would overlap one is left out.
 */
class LabelSpace {
  private readonly cells = new Map<number, number[]>();
  private readonly rects: number[] = [];
  private static readonly CELL = 256;

  constructor(scene: Scene, boxes: readonly number[]) {
    for (const b of boxes) this.add(scene.x[b], scene.y[b], scene.x[b] + scene.w[b], scene.y[b] + scene.h[b]);
  }

  private keys(x0: number, y0: number, x1: number, y1: number): number[] {
    const c = LabelSpace.CELL;
    const out: number[] = [];
    for (let cx = Math.floor(x0 / c); cx <= Math.floor(x1 / c); cx++) for (let cy = Math.floor(y0 / c); cy <= Math.floor(y1 / c); cy++) out.push(cx * 1_000_003 + cy);
    return out;
  }

  private add(x0: number, y0: number, x1: number, y1: number): void {
    const id = this.rects.length;
    this.rects.push(x0, y0, x1, y1);
    for (const k of this.keys(x0, y0, x1, y1)) {
      const list = this.cells.get(k);
      if (list) list.push(id);
      else this.cells.set(k, [id]);
    }
  }

  /** Claims the rectangle if it is free of labels and boxes. */
  claim(x: number, y: number, w: number, h: number): boolean {
    const r = this.rects;
    for (const k of this.keys(x, y, x + w, y + h)) {
      for (const i of this.cells.get(k) ?? []) if (x < r[i + 2] && r[i] < x + w && y < r[i + 3] && r[i + 1] < y + h) return false;
    }
    this.add(x, y, x + w, y + h);
    return true;
  }
}

function drawEdgeLabels(ctx: CanvasRenderingContext2D, scene: Scene, payload: RenderLabels, theme: GraphTheme, bounds: Float32Array, r: { x0: number; y0: number; x1: number; y1: number }, px: number, boxes: readonly number[]): void {
  ctx.font = `${10 * px}px ${theme.mono}`;
  ctx.textBaseline = 'middle';
  const space = new LabelSpace(scene, boxes);
  for (let e = 0; e < scene.edgeCount; e++) {
    const b = e * 4;
    if (bounds[b] > r.x1 || bounds[b + 1] > r.y1 || bounds[b + 2] < r.x0 || bounds[b + 3] < r.y0) continue;
    const text = edgeLabel(payload, scene, e);
    if (!text) continue;
    // Label beside the middle of the longest segment.
    const p0 = firstPair(scene, e), p1 = firstPair(scene, e + 1);
    let best = p0, bestLen = -1;
    for (let p = p0; p < p1 - 1; p++) {
      const len = Math.hypot(scene.points[2 * p + 2] - scene.points[2 * p], scene.points[2 * p + 3] - scene.points[2 * p + 1]);
      if (len > bestLen) { bestLen = len; best = p; }
    }
    if (bestLen < 30) continue;
    const mx = (scene.points[2 * best] + scene.points[2 * best + 2]) / 2;
    const my = (scene.points[2 * best + 1] + scene.points[2 * best + 3]) / 2;
    const w = ctx.measureText(text).width;
    if (!space.claim(mx + 4 * px, my - 7 * px, w + 6 * px, 14 * px)) continue;
    ctx.fillStyle = theme.background;
    ctx.fillRect(mx + 4 * px, my - 7 * px, w + 6 * px, 14 * px);
    ctx.fillStyle = theme.muted;
    ctx.fillText(text, mx + 7 * px, my);
  }
}
