import * as assert from 'node:assert/strict';
import {
  ancestorsOfNode, buildHierarchy, childGroupsOf, defaultExpanded, directNodesOf, displayPath, FULLY_EXPANDED_NODES, groupPath, isPassThrough, itemCountOf, OPEN_BUDGET,
} from '../../../src/core/graphLayout/hierarchy';
import { rangeName } from '../../../src/core/graph/payload';
import { transformerPayload } from './models';
import { mlpPayload, syntheticPayload } from './synthetic';

/** Boxes visible for an expansion: nodes of open groups plus collapsed children of open groups. */
function visibleBoxes(h: ReturnType<typeof buildHierarchy>, expanded: Set<number>): number {
  let count = 0;
  const stack = [0];
  while (stack.length > 0) {
    const g = stack.pop()!;
    count += directNodesOf(h, g).length;
    for (const c of childGroupsOf(h, g)) {
      if (expanded.has(c)) stack.push(c);
      else count++;
    }
  }
  return count;
}

describe('graph view: grouping', () => {
  it('builds the scope tree of a transformer: the encoder holds one group per layer, in topological order', () => {
    const p = transformerPayload(2000);
    const h = buildHierarchy(p);
    const top = Array.from(childGroupsOf(h, 0), (g) => h.names[g]);
    assert.deepEqual(top, ['embeddings', 'encoder', 'pooler']);
    const encoder = childGroupsOf(h, 0)[1];
    const layers = Array.from(childGroupsOf(h, encoder), (g) => h.names[g]);
    assert.equal(layers.length, Math.ceil((2000 - 26) / 78));
    assert.deepEqual(layers.slice(0, 3), ['layer.0', 'layer.1', 'layer.2']);
    assert.equal(h.size[0], p.nodeCount);
    for (let g = 0; g < h.groupCount; g++) assert.equal(h.size[g], p.groupNodeCount[g], `size of group ${g}`);
  });

  it('lists every node exactly once, under its innermost group, in topological order', () => {
    const p = transformerPayload(2000);
    const h = buildHierarchy(p);
    const seen = new Uint8Array(p.nodeCount);
    for (let g = 0; g < h.groupCount; g++) {
      const nodes = directNodesOf(h, g);
      for (let k = 0; k < nodes.length; k++) {
        assert.equal(p.nodeGroup[nodes[k]], g);
        seen[nodes[k]]++;
        if (k > 0) assert.ok(p.nodeOrder[nodes[k - 1]] < p.nodeOrder[nodes[k]]);
      }
    }
    assert.ok(seen.every((s) => s === 1));
  });

  it('shows a 20-node MLP whole (it has no groups, everything is visible)', () => {
    const h = buildHierarchy(mlpPayload(20));
    const expanded = defaultExpanded(h);
    assert.deepEqual([...expanded], [0]);
    assert.equal(visibleBoxes(h, expanded), 20);
  });

  it('opens a small model with every group expanded (all of it is on screen, as in Netron)', () => {
    const p = transformerPayload(400);
    const h = buildHierarchy(p);
    assert.ok(h.groupCount > 5 && p.nodeCount <= FULLY_EXPANDED_NODES);
    assert.equal(defaultExpanded(h).size, h.groupCount);
    assert.equal(visibleBoxes(h, defaultExpanded(h)), p.nodeCount);
  });

  it('keeps a 100k transformer to a few boxes that read at Fit', function () {
    this.timeout(60000);
    const h = buildHierarchy(transformerPayload(100000));
    const expanded = defaultExpanded(h);
    const visible = visibleBoxes(h, expanded);
    assert.ok(visible >= 3 && visible <= OPEN_BUDGET, `${visible} boxes`);
  });

  it('opens a level of siblings all at once or not at all (never some open and some not)', function () {
    this.timeout(60000);
    for (const nodes of [2000, 20000]) {
      const h = buildHierarchy(transformerPayload(nodes));
      for (const budget of [10, OPEN_BUDGET, 300]) {
        const expanded = defaultExpanded(h, budget);
        for (let g = 0; g < h.groupCount; g++) {
          if (!expanded.has(g)) continue;
          const children = Array.from(childGroupsOf(h, g)).filter((c) => !isPassThrough(h, c));
          const open = children.filter((c) => expanded.has(c)).length;
          assert.ok(open === 0 || open === children.length, `${nodes} nodes, budget ${budget}: ${open} of ${children.length} children of '${h.names[g]}' open`);
        }
        assert.ok(visibleBoxes(h, expanded) <= Math.max(budget, itemCountOf(h, 0)));
      }
    }
  });

  it('spends the budget a level at a time', () => {
    // root: big (10 nodes), small (3 nodes): both open, or neither.
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => ({ op: 'Relu', group: 1, inputs: [i === 0 ? 'x' : `b${i - 1}`], outputs: [`b${i}`] })),
      ...Array.from({ length: 3 }, (_, i) => ({ op: 'Relu', group: 2, inputs: [i === 0 ? 'b9' : `s${i - 1}`], outputs: [`s${i}`] })),
    ];
    const h = { ...buildHierarchy(syntheticPayload({ groups: [['big', 0], ['small', 0]], nodes, inputs: ['x'], outputs: ['s2'] })), nodeCount: FULLY_EXPANDED_NODES + 1 };
    assert.deepEqual([...defaultExpanded(h, 12)].sort(), [0]);
    assert.deepEqual([...defaultExpanded(h, 13)].sort(), [0, 1, 2]);
  });

  it('opens single-child chains of groups whatever the budget, and folds them in the breadcrumb', () => {
    // root → model → encoder → {a, b}; 'model' holds nothing but 'encoder'.
    const groups: [string, number][] = [['model', 0], ['encoder', 1], ['a', 2], ['b', 2]];
    const nodes = [
      { op: 'Relu', group: 3, inputs: ['x'], outputs: ['y'] },
      { op: 'Relu', group: 4, inputs: ['y'], outputs: ['z'] },
    ];
    // As a large model would (a small one opens entirely).
    const h = { ...buildHierarchy(syntheticPayload({ groups, nodes, inputs: ['x'], outputs: ['z'] })), nodeCount: FULLY_EXPANDED_NODES + 1 };
    const expanded = defaultExpanded(h, 1);
    assert.ok(expanded.has(1) && !expanded.has(2), 'model opens for free; encoder (2 boxes) exceeds a budget of 1');
    assert.ok(defaultExpanded(h, 2).has(2));
    assert.deepEqual(groupPath(h, 3), [0, 1, 2, 3]);
    assert.deepEqual(displayPath(h, 3), [0, 2, 3]);
    assert.deepEqual(ancestorsOfNode(h, 1), [4, 2, 1, 0]);
  });
});

