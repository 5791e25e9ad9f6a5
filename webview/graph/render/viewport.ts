import { ItemKind, type Scene } from '../../../src/core/graphLayout/scene';

/** Pan/zoom state: screen = graph * k + t (CSS px). */
export interface Viewport {
  tx: number;
  ty: number;
  k: number;
}

export const MIN_ZOOM = 0.005;
export const MAX_ZOOM = 4;

export function clampZoom(k: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));
}

/** Zooms by `factor` keeping the graph point under (sx, sy) fixed on screen. */
export function zoomAround(v: Viewport, factor: number, sx: number, sy: number): Viewport {
  const k = clampZoom(v.k * factor);
  const gx = (sx - v.tx) / v.k;
  const gy = (sy - v.ty) / v.k;
  return { k, tx: sx - gx * k, ty: sy - gy * k };
}

/** The viewport showing graph rect (x, y, w, h) centred in a screen of (width, height) with a margin. */
export function fitRect(x: number, y: number, w: number, h: number, width: number, height: number, margin = 24, maxZoom = 1.5): Viewport {
  const k = clampZoom(Math.min((width - 2 * margin) / Math.max(w, 1), (height - 2 * margin) / Math.max(h, 1), maxZoom));
  return { k, tx: width / 2 - (x + w / 2) * k, ty: height / 2 - (y + h / 2) * k };
}

/**
 * Below this zoom the graph is not worth fitting whole on open: boxes are under 20 px tall and
 * only their op types (drawn at a fixed 10 px from afar, see the renderer) remain readable.
 */
export const READABLE_ZOOM = 0.5;
/** The zoom a graph too large to fit readably opens at: node names as well as op types read. */
export const OPEN_ZOOM = 0.8;

/**
 * The first view of a graph: the whole of it (outputs included) when its op types stay readable,
 * otherwise its top (where data enters) at a readable zoom, centred on `entryX` (the graph inputs). A deep network fitted
 * whole is a sliver of unreadable boxes; its first layers are what a reader wants to see first.
 */
export function initialView(w: number, h: number, entryX: number, width: number, height: number, margin = 24): Viewport {
  const fitted = fitRect(0, 0, w, h, width, height, margin, 1);
  if (fitted.k >= READABLE_ZOOM) return fitted;
  const k = OPEN_ZOOM;
  const tx = w * k <= width - 2 * margin ? (width - w * k) / 2 : width / 2 - entryX * k;
  return { k, tx, ty: margin };
}

/** A scene's first view on a width × height canvas (initialView), centred on its graph inputs, without any on its middle. */
export function initialViewOf(scene: Scene, width: number, height: number): Viewport {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < scene.itemCount; i++) {
    if (scene.kind[i] === ItemKind.Input) {
      sum += scene.x[i] + scene.w[i] / 2;
      count++;
    }
  }
  return initialView(scene.width, scene.height, count ? sum / count : scene.width / 2, width, height);
}

/** Graph-space rectangle visible on screen. */
export function visibleRect(v: Viewport, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  return { x0: -v.tx / v.k, y0: -v.ty / v.k, x1: (width - v.tx) / v.k, y1: (height - v.ty) / v.k };
}
