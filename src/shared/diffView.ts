/**
 * What the diff editor's webview receives besides the two graphs (src/shared/protocol.ts carries
 * it): the report, and per node of each side whether it is the same, changed or only on that side,
 * with the pairing a → b for synchronised selection.
 */
import type { BehaviourDiff, DiffReport } from './diffReport';

export const enum NodeState {
  Same = 0,
  Changed = 1,
  /** Removed (on side a) or added (on side b). */
  Only = 2,
  /** In the overlay only: a node of a that b lacks, drawn as a ghost. */
  Removed = 3,
}

export interface DiffStates {
  a: Uint8Array;
  b: Uint8Array;
  /** b's node index for each of a's nodes, -1 when unmatched. */
  aToB: Int32Array;
}

/** The overlay (src/core/diff/union.ts): b's nodes, then a's removed nodes as ghosts. */
export interface DiffOverlayStates {
  /** Per overlay node: Same, Changed, Only (added) or Removed (a ghost). */
  states: Uint8Array;
  /** The overlay node of each of a's nodes. */
  fromA: Int32Array;
}

export interface DiffViewData {
  report: DiffReport;
  states: DiffStates;
  overlay: DiffOverlayStates;
}

/** How the page shows the graphs: both side by side (the default), or one overlay of both. */
export type DiffMode = 'sideBySide' | 'overlay';

/** What the overlay's current scene shows (the page's report, for tests and the log). */
export interface OverlayDrawn {
  /** Node boxes in the scene, and how many of each state were filled with that state's colour. */
  nodes: number;
  same: number;
  changed: number;
  added: number;
  /** Removed nodes drawn as ghosts, and the edges from or to them (drawn dashed). */
  ghosts: number;
  ghostEdges: number;
  /** The resolved colours used (from the theme). */
  fills: { added: string; changed: string; ghost: string; ghostLine: string };
}

/** Host → diff page. */
export type DiffPushMessage =
  | { type: 'diffLoading'; a: string; b: string }
  | { type: 'diffData'; data: DiffViewData; graphA: ArrayBuffer; graphB: ArrayBuffer; graphOverlay: ArrayBuffer }
  | { type: 'diffError'; message: string }
  | { type: 'behaviourProgress'; message: string }
  | { type: 'behaviour'; behaviour: BehaviourDiff }
  | { type: 'behaviourError'; message: string }
  /** Switch the page's mode (the "Toggle Overlay" command). */
  | { type: 'setMode'; mode: DiffMode | 'toggle' };

/** Diff page → host. */
export type DiffPageMessage =
  | { type: 'ready' }
  /** Run both models (random inputs) and compare their behaviour. */
  | { type: 'compareBehaviour'; samples: number }
  /** Open one side in the model editor. */
  | { type: 'openSide'; side: 'a' | 'b' }
  /** What the page shows, for tests and the log (the diff editor's counterpart of `rendered`). */
  | { type: 'diffRendered'; headline: string; selected: { side: 'a' | 'b'; node: string } | null; colouredChanged: number; mode: DiffMode; overlay: OverlayDrawn | null };

export function isDiffPageMessage(m: unknown): m is DiffPageMessage {
  const type = (m as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'compareBehaviour' || type === 'openSide' || type === 'diffRendered';
}
