/**
 * A model's view drawn from its snapshot (viewSnapshot.ts, previewStore.ts) while a new page
 * unpacks and decodes the structure and builds itself: a canvas over the spot where the graph's
 * canvas will be, with the same pixels its first frame will have. The graph view's first frame
 * takes over and the preview goes; it takes no input meanwhile.
 *
 * Drawn only when it can be right: the caller picks a snapshot of this exact structure (the first
 * view for a page without saved state, the saved view for a page restored from the very state it
 * was kept with), and it is drawn only into a page of the size it was taken in.
 */
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { hostClock } from '../shell/hostChannel';
import { fitsPage, type ViewSnapshot } from './viewSnapshot';
import { drawScene, prepareScene } from './render/renderer';
import { opCategory, readTheme } from './render/theme';

export class GraphPreview {
  private canvas: HTMLCanvasElement | null = null;
  /** A graph that fails to lay out shows its error (graphTab.ts), which the preview must not hide. */
  private readonly failure = new MutationObserver(() => {
    if (document.body.dataset.graphState === 'error') this.dismiss();
  });

  /**
   * Draws `snapshot` if it fits this page, and marks `timeline.previewFrame`. Synchronous: the
   * caller has started unpacking the structure, whose work comes after this.
   */
  constructor(snapshot: ViewSnapshot | null, timeline: OpenTimeline) {
    if (!snapshot || !fitsPage(snapshot, { width: window.innerWidth, height: window.innerHeight })) return;
    try {
      this.canvas = drawPreview(snapshot);
      document.body.append(this.canvas);
      document.body.classList.add('graph-previewing');
      this.failure.observe(document.body, { attributes: true, attributeFilter: ['data-graph-state'] });
      timeline.previewFrame = hostClock.now();
    } catch {
      this.canvas = null; // a snapshot the renderer cannot draw: the first frame comes as on a first open
    }
  }

  /** The graph view has drawn (or the page shows something else): the preview goes. */
  dismiss(): void {
    if (!this.canvas) return;
    this.failure.disconnect();
    this.canvas.remove();
    this.canvas = null;
    document.body.classList.remove('graph-previewing');
  }
}

function drawPreview(snapshot: ViewSnapshot): HTMLCanvasElement {
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
