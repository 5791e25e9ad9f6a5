/**
 * The page's side of previews (graphPreview.ts): what the page shows while it builds itself, and
 * what it keeps for the model's next page.
 *
 * - A page without saved state is a first open or a reopen. A reopen's HTML may carry a picture of
 *   the model's first view, which stays while it is of the structure that arrives; a first open
 *   draws the first view the analysis process laid out, which comes ahead of the graph (unless the
 *   page's first-view loader drew it before this script was up). After the graph
 *   view's first frame, a page that did not show one sends the host its canvas as PNG, for the next
 *   page (src/extension/firstViews.ts).
 * - A page restored from saved state (a hidden editor shown again) draws the view snapshot kept
 *   with that very state (viewSnapshot.ts, previewStore.ts); the page keeps one each time it saves.
 */
import type { OpenTimeline } from '../../src/shared/openTimeline';
import type { FirstLayoutMessage, FirstViewGeometry, FirstViewPlace } from '../../src/shared/protocol';
import { hostClock, type HostChannel } from '../shell/hostChannel';
import { GraphPreview } from './graphPreview';
import { firstViewSnapshot } from './previewCanvas';
import { loadPreviewStore, previewKey, readPreview, savePreview } from './previewStore';
import { plainRect, type ViewSnapshot } from './viewSnapshot';

export class PagePreviews {
  private preview: GraphPreview | null = GraphPreview.fromPage();
  /** The packed structure's key (previewStore.previewKey) of the graph the page shows. */
  private key = '';
  /** The key of the structure whose first view the page showed from the host's picture (the host has it). */
  private pictured = '';
  private savePending = false;
  /**
   * The first view the analysis process laid out, drawn: when (on the host's clock, read once the
   * page has heard from the host), and where (until the graph view's first frame is kept).
   */
  private firstViewDrawn: { at: () => number; rect: FirstViewGeometry['rect'] } | null = null;

  constructor(private readonly channel: Pick<HostChannel, 'notify'>) {
    // Loaded while the page waits for its graph, so that looking a snapshot up does not wait for it.
    loadPreviewStore();
    const drawnAt = window.__onnxLensFirstViewDrawn;
    const r = this.preview?.drawnByPageAt();
    if (r && drawnAt !== undefined) {
      this.firstViewDrawn = { at: () => hostClock.at(drawnAt), rect: plainRect(r) };
    }
  }

  /**
   * A first open's first view, laid out by the analysis process, came ahead of the graph: drawn
   * where the last page had its graph canvas, if this page has that page's size and shows nothing
   * else (a saved view comes for a page restored from `savedState`).
   */
  firstLayoutArrived({ layout, place }: FirstLayoutMessage, savedState: unknown): void {
    if (savedState !== undefined || this.preview || !place) return;
    const marks: OpenTimeline = {};
    this.preview = GraphPreview.draw(firstViewSnapshot(layout, place), marks, 'firstViewDrawn');
    const at = marks.firstViewDrawn!;
    if (this.preview) this.firstViewDrawn = { at: () => at, rect: place.rect };
  }

  /**
   * A graph message came (its unpacking started): keeps the HTML's picture if it is of this graph,
   * or the first view drawn ahead of it (its mark goes into `timeline`), else draws the snapshot
   * that fits `savedState` (the page's saved state, or undefined), if any.
   */
  graphArrived(packed: ArrayBuffer, savedState: unknown, timeline: OpenTimeline): void {
    this.key = previewKey(packed);
    if (savedState === undefined && this.preview?.pictures(this.key, timeline)) {
      this.pictured = this.key;
      return;
    }
    if (this.firstViewDrawn && this.preview) {
      timeline.firstViewDrawn = this.firstViewDrawn.at();
      return;
    }
    this.dismiss();
    if (savedState === undefined) return;
    const snapshot = readPreview(this.key);
    this.preview = GraphPreview.draw(snapshot && snapshot.state === JSON.stringify(savedState) ? snapshot : null, timeline);
  }

  /** The graph view drew, or the page shows something else: the preview goes. */
  dismiss(): void {
    this.preview?.dismiss();
    this.preview = null;
  }

  /**
   * The first frame of a page without saved state, on `canvas` at `rect`: its PNG goes to the host,
   * unless the page showed the host's picture of it. `toBlob` copies the canvas now and encodes it
   * off this thread.
   */
  keepFirstView(canvas: HTMLCanvasElement, rect: DOMRect): void {
    if (this.firstViewDrawn) {
      // Whether the page's graph canvas came where the last page's was (the e2e tests check it): else the first frame moved the view.
      const r = this.firstViewDrawn.rect;
      const same = [r.left - rect.left, r.top - rect.top, r.width - rect.width, r.height - rect.height].every((d) => Math.abs(d) < 0.5);
      document.body.dataset.firstViewPlaced = same ? 'same' : 'moved';
      this.firstViewDrawn = null;
    }
    if (this.pictured === this.key) return;
    const place: FirstViewPlace = {
      structureKey: this.key,
      rect: plainRect(rect),
      page: { width: window.innerWidth, height: window.innerHeight },
      devicePixelRatio: window.devicePixelRatio,
      themeId: document.body.dataset.vscodeThemeId ?? '',
    };
    canvas.toBlob((blob) => {
      void blob?.arrayBuffer().then((png) => this.channel.notify({ type: 'firstView', ...place, png }, [png]));
    }, 'image/png');
  }

  /**
   * The page saved its state: what the canvas shows with it is kept in idle time, when the view
   * still is what the saved state says (`take` returns null otherwise, and the view's next save,
   * 250 ms after it moved, keeps it). One pending at a time.
   */
  keepSavedView(take: () => { state: unknown; snapshot: ViewSnapshot } | null): void {
    if (this.savePending) return;
    this.savePending = true;
    const key = this.key;
    requestIdleCallback(() => {
      this.savePending = false;
      const taken = key === this.key ? take() : null;
      if (taken) savePreview(key, { ...taken.snapshot, state: JSON.stringify(taken.state) });
    }, { timeout: 1000 });
  }
}
