/**
 * Export of the whole current scene (not only the viewport), theme colours resolved to literal
 * values: SVG via a small serializer, PNG via an offscreen canvas capped at MAX_PNG_PIXELS.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import { drawScene, edgeLabel, itemLabel, type PreparedScene } from './render/renderer';
import { NO_VALUE, type GraphTheme } from './render/theme';
import { ItemKind, firstPair } from '../../src/core/graphLayout/scene';

const MARGIN = 20;
const MAX_PNG_SIDE = 16384;
const MAX_PNG_PIXELS = 64e6;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function exportSvg(prepared: PreparedScene, payload: GraphPayload, theme: GraphTheme, itemFill: (string | null)[] | null): string {
  const { scene, category } = prepared;
  const W = scene.width + 2 * MARGIN, H = scene.height + 2 * MARGIN;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="${-MARGIN} ${-MARGIN} ${W} ${H}" font-family="${esc(theme.font)}">`,
    `<rect x="${-MARGIN}" y="${-MARGIN}" width="${W}" height="${H}" fill="${theme.background}"/>`,
    `<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="${theme.edge}"/></marker>`
      + `<pattern id="nv" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="${theme.noValueFill}"/><line x1="0" y1="0" x2="0" y2="8" stroke="${theme.hatch}" stroke-width="2"/></pattern></defs>`,
  ];
  const order = Array.from({ length: scene.itemCount }, (_, i) => i);
  const frames = order.filter((i) => scene.kind[i] === ItemKind.Frame).sort((a, b) => scene.depth[a] - scene.depth[b]);
  for (const i of frames) {
    out.push(`<rect x="${scene.x[i]}" y="${scene.y[i]}" width="${scene.w[i]}" height="${scene.h[i]}" rx="6" fill="${theme.frameFill}" stroke="${theme.frameBorder}"/>`);
    out.push(`<text x="${scene.x[i] + 8}" y="${scene.y[i] + 16}" font-size="11" font-weight="600" fill="${theme.muted}">${esc(itemLabel(payload, scene, i))}</text>`);
  }
  out.push(`<g fill="none" stroke="${theme.edge}" stroke-width="1.2">`);
  for (let e = 0; e < scene.edgeCount; e++) {
    const pts: string[] = [];
    for (let p = firstPair(scene, e); p < firstPair(scene, e + 1); p++) pts.push(`${scene.points[2 * p].toFixed(1)},${scene.points[2 * p + 1].toFixed(1)}`);
    const label = edgeLabel(payload, scene, e);
    out.push(`<polyline points="${pts.join(' ')}" marker-end="url(#a)">${label ? `<title>${esc(label)}</title>` : ''}</polyline>`);
  }
  out.push('</g>');
  for (const i of order) {
    const kind = scene.kind[i] as ItemKind;
    if (kind === ItemKind.Frame) continue;
    const given = itemFill?.[i] ?? (kind === ItemKind.Node ? theme.categoryFill[category[i]] : theme.nodeFill);
    const fill = given === NO_VALUE ? 'url(#nv)' : given;
    const stroke = kind === ItemKind.Node ? theme.categoryStroke[category[i]] : theme.frameBorder;
    const pill = kind === ItemKind.Input || kind === ItemKind.Output;
    const x = scene.x[i], y = scene.y[i], w = scene.w[i], hh = scene.h[i];
    if (kind === ItemKind.Group) out.push(`<rect x="${x + 4}" y="${y + 4}" width="${w}" height="${hh}" rx="5" fill="${fill}" stroke="${theme.frameBorder}"/>`);
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${hh}" rx="${pill ? hh / 2 : 5}" fill="${fill}" stroke="${stroke}"/>`);
    const name = kind === ItemKind.Node ? payload.nodeNames[scene.ref[i]] : itemLabel(payload, scene, i);
    out.push(`<text x="${x + w / 2}" y="${y + hh / 2 + 4}" text-anchor="middle" font-size="12" fill="${theme.foreground}">${esc(itemLabel(payload, scene, i))}<title>${esc(name)}</title></text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

export async function exportPng(prepared: PreparedScene, payload: GraphPayload, theme: GraphTheme, itemFill: (string | null)[] | null): Promise<ArrayBuffer> {
  const { scene } = prepared;
  const W = scene.width + 2 * MARGIN, H = scene.height + 2 * MARGIN;
  const scale = Math.min(2, MAX_PNG_SIDE / W, MAX_PNG_SIDE / H, Math.sqrt(MAX_PNG_PIXELS / (W * H)));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.floor(W * scale));
  canvas.height = Math.max(1, Math.floor(H * scale));
  const ctx = canvas.getContext('2d', { alpha: false }) as CanvasRenderingContext2D;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  drawScene(ctx, prepared, payload, theme, { k: scale, tx: MARGIN * scale, ty: MARGIN * scale }, canvas.width, canvas.height,
    { selectedItem: -1, highlighted: new Set(), itemFill, problemItems: new Set() }, false);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error(`The graph is too large to export as PNG (${canvas.width} × ${canvas.height} px).`);
  return blob.arrayBuffer();
}
