/**
 * Uniform-grid spatial index over a Scene, for viewport culling and hit testing.
 *
 *   buildSceneIndex(scene, cellSize?): SceneIndex
 *   itemsInRect(index, x0, y0, x1, y1): number[]   — items whose box meets the rectangle, draw order
 *   edgesInRect(index, x0, y0, x1, y1): number[]   — edges with a segment near the rectangle (superset)
 *   hitTest(index, x, y): number                   — innermost item under the point (a node beats
 *                                                    the frame around it, a deeper frame beats an
 *                                                    outer one), -1 for none
 *   hitTestEdge(index, x, y, tolerance = 4): number — nearest edge within tolerance, -1 for none
 *
 * All in graph coordinates. The cell size follows the scene's density (about two boxes per cell)
 * and the grid is capped at a few cells per item. Things that would cover many cells (frames
 * around large groups, very long edges) live in a short "big" list checked every query instead.
 */
import { ItemKind, type Scene } from './scene';

export interface SceneIndex {
  scene: Scene;
  cell: number;
  cols: number;
  rows: number;
  /** CSR per cell: items[itemStart[c] .. itemStart[c+1]). */
  itemStart: Uint32Array;
  items: Uint32Array;
  bigItems: number[];
  edgeStart: Uint32Array;
  edges: Uint32Array;
  bigEdges: number[];
  /** Scratch stamps for de-duplicating query results. */
  itemStamp: Uint32Array;
  edgeStamp: Uint32Array;
  query: number;
}

const BIG_CELLS = 64;
const BIG_EDGE_CELLS = 4096;

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

  // ---- items: count, then fill ----
  const itemStart = new Uint32Array(cellsN + 1);
  const bigItems: number[] = [];
  const forItemCells = (i: number, f: (c: number) => void) => {
    const c0 = clampC(scene.x[i]);
    const c1 = clampC(scene.x[i] + scene.w[i]);
    const r0 = clampR(scene.y[i]);
    const r1 = clampR(scene.y[i] + scene.h[i]);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) f(r * cols + c);
  };
  const isBig = (i: number) => (clampC(scene.x[i] + scene.w[i]) - clampC(scene.x[i]) + 1) * (clampR(scene.y[i] + scene.h[i]) - clampR(scene.y[i]) + 1) > BIG_CELLS;
  for (let i = 0; i < n; i++) {
    if (isBig(i)) bigItems.push(i);
    else forItemCells(i, (c) => itemStart[c + 1]++);
  }
  for (let c = 0; c < cellsN; c++) itemStart[c + 1] += itemStart[c];
  const items = new Uint32Array(itemStart[cellsN]);
  {
    const fill = itemStart.slice(0, cellsN);
    for (let i = 0; i < n; i++) if (!isBig(i)) forItemCells(i, (c) => (items[fill[c]++] = i));
  }

  // ---- edges: the cells each polyline passes, by sub-steps of at most half a cell ----
  // Stamps (one tag per edge and pass) keep a cell from being counted twice for one edge.
  const stamp = new Int32Array(cellsN).fill(-1);
  const edgeCells = (e: number, tag: number, f: (c: number) => void) => {
    const p = scene.points;
    for (let k = scene.pointStart[e]; k + 3 < scene.pointStart[e + 1]; k += 2) {
      const x0 = p[k];
      const y0 = p[k + 1];
      const dx = p[k + 2] - x0;
      const dy = p[k + 3] - y0;
      const steps = Math.max(1, Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)) / (cell / 2)));
      for (let s = 0; s < steps; s++) {
        const ax = x0 + (dx * s) / steps;
        const ay = y0 + (dy * s) / steps;
        const bx = x0 + (dx * (s + 1)) / steps;
        const by = y0 + (dy * (s + 1)) / steps;
        const c0 = clampC(Math.min(ax, bx));
        const c1 = clampC(Math.max(ax, bx));
        const r0 = clampR(Math.min(ay, by));
        const r1 = clampR(Math.max(ay, by));
        for (let r = r0; r <= r1; r++) {
          for (let c = c0; c <= c1; c++) {
            const id = r * cols + c;
            if (stamp[id] !== tag) {
              stamp[id] = tag;
              f(id);
            }
          }
        }
      }
    }
  };
  const edgeStart = new Uint32Array(cellsN + 1);
  const bigEdges: number[] = [];
  const edgeBig = new Uint8Array(scene.edgeCount);
  for (let e = 0; e < scene.edgeCount; e++) {
    let count = 0;
    edgeCells(e, 2 * e, () => count++);
    if (count > BIG_EDGE_CELLS) {
      edgeBig[e] = 1;
      bigEdges.push(e);
      continue;
    }
    edgeCells(e, 2 * e + 1, (c) => edgeStart[c + 1]++);
  }
  for (let c = 0; c < cellsN; c++) edgeStart[c + 1] += edgeStart[c];
  const edges = new Uint32Array(edgeStart[cellsN]);
  {
    const fill = edgeStart.slice(0, cellsN);
    const E2 = 2 * scene.edgeCount;
    for (let e = 0; e < scene.edgeCount; e++) if (!edgeBig[e]) edgeCells(e, E2 + e, (c) => (edges[fill[c]++] = e));
  }
  return {
    scene,
    cell,
    cols,
    rows,
    itemStart,
    items,
    bigItems,
    edgeStart,
    edges,
    bigEdges,
    itemStamp: new Uint32Array(n),
    edgeStamp: new Uint32Array(scene.edgeCount),
    query: 0,
  };
}

