/**
 * A view snapshot drawn on a canvas of its own (graphPreview.ts), and a first open's first view
 * laid out by the analysis process as such a snapshot. Imports only the renderer: the page's HTML
 * runs this too, in its inline first-view script (firstViewScript.ts), before its files load.
 */
import { decodeFirstView } from '../../src/core/graphLayout/firstView';
import type { FirstViewGeometry } from '../../src/shared/protocol';
import { drawScene, prepareScene } from './render/renderer';
import { opCategory, readTheme } from './render/theme';
import { initialViewOf } from './render/viewport';
import type { ViewSnapshot } from './viewSnapshot';

/** `snapshot` drawn on a new canvas (class `graph-preview`) placed at its rect, not yet in the page. */
export function drawPreview(snapshot: ViewSnapshot): HTMLCanvasElement {
  const { rect, scene, labels } = snapshot;
  const dpr = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.className = 'graph-preview';
  canvas.setAttribute('aria-hidden', 'true');
  canvas.dataset.testid = 'graph-preview';
  Object.assign(canvas.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
  canvas.width = Math.round(rect.width * dpr);
  canvas.height = Math.round(rect.height * dpr);
  const ctx = canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const prepared = prepareScene(scene, labels, Uint8Array.from(labels.ops, opCategory));
  drawScene(ctx, prepared, labels, readTheme(), snapshot.viewport, rect.width, rect.height, {
    selectedItem: snapshot.selectedItem, highlighted: new Set(), itemFill: null, problemItems: new Set(snapshot.problemItems),
  });
  return canvas;
}

/** The analysis process's first view as a snapshot drawn at `rect` from its initial viewport, or null if the text is not one. */
export function firstViewSnapshot(layout: string, { rect, page }: FirstViewGeometry): ViewSnapshot | null {
  const view = decodeFirstView(layout);
  if (!view) return null;
  const { scene, labels, problemItems } = view;
  return { scene, labels, problemItems, selectedItem: -1, viewport: initialViewOf(scene, rect.width, rect.height), rect, page };
}
