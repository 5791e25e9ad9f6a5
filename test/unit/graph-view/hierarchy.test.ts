import * as assert from 'node:assert/strict';
import { ancestorsOfNode, buildHierarchy, childGroupsOf, defaultExpanded, directNodesOf, displayPath, groupPath, itemCountOf } from '../../../webview/graph/hierarchy';
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

  it('expands a 20-node MLP fully (it has no groups, everything is visible)', () => {
    const h = buildHierarchy(mlpPayload(20));
    const expanded = defaultExpanded(h);
    assert.deepEqual([...expanded], [0]);
    assert.equal(visibleBoxes(h, expanded), 20);
  });

  it('keeps a 100k transformer to a few boxes: embeddings and pooler open, the encoder collapsed', function () {
    this.timeout(60000);
    const h = buildHierarchy(transformerPayload(100000));
    const expanded = defaultExpanded(h);
    const byName = (name: string) => Array.from(childGroupsOf(h, 0)).find((g) => h.names[g] === name)!;
    assert.ok(expanded.has(byName('embeddings')));
    assert.ok(expanded.has(byName('pooler')));
    assert.ok(!expanded.has(byName('encoder')), 'the encoder has ~1,300 layers, more than the budget');
    assert.ok(visibleBoxes(h, expanded) <= 300);
  });

  it('opens the layers of a 20k transformer as collapsed boxes, within the budget', function () {
    this.timeout(60000);
    const h = buildHierarchy(transformerPayload(20000));
    const expanded = defaultExpanded(h);
    const encoder = childGroupsOf(h, 0)[1];
    assert.ok(expanded.has(encoder));
    const visible = visibleBoxes(h, expanded);
    assert.ok(visible <= 300, `${visible} boxes`);
    assert.ok(visible >= itemCountOf(h, encoder), 'every layer is on screen as a box');
  });

  it('spends the budget breadth first, largest group first', () => {
    // root: big (10 nodes), small (3 nodes); budget allows opening only one of them.
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => ({ op: 'Relu', group: 1, inputs: [i === 0 ? 'x' : `b${i - 1}`], outputs: [`b${i}`] })),
      ...Array.from({ length: 3 }, (_, i) => ({ op: 'Relu', group: 2, inputs: [i === 0 ? 'b9' : `s${i - 1}`], outputs: [`s${i}`] })),
    ];
    const h = buildHierarchy(syntheticPayload({ groups: [['big', 0], ['small', 0]], nodes, inputs: ['x'], outputs: ['s2'] }));
    assert.deepEqual([...defaultExpanded(h, 11)].sort(), [0, 1]);
    assert.deepEqual([...defaultExpanded(h, 13)].sort(), [0, 1, 2]);
    assert.deepEqual([...defaultExpanded(h, 4)].sort(), [0, 2]);
  });

  it('opens single-child chains of groups whatever the budget, and folds them in the breadcrumb', () => {
    // root → model → encoder → {a, b}; 'model' holds nothing but 'encoder'.
    const groups: [string, number][] = [['model', 0], ['encoder', 1], ['a', 2], ['b', 2]];
    const nodes = [
      { op: 'Relu', group: 3, inputs: ['x'], outputs: ['y'] },
      { op: 'Relu', group: 4, inputs: ['y'], outputs: ['z'] },
    ];
    const h = buildHierarchy(syntheticPayload({ groups, nodes, inputs: ['x'], outputs: ['z'] }));
    const expanded = defaultExpanded(h, 1);
    assert.ok(expanded.has(1) && !expanded.has(2), 'model opens for free; encoder (2 boxes) exceeds a budget of 1');
    assert.ok(defaultExpanded(h, 2).has(2));
    assert.deepEqual(groupPath(h, 3), [0, 1, 2, 3]);
    assert.deepEqual(displayPath(h, 3), [0, 2, 3]);
    assert.deepEqual(ancestorsOfNode(h, 1), [4, 2, 1, 0]);
  });
});
