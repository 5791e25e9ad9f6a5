/**
 * Search over a GraphPayload (node names, op types, value names); who reads a value is consumers.ts.
 *
 *   buildSearchIndex(p): SearchIndex             — lower-cased names, built once per payload
 *   search(index, query, limit = 200): SearchHit[] — case-insensitive substring; exact matches
 *       first, then prefix, then substring; within a rank: ops, nodes, values, then by index.
 *       'op:Conv' lists the nodes whose op type is Conv (or starts with it); a plain query also
 *       lists matching op types as 'op' hits (detail: how many nodes use it).
 *
 * A query is one linear scan of pre-lowered strings: ~100k nodes + values in a few ms, so there
 * is no n-gram index to build or keep in memory. Pure TS; runs in the worker or the UI thread.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';

export interface SearchIndex {
  payload: GraphPayload;
  nodeNames: string[];
  valueNames: string[];
  ops: string[];
  /** Nodes per op index. */
  opCounts: Uint32Array;
}

export type SearchHitKind = 'node' | 'value' | 'op';

export interface SearchHit {
  kind: SearchHitKind;
  /** Node, value or op index. */
  index: number;
  label: string;
  /** Op type for a node, dtype + shape for a value, node count for an op. */
  detail: string;
}

export function buildSearchIndex(p: GraphPayload): SearchIndex {
  const opCounts = new Uint32Array(p.ops.length);
  for (let i = 0; i < p.nodeCount; i++) opCounts[p.nodeOp[i]]++;
  const index = {
    payload: p,
    nodeNames: p.nodeNames.map((s) => s.toLowerCase()),
    valueNames: p.valueNames.map((s) => s.toLowerCase()),
    ops: p.ops.map((s) => s.toLowerCase()),
    opCounts,
  };
  // One throw-away query pays for string flattening and JIT here, not on the user's first keystroke
  // (measured: the first query over 100k names took ~250 ms, the next ones ~15 ms).
  search(index, '\u0000', 1);
  return index;
}

const EXACT = 0;
const PREFIX = 1;
const SUBSTRING = 2;
const KIND_ORDER: Record<SearchHitKind, number> = { op: 0, node: 1, value: 2 };

function matchRank(text: string, q: string): number {
  const at = text.indexOf(q);
  if (at < 0) return -1;
  if (at === 0) return text.length === q.length ? EXACT : PREFIX;
  return SUBSTRING;
}

export function search(index: SearchIndex, query: string, limit = 200): SearchHit[] {
  const p = index.payload;
  let q = query.trim().toLowerCase();
  if (q.length === 0 || limit <= 0) return [];
  // Keep at most `limit` hits per rank: the final list never needs more.
  const buckets: SearchHit[][] = [[], [], []];
  const add = (rank: number, hit: SearchHit) => {
    if (buckets[rank].length < limit) buckets[rank].push(hit);
  };
  const nodeHit = (i: number): SearchHit => ({ kind: 'node', index: i, label: p.nodeNames[i], detail: p.ops[p.nodeOp[i]] });

  if (q.startsWith('op:')) {
    q = q.slice(3).trim();
    const opRank = index.ops.map((op) => (op === q ? EXACT : op.startsWith(q) ? PREFIX : -1));
    for (let i = 0; i < p.nodeCount; i++) {
      const r = opRank[p.nodeOp[i]];
      if (r >= 0) add(r, nodeHit(i));
    }
  } else {
    for (let o = 0; o < index.ops.length; o++) {
      const r = matchRank(index.ops[o], q);
      if (r >= 0) add(r, { kind: 'op', index: o, label: p.ops[o], detail: `${index.opCounts[o]} node${index.opCounts[o] === 1 ? '' : 's'}` });
    }
    for (let i = 0; i < index.nodeNames.length; i++) {
      const r = matchRank(index.nodeNames[i], q);
      if (r >= 0) add(r, nodeHit(i));
    }
    for (let v = 0; v < index.valueNames.length; v++) {
      const r = matchRank(index.valueNames[v], q);
      if (r >= 0) add(r, { kind: 'value', index: v, label: p.valueNames[v], detail: `${p.valueElemTypes[v]} ${p.valueShapes[v]}` });
    }
  }
  const out: SearchHit[] = [];
  for (const bucket of buckets) {
    bucket.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.index - b.index);
    for (const hit of bucket) {
      if (out.length >= limit) return out;
      out.push(hit);
    }
  }
  return out;
}
