/**
 * The page's side of view snapshots (viewSnapshot.ts): when a graph message comes, the snapshot
 * that fits the page is drawn (graphPreview.ts) while the page builds itself; as the page draws
 * and saves its state, snapshots are kept (previewStore.ts) for the next page of the same model.
 * A page without saved state is a first open or a reopen: it draws, and keeps, the model's first
 * view. A page restored from saved state (a hidden editor shown again) draws the view kept with
 * that very state.
 */
import type { OpenTimeline } from '../../src/shared/openTimeline';
import { GraphPreview } from './graphPreview';
import { loadPreviewStore, previewKey, readPreview, savePreview } from './previewStore';
import type { ViewSnapshot } from './viewSnapshot';

export class PagePreviews {
  private preview: GraphPreview | null = null;
  /** The packed structure's key (previewStore.previewKey) of the graph the page shows. */
  private key = '';
  private savePending = false;

  constructor() {
    // Loaded while the page waits for its graph, so that looking a snapshot up does not wait for it.
    loadPreviewStore();
  }

  /**
   * A graph message came (its unpacking started): draws the snapshot that fits `savedState` (the
   * page's saved state, or undefined), if any.
   */
  graphArrived(packed: ArrayBuffer, savedState: unknown, timeline: OpenTimeline): void {
    this.key = previewKey(packed);
    const state = savedState === undefined ? null : JSON.stringify(savedState);
    const snapshot = state === null ? readPreview(this.key, 'first') : readPreview(this.key, 'saved');
    this.preview?.dismiss();
    this.preview = new GraphPreview(snapshot && (snapshot.state ?? null) === state ? snapshot : null, timeline);
  }

  /** The graph view drew, or the page shows something else: the preview goes. */
  dismiss(): void {
    this.preview?.dismiss();
    this.preview = null;
  }

  /** The first frame of a page without saved state: kept right after the frame's work (a few KB, ~1 ms), before an editor closed at once is gone. */
  keepFirstView(snapshot: ViewSnapshot): void {
    const key = this.key;
    requestIdleCallback(() => savePreview(key, 'first', snapshot), { timeout: 300 });
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
      if (taken) savePreview(key, 'saved', { ...taken.snapshot, state: JSON.stringify(taken.state) });
    }, { timeout: 1000 });
  }
}
