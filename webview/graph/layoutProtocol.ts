/** Messages between the graph view (main thread) and the layout Web Worker. */
import type { Scene } from '../../src/core/graphLayout/scene';

export type ToWorker =
  /** Sent once per model: a copy of the encoded payload (src/shared/payloadCodec.ts), transferred; the
   * main thread keeps its own decoded copy for search, details and labels, so nothing waits on the
   * worker to answer a lookup. The worker then produces the first view's scene unasked: the
   * restored view's when given, else the default one, which `firstView` (a first open's, laid out by
   * the analysis process: src/core/graphLayout/firstView.ts's text) may already be. */
  | { type: 'init'; graph: ArrayBuffer; restore?: RestoredView; firstView?: string }
  /** Lay out the hierarchy with exactly these groups expanded (group indices, sorted). */
  | { type: 'layout'; requestId: number; expanded: number[] };

/** The view a page restoring its saved state asks for first (when that state is this model's). */
export interface RestoredView {
  modelHash: string;
  /** Expanded groups as the page saved them (GraphViewState.expanded: the root left out). */
  expanded: number[];
}

export type FromWorker =
  /** `ahead`: the worker had started on this scene before it was asked for (the first view). */
  | { type: 'scene'; requestId: number; scene: Scene; ms: number; source: 'memory' | 'indexeddb' | 'computed' | 'analysis'; ahead: boolean }
  | { type: 'error'; requestId: number; message: string };

/** Bumped whenever the layout algorithm changes, so persisted layouts of an older one are ignored. */
export const LAYOUT_CACHE_VERSION = 1;

/** The typed-array buffers of a scene, for transfer lists. */
export function sceneBuffers(scene: Scene): ArrayBuffer[] {
  return [scene.kind, scene.ref, scene.x, scene.y, scene.w, scene.h, scene.depth, scene.edgeFrom, scene.edgeTo, scene.edgeValue, scene.edgeMultiplicity, scene.pointStart, scene.points]
    .map((a) => a.buffer as ArrayBuffer);
}
