/**
 * The hit test by definition, a scan over every item: the topmost box (node, collapsed group,
 * input or output) under the point, else the deepest frame (ties to the later, drawn on top).
 * What GraphView ran before the scene index; the index's tests and bench/hitTest.bench.ts compare
 * it against this.
 */
import { ItemKind, type Scene } from '../../../src/core/graphLayout/scene';

export function scanHitTest(s: Scene, x: number, y: number): number {
  let frame = -1;
  for (let i = s.itemCount - 1; i >= 0; i--) {
    if (x < s.x[i] || y < s.y[i] || x > s.x[i] + s.w[i] || y > s.y[i] + s.h[i]) continue;
    if (s.kind[i] !== ItemKind.Frame) return i;
    if (frame < 0 || s.depth[i] > s.depth[frame]) frame = i;
  }
  return frame;
}
