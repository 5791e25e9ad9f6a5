/**
 * The visible level of the hierarchy, laid out: GraphPayload + Hierarchy + expanded groups → Scene.
 *
 *   computeScene(p, h, expanded, cache?): Scene
 *   new LayoutCache()                           — per payload; keep it across calls
 *   nodeBoxText / groupBoxText / ioBoxText      — the text each box was sized for (the renderer
 *                                                 draws the same lines)
 *   BOX                                          — box metrics shared with the renderer
 *
 * Hierarchical layout, bottom-up: every expanded group is laid out on its own with
 * layeredLayout — its direct nodes, its collapsed child groups as boxes and its expanded child
 * groups as boxes of their frame size — and the root additionally holds the graph's Input and
 * Output items. A group's layout depends only on the sizes of its expanded children, so it is
 * cached under (group, those sizes): expanding one group lays out that group and the levels of
 * its ancestors again, nothing else. The edges of every level (which child talks to which) do not
 * depend on expansion at all and are computed once per payload.
 *
 * Edges drawn are between visible items (nodes, collapsed groups, inputs/outputs). A value made
 * inside a collapsed group and read outside is an edge from the group's box; all values between
 * the same two items become one edge with `edgeMultiplicity`. An edge is routed in the layout of
 * the lowest group containing both ends. Where an end sits inside expanded frames below that
 * group, the polyline runs straight down (up) from the item through each frame's border, so every
 * edge into or out of a group has its own port there, and then follows the level's routed
 * polyline — it may cross the frame's other contents.
 *
 * Initializers are not items (they show in node details); dangling (Missing) values draw no edge.
 */
import type { GraphPayload } from '../../shared/graphPayload';
import { nodeName, valueName } from '../../shared/payloadCodec';
import { childGroupsOf, directNodesOf, type Hierarchy } from './hierarchy';
import { layeredLayout, type LayoutResult } from './layered';
import { ItemKind, type Scene } from './scene';
import { PairIndex } from './pairIndex';
import { consumerIndex } from './consumers';

/** Box metrics in graph units (CSS px at zoom 1); text is 12 px, ~7 px per character. */
export const BOX = {
  charWidth: 7,
  padX: 10,
  nodeHeight: 40,
  groupHeight: 52,
  ioHeight: 36,
  minWidth: 60,
  maxWidth: 300,
  /** Frame of an expanded group: header line with its name, padding around the contents. */
  frameHeader: 26,
  framePad: 14,
  nodeGap: 24,
  layerGap: 36,
  /** Longest name shown in a box before it is ellipsised. */
  maxChars: 38,
} as const;

export interface BoxText {
  title: string;
  subtitle: string;
}

function fit(s: string): string {
  return s.length <= BOX.maxChars ? s : `${s.slice(0, BOX.maxChars - 1)}…`;
}

/** Box width for its text: ~7 px per character of the longer line, clamped. */
export function boxWidth(t: BoxText): number {
  const chars = Math.max(t.title.length, t.subtitle.length);
  return Math.min(BOX.maxWidth, Math.max(BOX.minWidth, chars * BOX.charWidth + 2 * BOX.padX));
}

/** Op type, and the last segment of the node's name (the scope is in the breadcrumb). */
export function nodeBoxText(p: Pick<GraphPayload, 'ops' | 'nodeOp' | 'nodeNames'>, n: number): BoxText {
  const name = nodeName(p, n);
  const slash = name.lastIndexOf('/', name.length - 2);
  return { title: fit(p.ops[p.nodeOp[n]]), subtitle: fit(slash >= 0 ? name.slice(slash + 1) : name) };
}