function cellRange(ix: SceneIndex, x0: number, y0: number, x1: number, y1: number): [number, number, number, number] {
  const c = (v: number) => Math.min(ix.cols - 1, Math.max(0, Math.floor(v / ix.cell)));
  const r = (v: number) => Math.min(ix.rows - 1, Math.max(0, Math.floor(v / ix.cell)));
  return [c(Math.min(x0, x1)), r(Math.min(y0, y1)), c(Math.max(x0, x1)), r(Math.max(y0, y1))];
}

function overlaps(s: Scene, i: number, x0: number, y0: number, x1: number, y1: number): boolean {
  return s.x[i] <= x1 && s.x[i] + s.w[i] >= x0 && s.y[i] <= y1 && s.y[i] + s.h[i] >= y0;
}

export function itemsInRect(ix: SceneIndex, x0: number, y0: number, x1: number, y1: number): number[] {
  const s = ix.scene;
  const stamp = ++ix.query;
  const out: number[] = [];
  const consider = (i: number) => {
    if (ix.itemStamp[i] === stamp) return;
    ix.itemStamp[i] = stamp;
    if (overlaps(s, i, x0, y0, x1, y1)) out.push(i);
  };
  for (const i of ix.bigItems) consider(i);
  const [c0, r0, c1, r1] = cellRange(ix, x0, y0, x1, y1);
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const id = r * ix.cols + c;
      for (let k = ix.itemStart[id]; k < ix.itemStart[id + 1]; k++) consider(ix.items[k]);
    }
  }
  return out.sort((a, b) => a - b);
}

export function edgesInRect(ix: SceneIndex, x0: number, y0: number, x1: number, y1: number): number[] {
  const stamp = ++ix.query;
  const out: number[] = [];
  const consider = (e: number) => {
    if (ix.edgeStamp[e] === stamp) return;
    ix.edgeStamp[e] = stamp;
    out.push(e);
  };
  for (const e of ix.bigEdges) consider(e);
  const [c0, r0, c1, r1] = cellRange(ix, x0, y0, x1, y1);
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const id = r * ix.cols + c;
      for (let k = ix.edgeStart[id]; k < ix.edgeStart[id + 1]; k++) consider(ix.edges[k]);
    }
  }
  return out.sort((a, b) => a - b);
}

/** Frames rank by depth; anything else beats every frame. Ties go to the later (drawn on top) item. */
function hitRank(s: Scene, i: number): number {
  return s.kind[i] === ItemKind.Frame ? s.depth[i] : 1000;
}

export function hitTest(ix: SceneIndex, x: number, y: number): number {
  const s = ix.scene;
  let best = -1;
  for (const i of itemsInRect(ix, x, y, x, y)) {
    if (best < 0 || hitRank(s, i) >= hitRank(s, best)) best = i;
  }
  return best;
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function hitTestEdge(ix: SceneIndex, x: number, y: number, tolerance = 4): number {
  const s = ix.scene;
  let best = -1;
  let bestD = tolerance;
  for (const e of edgesInRect(ix, x - tolerance, y - tolerance, x + tolerance, y + tolerance)) {
    for (let k = s.pointStart[e]; k + 3 < s.pointStart[e + 1]; k += 2) {
      const d = segmentDistance(x, y, s.points[k], s.points[k + 1], s.points[k + 2], s.points[k + 3]);
      if (d <= bestD) {
        bestD = d;
        best = e;
      }
    }
  }
  return best;
}
