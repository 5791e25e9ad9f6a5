/**
 * A uniform-grid spatial index over a Scene's boxes, for the hit test behind every hover and click
 * (GraphView.hitTest). A linear scan touches every item per pointer move; with every group of a
 * 100k-node transformer open that is ~10^5 boxes per move, while a point falls in one cell of a
 * few boxes (bench/hitTest.bench.ts measures both on that scene).
 *
 * The cell size follows the scene's density (about two boxes per cell) and the grid is capped at a
 * few cells per item. Boxes that would cover many cells (frames around large groups) live in a
 * short "big" list checked on every query instead. All in graph coordinates.
 */
import { ItemKind, type Scene } from '../../src/core/graphLayout/scene';

export interface SceneIndex {
  scene: Scene;
  cell: number;
  cols: number;
  rows: number;
  /** CSR per cell: items[itemStart[c] .. itemStart[c+1]). */
  itemStart: Uint32Array;
  items: Uint32Array;
  bigItems: number[];
}

/** A box covering more cells than this goes to the big list. */
const BIG_CELLS = 64;

export function buildSceneIndex(scene: Scene, cellSize?: number): SceneIndex {
  const n = scene.itemCount;
  const W = Math.max(1, scene.width);
  const H = Math.max(1, scene.height);
  let cell = cellSize ?? Math.max(64, Math.sqrt((W * H) / Math.max(1, n)) * 1.5);
  const maxCells = 4 * n + 1024;
  while (Math.ceil(W / cell) * Math.ceil(H / cell) > maxCells) cell *= 1.5;
  const cols = Math.max(1, Math.ceil(W / cell));
  const rows = Math.max(1, Math.ceil(H / cell));
  const cellsN = cols * rows;
  const clampC = (v: number) => Math.min(cols - 1, Math.max(0, Math.floor(v / cell)));
  const clampR = (v: number) => Math.min(rows - 1, Math.max(0, Math.floor(v / cell)));

  // Count, then fill: one pass each, no per-cell arrays.
  const itemStart = new Uint32Array(cellsN + 1);
  const bigItems: number[] = [];
  const big = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c0 = clampC(scene.x[i]), c1 = clampC(scene.x[i] + scene.w[i]);
    const r0 = clampR(scene.y[i]), r1 = clampR(scene.y[i] + scene.h[i]);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > BIG_CELLS) {
      big[i] = 1;
      bigItems.push(i);
      continue;
    }
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) itemStart[r * cols + c + 1]++;
  }
  for (let c = 0; c < cellsN; c++) itemStart[c + 1] += itemStart[c];
  const items = new Uint32Array(itemStart[cellsN]);
  const fill = itemStart.slice(0, cellsN);
  for (let i = 0; i < n; i++) {
    if (big[i]) continue;
    const c0 = clampC(scene.x[i]), c1 = clampC(scene.x[i] + scene.w[i]);
    const r0 = clampR(scene.y[i]), r1 = clampR(scene.y[i] + scene.h[i]);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) items[fill[r * cols + c]++] = i;
  }
  return { scene, cell, cols, rows, itemStart, items, bigItems };
}

/** Frames rank by depth; anything else beats every frame. Ties go to the later (drawn on top) item. */
function hitRank(s: Scene, i: number): number {
  return s.kind[i] === ItemKind.Frame ? s.depth[i] : 1000;
}

/**
 * The item under a graph point, -1 for none: the topmost box (node, collapsed group, input or
 * output) when there is one, else the innermost frame (a node beats the frame around it, a deeper
 * frame beats an outer one).
 */
export function hitTest(ix: SceneIndex, x: number, y: number): number {
  let best = -1;
  // A point lies in one cell: its items and the big ones are every candidate, each seen once.
  for (const i of ix.bigItems) best = better(ix.scene, i, best, x, y);
  // Clamped like the boxes were when filed: a point off the grid looks in the edge cell.
  const col = Math.min(ix.cols - 1, Math.max(0, Math.floor(x / ix.cell)));
  const row = Math.min(ix.rows - 1, Math.max(0, Math.floor(y / ix.cell)));
  const id = row * ix.cols + col;
  for (let k = ix.itemStart[id]; k < ix.itemStart[id + 1]; k++) best = better(ix.scene, ix.items[k], best, x, y);
  return best;
}

/** `i` when its box holds the point and it ranks above `best` (or ties and is drawn later), else `best`. */
function better(s: Scene, i: number, best: number, x: number, y: number): number {
  if (x < s.x[i] || y < s.y[i] || x > s.x[i] + s.w[i] || y > s.y[i] + s.h[i]) return best;
  if (best < 0) return i;
  const ri = hitRank(s, i), rb = hitRank(s, best);
  return ri > rb || (ri === rb && i > best) ? i : best;
}