/** Name, node count and the three most frequent op types of the group's subtree. */
export function groupBoxText(p: GraphPayload, h: Hierarchy, g: number): BoxText {
  const counts = new Map<number, number>();
  const stack = [g];
  while (stack.length > 0) {
    const at = stack.pop()!;
    // Index loops: a subarray and an iterator per group were most of the worker's garbage here.
    for (let k = h.nodeStart[at]; k < h.nodeStart[at + 1]; k++) {
      const op = p.nodeOp[h.nodes[k]];
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
    for (let k = h.childGroupStart[at]; k < h.childGroupStart[at + 1]; k++) stack.push(h.childGroups[k]);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3).map(([op]) => p.ops[op]);
  const size = h.size[g];
  return { title: fit(h.names[g] || '(root)'), subtitle: fit(`${size} node${size === 1 ? '' : 's'} · ${top.join(', ')}`) };
}

export function ioBoxText(p: GraphPayload, v: number): BoxText {
  return { title: fit(valueName(p, v)), subtitle: fit(`${p.valueElemTypes[v]} ${p.valueShapes[v]}`) };
}

/**
 * Every level of the hierarchy as a graph (a group's items and the edges between them), in flat
 * typed arrays indexed by group (19k groups at 100k nodes: an object, two arrays and a Map per level
 * were 8 MB of the layout worker's heap). Item codes: node n → n; group g → N + g; input i → N + G + i;
 * output j → N + G + I + j.
 */
interface Levels {
  /** Items of group g: codes[codeStart[g] .. codeStart[g+1]), in the layout's tie-break order (empty for a group with none). */
  codeStart: Uint32Array;
  codes: Int32Array;
  /** Local index of each item code within its level. */
  local: Int32Array;
  /** Edges of group g: from/to[edgeStart[g] .. edgeStart[g+1]), local item indices, in the order first met. */
  edgeStart: Uint32Array;
  from: Int32Array;
  to: Int32Array;
  /**
   * The level edge (index within its level) a value's consumer entry (consumerIndex order) is routed
   * along, and each graph output's; -1 for none (a node reading its own output).
   */
  consumerEdge: Int32Array;
  outputEdge: Int32Array;
}

/**
 * Layouts and per-level edge lists for one payload. Reuse across computeScene calls; it resets
 * itself when given another payload. `layoutCalls` counts layeredLayout runs (for tests).
 */
export class LayoutCache {
  layoutCalls = 0;
  private payload: GraphPayload | undefined;
  levels: Levels | undefined;
  readonly layouts = new Map<string, LayoutResult>();
  readonly boxText = new Map<number, BoxText>();

  forPayload(p: GraphPayload): this {
    if (this.payload !== p) {
      this.payload = p;
      this.levels = undefined;
      this.layouts.clear();
      this.boxText.clear();
      this.layoutCalls = 0;
    }
    return this;
  }
}

/** Walks two nodes' groups up to their lowest common group; reports the level and each side's item there. */
function meet(h: Hierarchy, ga: number, gb: number, N: number, out: Int32Array): void {
  let a = ga;
  let b = gb;
  let ra = -1;
  let rb = -1;
  while (h.depth[a] > h.depth[b]) {
    ra = a;
    a = h.parent[a];
  }
  while (h.depth[b] > h.depth[a]) {
    rb = b;
    b = h.parent[b];
  }
  while (a !== b) {
    ra = a;
    a = h.parent[a];
    rb = b;
    b = h.parent[b];
  }
  out[0] = a;
  out[1] = ra < 0 ? -1 : N + ra;
  out[2] = rb < 0 ? -1 : N + rb;
}

function buildLevels(p: GraphPayload, h: Hierarchy): Levels {
  const N = p.nodeCount;
  const G = h.groupCount;
  const I = p.graphInputs.length;
  const O = p.graphOutputs.length;
  const local = new Int32Array(N + G + I + O).fill(-1);
  const codeStart = new Uint32Array(G + 1);
  for (let g = 0; g < G; g++) codeStart[g + 1] = codeStart[g] + h.nodeStart[g + 1] - h.nodeStart[g] + h.childGroupStart[g + 1] - h.childGroupStart[g] + (g === 0 ? I + O : 0);
  const codes = new Int32Array(codeStart[G]);
  const order = p.nodeOrder;
  for (let g = 0; g < G; g++) {
    const nodes = directNodesOf(h, g);
    const groups = childGroupsOf(h, g);
    let at = codeStart[g];
    if (g === 0) for (let i = 0; i < I; i++) codes[at++] = N + G + i;
    // Merge nodes and child groups by topological position: the layout's tie-break order.
    let a = 0;
    let b = 0;
    while (a < nodes.length || b < groups.length) {
      if (b >= groups.length || (a < nodes.length && order[nodes[a]] < h.firstOrder[groups[b]])) codes[at++] = nodes[a++];
      else codes[at++] = N + groups[b++];
    }
    if (g === 0) for (let j = 0; j < O; j++) codes[at++] = N + G + I + j;
    for (let k = codeStart[g]; k < at; k++) local[codes[k]] = k - codeStart[g];
  }

  // Edges as met (group, from, to), then grouped by level keeping that order: the layout's input.
  const metGroup: number[] = [];
  const metFrom: number[] = [];
  const metTo: number[] = [];
  const inputOf = graphIoIndex(p.graphInputs, p.valueCount);
  const cons = consumerIndex(p);
  /** (global item index of the edge's ends) → its position in met; only while building. */
  const seen = new PairIndex(cons.nodes.length + O);
  const addEdge = (g: number, ca: number, cb: number): number => {
    const a = local[ca];
    const b = local[cb];
    if (a === b) return -1;
    const e = seen.add(codeStart[g] + a, codeStart[g] + b);
    if (e === metGroup.length) {
      metGroup.push(g);
      metFrom.push(a);
      metTo.push(b);
    }
    return e;
  };
  // Item of a node at the root level: itself, or its top-level group.
  const rootItem = (n: number) => {
    let g = h.nodeGroup[n];
    if (g === 0) return n;
    while (h.parent[g] !== 0) g = h.parent[g];
    return N + g;
  };
  const consumerEdge = new Int32Array(cons.nodes.length).fill(-1);
  const outputEdge = new Int32Array(O).fill(-1);
  const m = new Int32Array(3);
  for (let v = 0; v < p.valueCount; v++) {
    const producer = p.valueProducer[v];
    const input = inputOf[v];
    if (producer < 0 && input < 0) continue;
    for (let k = cons.start[v]; k < cons.start[v + 1]; k++) {
      const c = cons.nodes[k];
      if (producer >= 0) {
        meet(h, h.nodeGroup[producer], h.nodeGroup[c], N, m);
        consumerEdge[k] = addEdge(m[0], m[1] < 0 ? producer : m[1], m[2] < 0 ? c : m[2]);
      } else consumerEdge[k] = addEdge(0, N + G + input, rootItem(c));
    }
  }
  p.graphOutputs.forEach((v, j) => {
    if (v < 0) return;
    const producer = p.valueProducer[v];
    if (producer >= 0) outputEdge[j] = addEdge(0, rootItem(producer), N + G + I + j);
    else if (inputOf[v] >= 0) outputEdge[j] = addEdge(0, N + G + inputOf[v], N + G + I + j);
  });

  // Counting sort of the met edges by group, stable: within a level, the order they were met.
  const edgeStart = new Uint32Array(G + 1);
  for (const g of metGroup) edgeStart[g + 1]++;
  for (let g = 0; g < G; g++) edgeStart[g + 1] += edgeStart[g];
  const fill = edgeStart.slice(0, G);
  const from = new Int32Array(metGroup.length);
  const to = new Int32Array(metGroup.length);
  /** Position in met → index within its level. */
  const levelIndex = new Int32Array(metGroup.length);
  for (let e = 0; e < metGroup.length; e++) {
    const g = metGroup[e];
    const at = fill[g]++;
    from[at] = metFrom[e];
    to[at] = metTo[e];
    levelIndex[e] = at - edgeStart[g];
  }
  for (let k = 0; k < consumerEdge.length; k++) if (consumerEdge[k] >= 0) consumerEdge[k] = levelIndex[consumerEdge[k]];
  for (let j = 0; j < O; j++) if (outputEdge[j] >= 0) outputEdge[j] = levelIndex[outputEdge[j]];
  return { codeStart, codes, local, edgeStart, from, to, consumerEdge, outputEdge };
}

/** value → position in the list, -1 when absent (first occurrence wins). */
function graphIoIndex(list: number[], valueCount: number): Int32Array {
  const out = new Int32Array(valueCount).fill(-1);
  list.forEach((v, i) => {
    if (v >= 0 && out[v] < 0) out[v] = i;
  });
  return out;
}

export function computeScene(p: GraphPayload, h: Hierarchy, expanded: ReadonlySet<number>, cacheIn?: LayoutCache): Scene {
  const cache = (cacheIn ?? new LayoutCache()).forPayload(p);
  const levels = (cache.levels ??= buildLevels(p, h));
  const N = p.nodeCount;
  const G = h.groupCount;
  const I = p.graphInputs.length;

  // ---- which groups are open (expanded with every ancestor expanded) ----
  const open = new Uint8Array(G);
  open[0] = 1;
  for (let k = 1; k < G; k++) {
    const g = h.topDown[k];
    open[g] = open[h.parent[g]] && expanded.has(g) ? 1 : 0;
  }

  // ---- sizes and layouts, bottom-up ----
  const textOf = (code: number): BoxText => {
    let t = cache.boxText.get(code);
    if (!t) {
      t = code < N ? nodeBoxText(p, code)
        : code < N + G ? groupBoxText(p, h, code - N)
        : ioBoxText(p, code < N + G + I ? p.graphInputs[code - N - G] : p.graphOutputs[code - N - G - I]);
      cache.boxText.set(code, t);
    }
    return t;
  };
  const frameW = new Float64Array(G);
  const frameH = new Float64Array(G);
  const layoutOf: (LayoutResult | undefined)[] = new Array(G);
  for (let k = G - 1; k >= 0; k--) {
    const g = h.topDown[k];
    const first = levels.codeStart[g];
    const count = levels.codeStart[g + 1] - first;
    if (!open[g] || (count === 0 && g !== 0)) continue;
    const widths = new Float64Array(count);
    const heights = new Float64Array(count);
    let signature = `${g}`;
    for (let i = 0; i < count; i++) {
      const code = levels.codes[first + i];
      if (code >= N && code < N + G && open[code - N]) {
        widths[i] = frameW[code - N];
        heights[i] = frameH[code - N];
        signature += `|${i}:${widths[i]}x${heights[i]}`;
        continue;
      }
      widths[i] = boxWidth(textOf(code));
      heights[i] = code < N ? BOX.nodeHeight : code < N + G ? BOX.groupHeight : BOX.ioHeight;
    }
    let layout = cache.layouts.get(signature);
    if (!layout) {
      const edges = levels.from.subarray(levels.edgeStart[g], levels.edgeStart[g + 1]);
      layout = layeredLayout({ widths, heights, from: edges, to: levels.to.subarray(levels.edgeStart[g], levels.edgeStart[g + 1]) }, { nodeGap: BOX.nodeGap, layerGap: BOX.layerGap });
      cache.layoutCalls++;
      cache.layouts.set(signature, layout);
    }
    layoutOf[g] = layout;
    frameW[g] = Math.max(layout.width + 2 * BOX.framePad, boxWidth({ title: h.names[g], subtitle: '' }));
    frameH[g] = layout.height + BOX.frameHeader + BOX.framePad;
  }

  // ---- items, top-down: frames before their children ----
  const kind: number[] = [];
  const ref: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  const hs: number[] = [];
  const depths: number[] = [];
  const itemOfCode = new Int32Array(N + G + I + p.graphOutputs.length).fill(-1);
  const frameItem = new Int32Array(G).fill(-1);
  const originX = new Float64Array(G);
  const originY = new Float64Array(G);
  const push = (k: ItemKind, r: number, x: number, y: number, w: number, hh: number, d: number) => {
    kind.push(k);
    ref.push(r);
    xs.push(x);
    ys.push(y);
    ws.push(w);
    hs.push(hh);
    depths.push(d);
    return kind.length - 1;
  };
  const stack: number[] = [0];
  while (stack.length > 0) {
    const g = stack.pop()!;
    const first = levels.codeStart[g];
    const layout = layoutOf[g]!;
    const ox = g === 0 ? 0 : originX[g];
    const oy = g === 0 ? 0 : originY[g];
    const d = g === 0 ? 0 : h.depth[g];
    const children: number[] = [];
    for (let i = 0; i < levels.codeStart[g + 1] - first; i++) {
      const code = levels.codes[first + i];
      const x = ox + layout.x[i];
      const y = oy + layout.y[i];
      let item: number;
      if (code < N) item = push(ItemKind.Node, code, x, y, boxWidth(textOf(code)), BOX.nodeHeight, d);
      else if (code < N + G) {
        const c = code - N;
        if (open[c]) {
          item = push(ItemKind.Frame, c, x, y, frameW[c], frameH[c], d);
          frameItem[c] = item;
          originX[c] = x + BOX.framePad;
          originY[c] = y + BOX.frameHeader;
          children.push(c);
        } else item = push(ItemKind.Group, c, x, y, boxWidth(textOf(code)), BOX.groupHeight, d);
      } else if (code < N + G + I) item = push(ItemKind.Input, p.graphInputs[code - N - G], x, y, boxWidth(textOf(code)), BOX.ioHeight, d);
      else item = push(ItemKind.Output, p.graphOutputs[code - N - G - I], x, y, boxWidth(textOf(code)), BOX.ioHeight, d);
      itemOfCode[code] = item;
    }
    for (let c = children.length - 1; c >= 0; c--) stack.push(children[c]);
  }
  const itemCount = kind.length;

  // ---- visible item of every node: itself when its group is open, else its outermost collapsed group ----
  const collapsedItem = new Int32Array(G).fill(-1);
  for (let k = 1; k < G; k++) {
    const g = h.topDown[k];
    const up = h.parent[g];
    if (open[up] && !open[g]) collapsedItem[g] = itemOfCode[N + g];
    else if (!open[up]) collapsedItem[g] = collapsedItem[up];
  }
  const visibleOf = (n: number) => {
    const g = h.nodeGroup[n];
    return open[g] ? itemOfCode[n] : collapsedItem[g];
  };

  // ---- edges between visible items, aggregated by pair; a value counts once per pair ----
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeValue: number[] = [];
  const edgeMult: number[] = [];
  const edgeLevel: number[] = [];
  const edgeLocal: number[] = [];
  const edgeOfPair = new Map<number, number>();
  const stamp = new Int32Array(itemCount).fill(-1);
  const m = new Int32Array(3);
  const addEdge = (a: number, b: number, v: number, level: number, levelEdge: number) => {
    const key = a * itemCount + b;
    const e = edgeOfPair.get(key);
    if (e !== undefined) {
      edgeMult[e]++;
      edgeValue[e] = -1;
      return;
    }
    edgeOfPair.set(key, edgeFrom.length);
    edgeFrom.push(a);
    edgeTo.push(b);
    edgeValue.push(v);
    edgeMult.push(1);
    edgeLevel.push(level);
    edgeLocal.push(levelEdge);
  };
  const inputOf = graphIoIndex(p.graphInputs, p.valueCount);
  const cons = consumerIndex(p);
  for (let v = 0; v < p.valueCount; v++) {
    const producer = p.valueProducer[v];
    const input = inputOf[v];
    if (producer < 0 && input < 0) continue;
    const a = producer >= 0 ? visibleOf(producer) : itemOfCode[N + G + input];
    for (let k = cons.start[v]; k < cons.start[v + 1]; k++) {
      const c = cons.nodes[k];
      const b = visibleOf(c);
      if (b === a || stamp[b] === v) continue;
      stamp[b] = v;
      // Routed in the level where producer and consumer meet (the root's, for a graph input).
      let level = 0;
      if (producer >= 0) {
        meet(h, h.nodeGroup[producer], h.nodeGroup[c], N, m);
        level = m[0];
      }
      addEdge(a, b, v, level, levels.consumerEdge[k]);
    }
  }
  p.graphOutputs.forEach((v, j) => {
    if (v < 0) return;
    const producer = p.valueProducer[v];
    const b = itemOfCode[N + G + I + j];
    if (producer >= 0) addEdge(visibleOf(producer), b, v, 0, levels.outputEdge[j]);
    else if (inputOf[v] >= 0) addEdge(itemOfCode[N + G + inputOf[v]], b, v, 0, levels.outputEdge[j]);
  });

  // ---- polylines: item → its frames' ports → the level's routed edge → frames' ports → item ----
  const E = edgeFrom.length;
  const pointStart = new Uint32Array(E + 1);
  const points: number[] = [];
  const containerOf = (item: number) => {
    const k = kind[item];
    if (k === ItemKind.Node) return h.nodeGroup[ref[item]];
    if (k === ItemKind.Group || k === ItemKind.Frame) return h.parent[ref[item]];
    return 0;
  };
  const framesUp: number[] = [];
  for (let e = 0; e < E; e++) {
    const a = edgeFrom[e];
    const b = edgeTo[e];
    const level = edgeLevel[e];
    // Source side: the item's bottom centre, then each enclosing frame's below the level.
    framesUp.length = 0;
    for (let g = containerOf(a); g !== level && g > 0; g = h.parent[g]) framesUp.push(frameItem[g]);
    const local = edgeLocal[e];
    const layout = layoutOf[level];
    const routed = local >= 0 && layout !== undefined;
    // The routed polyline starts at the bottom centre of the level's item (a or its outermost frame).
    // An edge leaving frames crosses each frame's border straight below its own item (its own port),
    // not at the frame's centre, where every edge out of the group would meet.
    const ax = xs[a] + ws[a] / 2;
    const leaves = framesUp.length > 0;
    if (leaves || !routed) points.push(ax, ys[a] + hs[a]);
    for (let k = 0; k < framesUp.length - 1; k++) points.push(ax, ys[framesUp[k]] + hs[framesUp[k]]);
    const routedFrom = points.length;
    if (routed) {
      const ox = level === 0 ? 0 : originX[level];
      const oy = level === 0 ? 0 : originY[level];
      for (let q = layout.pointStart[local]; q < layout.pointStart[local + 1]; q += 2) points.push(ox + layout.points[q], oy + layout.points[q + 1]);
      if (leaves) points[routedFrom] = ax;
    }
    framesUp.length = 0;
    for (let g = containerOf(b); g !== level && g > 0; g = h.parent[g]) framesUp.push(frameItem[g]);
    const bx = xs[b] + ws[b] / 2;
    if (routed && framesUp.length > 0) points[points.length - 2] = bx;
    for (let k = framesUp.length - 2; k >= 0; k--) points.push(bx, ys[framesUp[k]]);
    if (framesUp.length > 0 || !routed) points.push(bx, ys[b]);
    pointStart[e + 1] = points.length;
  }
  const rootLayout = layoutOf[0]!;
  return {
    itemCount,
    kind: Uint8Array.from(kind),
    ref: Int32Array.from(ref),
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    w: Float64Array.from(ws),
    h: Float64Array.from(hs),
    depth: Uint8Array.from(depths, (d) => Math.min(255, d)),
    edgeCount: E,
    edgeFrom: Int32Array.from(edgeFrom),
    edgeTo: Int32Array.from(edgeTo),
    edgeValue: Int32Array.from(edgeValue),
    edgeMultiplicity: Uint32Array.from(edgeMult),
    pointStart,
    points: Float64Array.from(points),
    width: rootLayout.width,
    height: rootLayout.height,
  };
}
