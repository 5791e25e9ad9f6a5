/**
 * What the renderer draws: positioned boxes and routed edges for the currently visible level of
 * the hierarchy (collapsed groups are single boxes, expanded groups are frames around their
 * laid-out children). Computed in the layout Web Worker (a first open's first view in the analysis
 * process: firstView.ts); all coordinates are in graph units
 * (1 unit = 1 CSS px at zoom 1), y grows downward, data flows top to bottom.
 */

export const enum ItemKind {
  Node = 0,
  /** A collapsed group: one box standing for all its nodes. */
  Group = 1,
  /** An expanded group: a frame drawn behind its children. */
  Frame = 2,
  /** Graph input / output pseudo-nodes. */
  Input = 3,
  Output = 4,
}

export interface Scene {
  /** Count of items; per-item arrays below have this length. */
  itemCount: number;
  kind: Uint8Array;
  /** Node index for Node items, group index for Group/Frame, value index for Input/Output. */
  ref: Int32Array;
  /** Top-left corner and size. */
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  h: Float64Array;
  /** Nesting depth of frames (0 = top level), for drawing order and tinting. */
  depth: Uint8Array;

  edgeCount: number;
  /** Item indices the edge connects. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Value index carried (for the label: dtype + shape); -1 for aggregated edges between groups. */
  edgeValue: Int32Array;
  /** Number of values an aggregated edge stands for (1 for a plain edge). */
  edgeMultiplicity: Uint32Array;
  /**
   * Polyline points, x,y interleaved: edge e's coordinates are points[pointStart[e] .. pointStart[e+1]).
   * pointStart counts numbers, not pairs (so it is always even); see `firstPair` for pair indices.
   */
  pointStart: Uint32Array;
  points: Float64Array;

  /** Bounds of everything. */
  width: number;
  height: number;
}

/** Index of the first x,y pair of edge e (pair p is points[2p], points[2p+1]); firstPair(s, e + 1) ends it. */
export function firstPair(scene: Scene, e: number): number {
  return scene.pointStart[e] >> 1;
}
