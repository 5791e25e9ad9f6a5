/**
 * A model's view shown while a new page unpacks and decodes the structure and builds itself, with
 * the pixels its graph view's first frame will have, over the spot where the graph's canvas will
 * be. The graph view's first frame takes over and the preview goes; it takes no input meanwhile.
 * Three kinds:
 *
 * - A first open: the default first view the analysis process laid out
 *   (src/core/graphLayout/firstView.ts), drawn where the host saw the last page draw its graph
 *   canvas, if this page has that page's size.
 *
 * - A reopen: the picture of the model's first view that the host put into the page's HTML
 *   (src/extension/webviewHtml.ts), already shown when this script runs, if the page has the
 *   size, pixel ratio and theme it was taken in. It stays only if the structure that arrives is
 *   the one it was taken of.
 * - A hidden editor shown again (its page made anew, restored from its saved state): the view kept
 *   with that very state (viewSnapshot.ts, previewStore.ts), drawn here on a canvas, only into a
 *   page of the size it was taken in.
 */
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { hostClock } from '../shell/hostChannel';
import { fitsPage, type ViewSnapshot } from './viewSnapshot';
import { drawScene, prepareScene } from './render/renderer';
import { opCategory, readTheme } from './render/theme';

export class GraphPreview {
  /** A graph that fails to lay out shows its error (graphTab.ts), which the preview must not hide. */
  private readonly failure = new MutationObserver(() => {
    if (document.body.dataset.graphState === 'error') this.dismiss();
  });

  private constructor(private element: HTMLElement | null) {
    if (!element) return;
    document.body.classList.add('graph-previewing');
    this.failure.observe(document.body, { attributes: true, attributeFilter: ['data-graph-state'] });
  }

  /** The first view's picture the page's HTML shows, if its inline script found that it fits. */
  static fromPage(): GraphPreview | null {
    const picture = document.querySelector<HTMLImageElement>('img.first-view');
    if (!picture) return null;
    if (!document.body.classList.contains('graph-previewing')) {
      picture.remove();
      return null;
    }
    return new GraphPreview(picture);
  }

  /**
   * Draws `snapshot` if it fits this page, and marks `phase` in `timeline`. Synchronous: the
   * caller has started unpacking the structure, whose work comes after this.
   */
  static draw(snapshot: ViewSnapshot | null, timeline: OpenTimeline, phase: 'previewFrame' | 'firstViewDrawn' = 'previewFrame'): GraphPreview | null {
    if (!snapshot || !fitsPage(snapshot, { width: window.innerWidth, height: window.innerHeight })) return null;
    let canvas: HTMLCanvasElement;
    try {
      canvas = drawPreview(snapshot);
    } catch {
      return null; // a snapshot the renderer cannot draw: the first frame comes as on a first open
    }
    document.body.append(canvas);
    timeline[phase] = hostClock.now();
    return new GraphPreview(canvas);
  }

  /**
   * Whether this is the HTML's picture of the structure keyed `structureKey`
   * (previewStore.previewKey); if so, marks when the page painted it (`firstViewShown`).
   */
  pictures(structureKey: string, timeline: OpenTimeline): boolean {
    const picture = this.element;
    if (!(picture instanceof HTMLImageElement) || picture.dataset.structureKey !== structureKey) return false;
    // The page's first contentful paint is the picture: nothing else is drawn before the script runs.
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    timeline.firstViewShown = hostClock.at(paint ? performance.timeOrigin + paint.startTime : performance.timeOrigin + performance.now());
    return true;
  }

  /** The graph view has drawn (or the page shows something else): the preview goes. */
  dismiss(): void {
    if (!this.element) return;
    this.failure.disconnect();
    this.element.remove();
    this.element = null;
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
