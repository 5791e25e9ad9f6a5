/**
 * Ghosts: items drawn as "not really here" — the diff overlay's removed nodes (webview/diff/).
 * A dashed outline in the colour the caller gives (the theme's deleted colour) over their faint
 * fill, and their edges dashed, so they read as the old version next to the solid new one.
 */
import { firstPair, type Scene } from '../../../src/core/graphLayout/scene';

/** Dash length and gap in CSS pixels. */
const DASH = [4, 3];

/** Draws the edges `list` dashed in `colour`; returns how many. */
export function drawGhostEdges(ctx: CanvasRenderingContext2D, scene: Scene, list: readonly number[], colour: string, px: number): number {
  if (list.length === 0) return 0;
  ctx.beginPath();
  for (const e of list) {
    const p0 = firstPair(scene, e), p1 = firstPair(scene, e + 1);
    ctx.moveTo(scene.points[2 * p0], scene.points[2 * p0 + 1]);
    for (let p = p0 + 1; p < p1; p++) ctx.lineTo(scene.points[2 * p], scene.points[2 * p + 1]);
  }
  ctx.setLineDash(DASH.map((d) => d * px));
  ctx.lineWidth = 1.2 * px;
  ctx.strokeStyle = colour;
  ctx.stroke();
  ctx.setLineDash([]);
  return list.length;
}

/** Dashed outlines of the boxes among `items` that have a dash colour. */
export function drawGhostOutlines(ctx: CanvasRenderingContext2D, scene: Scene, items: readonly number[], dash: readonly (string | null)[], px: number): void {
  const byColour = new Map<string, number[]>();
  for (const i of items) {
    const colour = dash[i];
    if (!colour) continue;
    const list = byColour.get(colour) ?? [];
    list.push(i);
    byColour.set(colour, list);
  }
  ctx.setLineDash(DASH.map((d) => d * px));
  ctx.lineWidth = 1.5 * px;
  for (const [colour, list] of byColour) {
    ctx.beginPath();
    for (const i of list) ctx.rect(scene.x[i], scene.y[i], scene.w[i], scene.h[i]);
    ctx.strokeStyle = colour;
    ctx.stroke();
  }
  ctx.setLineDash([]);
}
