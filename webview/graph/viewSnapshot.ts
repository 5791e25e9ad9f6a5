/**
 * What the graph canvas shows, kept so that a new page for the same model draws it at once
 * (graphPreview.ts), before its structure is unpacked and decoded: at 100k nodes that took the page
 * ~0.35 s between the graph message and the first frame, with the layout itself read back from
 * IndexedDB in a few ms (docs/opening-a-model.md). What is kept is the view a page last saved, for
 * the page VS Code makes anew when a hidden editor is shown again. (A reopen shows a picture of the
 * first view that the host puts into the page's HTML, src/extension/firstViews.ts: it is up before
 * the page's script.)
 *
 * Only what the canvas shows is kept: the items and edges the renderer does not cull at the view's
 * viewport (and the selected and problem items, whose outlines it always draws), with the scene's
 * refs (node, group and value indices into the whole graph) renumbered into small label tables
 * (src/core/graphLayout/labelledScene.ts).
 * The first view of a 100k-node model is a few dozen items and its snapshot a few KB; a view with
 * a thousand layer boxes open keeps the ones on screen. DOM-free, so Node tests draw both and
 * compare.
 */
import { labelledSceneFromJson, labelledSceneJson, labelScene, type LabelledScene } from '../../src/core/graphLayout/labelledScene';
import type { PreparedScene } from './render/prepareScene';
import type { RenderLabels } from '../../src/core/graphLayout/renderLabels';
import { visibleRect, type Viewport } from './render/viewport';
import { firstPair, type Scene } from '../../src/core/graphLayout/scene';

export interface ViewSnapshot extends LabelledScene {
  /** Items drawn as having a problem (a dangling input, a missing value). */
  problemItems: number[];
  /** The item drawn as selected, or -1. */
  selectedItem: number;
  /** The page's saved state this view goes with (its JSON), for a page restored from that state; absent for a first view. */
  state?: string;
  viewport: Viewport;
  /** The canvas, in CSS px of the page, and the page's size then: the preview is drawn only into the same layout. */
  rect: { left: number; top: number; width: number; height: number };
  page: { width: number; height: number };
}

/** An item index no item has: the end of a kept edge whose item was not kept (never selected, never -1). */
const DROPPED = -2;

/**
 * The snapshot of a scene as drawn with `payload` from `viewport` on a canvas at `rect` of a
 * `page`-sized page; its edge bounds are the ones the renderer culls with (prepareScene).
 */
export function takeSnapshot(
  { scene, edgeBounds }: Pick<PreparedScene, 'scene' | 'edgeBounds'>,
  payload: RenderLabels,
  problemItems: ReadonlySet<number>,
  selectedItem: number,
  viewport: Viewport,
  rect: ViewSnapshot['rect'],
  page: ViewSnapshot['page'],
): ViewSnapshot {
  const shown = onScreen(scene, edgeBounds, problemItems, selectedItem, viewport, rect);
  const labelled = labelScene(shown.scene, payload);
  return {
    scene: labelled.scene,
    labels: labelled.labels,
    problemItems: [...problemItems].map((i) => shown.index.get(i)!),
    selectedItem: selectedItem < 0 ? selectedItem : shown.index.get(selectedItem)!,
    viewport: { ...viewport },
    rect: plainRect(rect),
    page: { ...page },
  };
}

/**
 * The items and edges drawScene does not cull at `viewport` on a `rect`-sized canvas (its own
 * tests, on the same bounds), plus the selected and problem items, in scene order, as a scene of
 * their own (refs and edge values still the whole graph's); `index` maps old item indices to new.
 */
function onScreen(scene: Scene, bounds: Float32Array, problemItems: ReadonlySet<number>, selectedItem: number, viewport: Viewport, rect: ViewSnapshot['rect']) {
  const r = visibleRect(viewport, rect.width, rect.height);
  const items: number[] = [];
  const index = new Map<number, number>();
  for (let i = 0; i < scene.itemCount; i++) {
    const x = scene.x[i], y = scene.y[i];
    const visible = !(x > r.x1 || y > r.y1 || x + scene.w[i] < r.x0 || y + scene.h[i] < r.y0);
    if (!visible && i !== selectedItem && !problemItems.has(i)) continue;
    index.set(i, items.length);
    items.push(i);
  }
  const edges: number[] = [];
  for (let e = 0; e < scene.edgeCount; e++) {
    const b = e * 4;
    if (!(bounds[b] > r.x1 || bounds[b + 1] > r.y1 || bounds[b + 2] < r.x0 || bounds[b + 3] < r.y0)) edges.push(e);
  }
  const pointStart = new Uint32Array(edges.length + 1);
  for (const [k, e] of edges.entries()) pointStart[k + 1] = pointStart[k] + (scene.pointStart[e + 1] - scene.pointStart[e]);
  const points = new Float64Array(pointStart[edges.length]);
  for (const [k, e] of edges.entries()) points.set(scene.points.subarray(firstPair(scene, e) * 2, firstPair(scene, e + 1) * 2), pointStart[k]);
  const end = (i: number) => index.get(i) ?? DROPPED;
  const cropped: Scene = {
    itemCount: items.length,
    kind: Uint8Array.from(items, (i) => scene.kind[i]),
    ref: Int32Array.from(items, (i) => scene.ref[i]),
    x: Float64Array.from(items, (i) => scene.x[i]),
    y: Float64Array.from(items, (i) => scene.y[i]),
    w: Float64Array.from(items, (i) => scene.w[i]),
    h: Float64Array.from(items, (i) => scene.h[i]),
    depth: Uint8Array.from(items, (i) => scene.depth[i]),
    edgeCount: edges.length,
    edgeFrom: Int32Array.from(edges, (e) => end(scene.edgeFrom[e])),
    edgeTo: Int32Array.from(edges, (e) => end(scene.edgeTo[e])),
    edgeValue: Int32Array.from(edges, (e) => scene.edgeValue[e]),
    edgeMultiplicity: Uint32Array.from(edges, (e) => scene.edgeMultiplicity[e]),
    pointStart,
    points,
    width: scene.width,
    height: scene.height,
  };
  return { scene: cropped, items, edges, index };
}

/** Whether a snapshot taken in a page of `snapshot.page`'s size fits the page as it is now (same size, to the pixel). */
export function fitsPage(snapshot: ViewSnapshot, page: { width: number; height: number }): boolean {
  return Math.round(snapshot.page.width) === Math.round(page.width) && Math.round(snapshot.page.height) === Math.round(page.height)
    && snapshot.rect.width > 0 && snapshot.rect.height > 0;
}

/** The four numbers of a rect (a DOMRect, say) as plain data. */
export function plainRect(r: { left: number; top: number; width: number; height: number }): ViewSnapshot['rect'] {
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}

/** The snapshot as text (JSON; numbers round-trip exactly, so the preview's pixels are the first frame's). */
export function encodeSnapshot(s: ViewSnapshot): string {
  return JSON.stringify({ ...s, ...labelledSceneJson(s) });
}

/** The snapshot in `text`, or null when it is not one whose arrays agree with its counts. */
export function decodeSnapshot(text: string): ViewSnapshot | null {
  try {
    const raw = JSON.parse(text) as Omit<ViewSnapshot, 'scene' | 'labels'> & { scene: Record<string, unknown>; labels: Record<string, unknown> };
    const labelled = labelledSceneFromJson(raw);
    if (!labelled || !raw.viewport || !raw.rect || !raw.page) return null;
    if (!Number.isInteger(raw.selectedItem) || raw.selectedItem >= labelled.scene.itemCount) return null;
    return { ...raw, ...labelled };
  } catch {
    return null;
  }
}
