/**
 * A model's view shown while a new page unpacks and decodes the structure and builds itself, with
 * the pixels its graph view's first frame will have, over the spot where the graph's canvas will
 * be. The graph view's first frame takes over and the preview goes; it takes no input meanwhile.
 * Three kinds:
 *
 * - A first open: the default first view the analysis process laid out
 *   (src/core/graphLayout/firstView.ts), drawn where the host saw the last page draw its graph
 *   canvas, if this page has that page's size: by the page's inline first-view loader
 *   (webview/graph/firstViewLoader.ts) when the host's push comes before this script is up, else
 *   here.
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
import { drawPreview } from './previewCanvas';

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

  /**
   * The first view the page's HTML shows (its inline loader, webview/graph/firstViewLoader.ts, found
   * that it fits): a reopen's picture, or a first open's view drawn on a canvas.
   */
  static fromPage(): GraphPreview | null {
    const shown = document.querySelector<HTMLElement>('.first-view');
    if (!shown) return null;
    if (!document.body.classList.contains('graph-previewing')) {
      shown.remove();
      return null;
    }
    return new GraphPreview(shown);
  }

  /** Where a first open's first view that the page's HTML drew (not a picture) is, or null. */
  drawnByPageAt(): DOMRect | null {
    return this.element instanceof HTMLCanvasElement && this.element.classList.contains('first-view') ? this.element.getBoundingClientRect() : null;
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
