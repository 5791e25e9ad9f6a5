/** The minimap: the whole scene as filled boxes in a corner, with the viewport's rectangle. */
import { ItemKind } from '../../../src/core/graphLayout/scene';
import type { PreparedScene } from './renderer';
import { resolveFill, type GraphTheme } from './theme';
import type { Viewport } from './viewport';

export interface MinimapGeometry {
  scale: number;
  ox: number;
  oy: number;
}

const MAX_W = 180;
const MAX_H = 140;

export function drawMinimap(
  canvas: HTMLCanvasElement,
  prepared: PreparedScene,
  theme: GraphTheme,
  view: Viewport,
  width: number,
  height: number,
  itemFill: (string | null)[] | null,
): MinimapGeometry {
  const { scene } = prepared;
  const scale = Math.min(MAX_W / Math.max(scene.width, 1), MAX_H / Math.max(scene.height, 1));
  const w = Math.max(24, Math.ceil(scene.width * scale)), hgt = Math.max(24, Math.ceil(scene.height * scale));
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== w * dpr || canvas.height !== hgt * dpr) {
    canvas.width = w * dpr;
    canvas.height = hgt * dpr;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${hgt}px`;
  }
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const ox = (w - scene.width * scale) / 2, oy = (hgt - scene.height * scale) / 2;
  // The boxes are drawn once per (scene, colours) into a layer; each frame only copies it and
  // draws the viewport rectangle, so panning a 100k scene does not redraw 100k minimap boxes.
  if (!cache || cache.prepared !== prepared || cache.itemFill !== itemFill || cache.theme !== theme || cache.layer.width !== canvas.width) {
    const layer = document.createElement('canvas');
    layer.width = canvas.width;
    layer.height = canvas.height;
    const lctx = layer.getContext('2d') as CanvasRenderingContext2D;
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawBoxes(lctx, prepared, theme, itemFill, w, hgt, scale, ox, oy);
    cache = { prepared, itemFill, theme, layer };
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(cache.layer, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.strokeStyle = theme.selection;
  ctx.lineWidth = 1.5;
  const vx = ox + (-view.tx / view.k) * scale, vy = oy + (-view.ty / view.k) * scale;
  ctx.strokeRect(vx, vy, (width / view.k) * scale, (height / view.k) * scale);
  return { scale, ox, oy };
}

let cache: { prepared: PreparedScene; itemFill: (string | null)[] | null; theme: GraphTheme; layer: HTMLCanvasElement } | null = null;

function drawBoxes(ctx: CanvasRenderingContext2D, prepared: PreparedScene, theme: GraphTheme, itemFill: (string | null)[] | null, w: number, hgt: number, scale: number, ox: number, oy: number): void {
  const { scene, category } = prepared;
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, w, hgt);
  // Batched by colour: at 100k items this is a handful of fill calls.
  const byFill = new Map<string, number[]>();
  for (let i = 0; i < scene.itemCount; i++) {
    if (scene.kind[i] === ItemKind.Frame) continue;
    const fill = resolveFill(itemFill?.[i] ?? (scene.kind[i] === ItemKind.Node ? theme.categoryStroke[category[i]] : theme.muted), theme);
    let list = byFill.get(fill);
    if (!list) byFill.set(fill, (list = []));
    list.push(i);
  }
  for (const [fill, list] of byFill) {
    ctx.beginPath();
    for (const i of list) ctx.rect(ox + scene.x[i] * scale, oy + scene.y[i] * scale, Math.max(1, scene.w[i] * scale), Math.max(1, scene.h[i] * scale));
    ctx.fillStyle = fill;
    ctx.fill();
  }
}

/** Graph coordinates under a minimap point. */
export function minimapHit(g: MinimapGeometry, x: number, y: number): { x: number; y: number } {
  return { x: (x - g.ox) / g.scale, y: (y - g.oy) / g.scale };
}
