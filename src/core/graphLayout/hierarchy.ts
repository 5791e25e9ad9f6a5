/**
 * The scope tree of a GraphPayload as the graph view walks it: children of every group (child
 * groups and direct nodes, both in topological order), depths, and which groups start expanded.
 *
 *   buildHierarchy(p): Hierarchy                 — CSR children lists, built once per payload
 *   defaultExpanded(h, budget): Set<number>     — small models: everything; others top-down, a whole
 *                                                   level at a time, while the visible boxes stay within the budget
 *   groupPath(h, g): number[]                    — root … g, for the breadcrumb
 *   displayPath(h, g): number[]                  — the same with single-child chains folded
 *   ancestorsOfNode(h, n): number[]              — innermost group … root
 *   revealNode(h, n, expanded): Set<number>      — expanded plus n's ancestors
 *
 * Pure TypeScript (no DOM, no Node APIs): runs in the layout Web Worker, the analysis process and unit tests.
 * Group 0 is the root and is always expanded; it is never drawn as a frame.
 */
import type { GraphPayload } from '../../shared/graphPayload';

export interface Hierarchy {
  groupCount: number;
  nodeCount: number;
  parent: Int32Array;
  depth: Uint16Array;
  /** Nodes in the group's whole subtree. */
  size: Uint32Array;
  /** Smallest topological position in the group's subtree (orders siblings). */
  firstOrder: Uint32Array;
  /** CSR: child groups of g are childGroups[childGroupStart[g] .. childGroupStart[g+1]), by firstOrder. */
  childGroupStart: Uint32Array;
  childGroups: Uint32Array;
  /** CSR: direct nodes of g are nodes[nodeStart[g] .. nodeStart[g+1]), in topological order. */
  nodeStart: Uint32Array;
  nodes: Uint32Array;
  /** Group indices, parents before children (breadth first). */
  topDown: Uint32Array;
  names: string[];
  /** Innermost group per node (the payload's nodeGroup; all zeros when it has no groups). */
  nodeGroup: Uint32Array;
}

export function buildHierarchy(p: GraphPayload): Hierarchy {
  const G = Math.max(1, p.groupCount);
  const N = p.nodeCount;
  const parent = p.groupCount > 0 ? Int32Array.from(p.groupParent) : Int32Array.of(-1);
  const names = p.groupCount > 0 ? p.groupNames : [''];
  const nodeGroup = p.groupCount > 0 ? p.nodeGroup : new Uint32Array(N);

  // Direct nodes per group in topological order: counting sort by group over nodes sorted by order.
  const byOrder = new Uint32Array(N);
  for (let i = 0; i < N; i++) byOrder[p.nodeOrder[i]] = i;
  const nodeStart = new Uint32Array(G + 1);
  for (let i = 0; i < N; i++) nodeStart[nodeGroup[i] + 1]++;
  for (let g = 0; g < G; g++) nodeStart[g + 1] += nodeStart[g];
  const fill = nodeStart.slice(0, G);
  const nodes = new Uint32Array(N);
  for (let k = 0; k < N; k++) {
    const n = byOrder[k];
    nodes[fill[nodeGroup[n]]++] = n;
  }

  // Child lists, then breadth-first order (no assumption that parents have smaller indices).
  const childGroupStart = new Uint32Array(G + 1);
  for (let g = 1; g < G; g++) if (parent[g] >= 0) childGroupStart[parent[g] + 1]++;
  for (let g = 0; g < G; g++) childGroupStart[g + 1] += childGroupStart[g];
  const childFill = childGroupStart.slice(0, G);
  const childGroups = new Uint32Array(childGroupStart[G]);
  for (let g = 1; g < G; g++) if (parent[g] >= 0) childGroups[childFill[parent[g]]++] = g;
  const topDown = new Uint32Array(G);
  const depth = new Uint16Array(G);
  let head = 0;
  let tail = 1;
  topDown[0] = 0;
  while (head < tail) {
    const g = topDown[head++];
    for (let k = childGroupStart[g]; k < childGroupStart[g + 1]; k++) {
      const c = childGroups[k];
      depth[c] = depth[g] + 1;
      topDown[tail++] = c;
    }
  }

  // Subtree sizes and first positions, bottom-up.
  const size = new Uint32Array(G);
  const firstOrder = new Uint32Array(G).fill(0xffffffff);
  for (let g = 0; g < G; g++) {
    size[g] = nodeStart[g + 1] - nodeStart[g];
    if (size[g] > 0) firstOrder[g] = p.nodeOrder[nodes[nodeStart[g]]];
  }
  for (let k = tail - 1; k > 0; k--) {
    const g = topDown[k];
    const up = parent[g];
    size[up] += size[g];
    if (firstOrder[g] < firstOrder[up]) firstOrder[up] = firstOrder[g];
  }
  for (let g = 0; g < G; g++) {
    const list = childGroups.subarray(childGroupStart[g], childGroupStart[g + 1]);
    if (list.length > 1) list.sort((a, b) => firstOrder[a] - firstOrder[b] || a - b);
  }
  return { groupCount: G, nodeCount: N, parent, depth, size, firstOrder, childGroupStart, childGroups, nodeStart, nodes, topDown, names, nodeGroup };
}