describe('graph view: long sibling lists', () => {
  it('splits 1,282 layers into ranges of 100 ("layer.0–99"), in order, every layer kept', function () {
    this.timeout(60000);
    const p = transformerPayload(100000);
    const h = buildHierarchy(p);
    const encoder = Array.from(childGroupsOf(h, 0)).find((g) => h.names[g] === 'encoder')!;
    const ranges = Array.from(childGroupsOf(h, encoder));
    assert.ok(ranges.length > 10 && ranges.length <= 14, `${ranges.length} ranges`);
    assert.equal(h.names[ranges[0]], 'layer.0–99');
    assert.equal(h.names[ranges[1]], 'layer.100–199');
    const layers = ranges.flatMap((r) => Array.from(childGroupsOf(h, r), (g) => h.names[g]));
    assert.deepEqual(layers.slice(98, 102), ['layer.98', 'layer.99', 'layer.100', 'layer.101']);
    assert.equal(new Set(layers).size, layers.length);
    for (const r of ranges) assert.ok(childGroupsOf(h, r).length <= 100);
    for (let g = 0; g < h.groupCount; g++) assert.equal(h.size[g], p.groupNodeCount[g], `size of group ${g}`);
  });

  it('names a range by what its first and last names share', () => {
    assert.equal(rangeName('layer.0', 'layer.99'), 'layer.0–99');
    assert.equal(rangeName('layer.1', 'layer.19'), 'layer.1–19');
    assert.equal(rangeName('block 1', 'block 100'), 'block 1–100');
    assert.equal(rangeName('attn', 'mlp'), 'attn … mlp');
  });
});