export function childGroupsOf(h: Hierarchy, g: number): Uint32Array {
  return h.childGroups.subarray(h.childGroupStart[g], h.childGroupStart[g + 1]);
}

export function directNodesOf(h: Hierarchy, g: number): Uint32Array {
  return h.nodes.subarray(h.nodeStart[g], h.nodeStart[g + 1]);
}

/** Boxes a group shows when expanded: its direct nodes plus its child groups (collapsed). */
export function itemCountOf(h: Hierarchy, g: number): number {
  return h.nodeStart[g + 1] - h.nodeStart[g] + h.childGroupStart[g + 1] - h.childGroupStart[g];
}

/** A group whose only content is one child group: expanding it adds a frame, no boxes. */
export function isPassThrough(h: Hierarchy, g: number): boolean {
  return h.nodeStart[g + 1] === h.nodeStart[g] && h.childGroupStart[g + 1] - h.childGroupStart[g] === 1;
}

/** Models up to this many nodes open with every group expanded: all of it is there, as in Netron. */
export const FULLY_EXPANDED_NODES = 500;
/**
 * Boxes a larger model opens with. Most networks are chains of blocks, so the visible boxes are
 * about the rows the layout stacks: ~40 rows still read at Fit on a laptop screen, and the
 * overview ("Conv·BN·Relu ×6", "encoder") is what a first look needs.
 */
export const OPEN_BUDGET = 40;

/**
 * The groups a view opens with: the saved ones (stored without the root, always open) when the page
 * restores its state, else {@link defaultExpanded}. The graph view and the layout worker's unasked
 * first view both start from this, so the worker lays out the very view the page asks for.
 */
export function initialExpanded(h: Hierarchy, saved: readonly number[] | null): Set<number> {
  return saved ? new Set([0, ...saved]) : defaultExpanded(h);
}

/**
 * Groups to expand when a model opens. A small model (FULLY_EXPANDED_NODES) opens entirely.
 * Otherwise top-down, one level at a time, and a level all at once or not at all, so sibling
 * groups are treated the same (never some open and some not): a level opens while the visible
 * boxes (nodes + collapsed groups; frames are free) stay within `budget`. Pass-through groups (a
 * single child group and no nodes) always open, so a root → 'encoder' → 'layers' chain does not
 * cost a click per level.
 */
export function defaultExpanded(h: Hierarchy, budget = OPEN_BUDGET): Set<number> {
  if (h.nodeCount <= FULLY_EXPANDED_NODES) return new Set(Array.from(h.topDown));
  const expanded = new Set<number>([0]);
  let visible = itemCountOf(h, 0);
  let level = Array.from(childGroupsOf(h, 0));
  while (level.length > 0) {
    const next: number[] = [];
    const passThrough = level.filter((g) => isPassThrough(h, g));
    const cost = level.reduce((sum, g) => sum + itemCountOf(h, g) - 1, 0);
    const open = visible + cost <= budget ? level : passThrough;
    for (const g of open) {
      expanded.add(g);
      visible += itemCountOf(h, g) - 1;
      for (const c of childGroupsOf(h, g)) next.push(c);
    }
    if (open !== level && passThrough.length === 0) break;
    level = next;
  }
  return expanded;
}

/** Root … g (inclusive). */
export function groupPath(h: Hierarchy, g: number): number[] {
  const path: number[] = [];
  for (let at = g; at >= 0; at = h.parent[at]) path.push(at);
  return path.reverse();
}

/**
 * The breadcrumb: root … g without the groups that are pass-through on the way (their names
 * are joined into the next crumb by the caller, e.g. 'encoder / layer.3').
 */
export function displayPath(h: Hierarchy, g: number): number[] {
  return groupPath(h, g).filter((at, i, all) => i === all.length - 1 || at === 0 || !isPassThrough(h, at));
}

/** Innermost group of the node first, root last. */
export function ancestorsOfNode(h: Hierarchy, n: number): number[] {
  const out: number[] = [];
  for (let at = h.nodeGroup[n]; at >= 0; at = h.parent[at]) out.push(at);
  return out;
}

/** Whether `group` is `ancestor` or inside it. */
export function isInside(h: Hierarchy, group: number, ancestor: number): boolean {
  for (let at = group; at >= 0; at = h.parent[at]) if (at === ancestor) return true;
  return false;
}

/** Groups that must be expanded for node n to be visible (its ancestors), added to `expanded`. */
export function revealNode(h: Hierarchy, n: number, expanded: Set<number>): Set<number> {
  const out = new Set(expanded);
  for (const g of ancestorsOfNode(h, n)) out.add(g);
  return out;
}
