import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeScene, LayoutCache } from '../../../src/core/graphLayout/computeScene';
import { buildHierarchy, childGroupsOf, defaultExpanded } from '../../../src/core/graphLayout/hierarchy';
import { ItemKind, type Scene } from '../../../src/core/graphLayout/scene';
import { transformerPayload } from './models';
import { LIGHT_MODELS, payloadFromFile } from './payloadFromModel';
import { mlpPayload, syntheticPayload } from './synthetic';

function assertEdgePorts(s: Scene): void {
  for (let e = 0; e < s.edgeCount; e++) {
    const a = s.edgeFrom[e];
    const b = s.edgeTo[e];
    const p0 = s.pointStart[e];
    const p1 = s.pointStart[e + 1];
    assert.ok(p1 - p0 >= 4, `edge ${e} has two points`);
    assert.deepEqual([s.points[p0], s.points[p0 + 1]], [s.x[a] + s.w[a] / 2, s.y[a] + s.h[a]], `edge ${e} leaves the bottom centre of item ${a}`);
    assert.deepEqual([s.points[p1 - 2], s.points[p1 - 1]], [s.x[b] + s.w[b] / 2, s.y[b]], `edge ${e} enters the top centre of item ${b}`);
  }
}

/** Items directly inside the same frame (or the root) never overlap. */
function assertSiblingsApart(s: Scene): void {
  const parentOf = new Int32Array(s.itemCount).fill(-1);
  for (let i = 0; i < s.itemCount; i++) {
    for (let f = i - 1; f >= 0; f--) {
      if (s.kind[f] === ItemKind.Frame && s.depth[f] === s.depth[i] - 1 && s.x[f] <= s.x[i] && s.y[f] <= s.y[i] && s.x[i] + s.w[i] <= s.x[f] + s.w[f] && s.y[i] + s.h[i] <= s.y[f] + s.h[f]) {
        parentOf[i] = f;
        break;
      }
    }
    if (s.depth[i] > 0) assert.ok(parentOf[i] >= 0, `item ${i} lies inside a frame drawn before it`);
  }
  for (let a = 0; a < s.itemCount; a++) {
    for (let b = a + 1; b < s.itemCount; b++) {
      if (parentOf[a] !== parentOf[b]) continue;
      const apart = s.x[a] + s.w[a] <= s.x[b] || s.x[b] + s.w[b] <= s.x[a] || s.y[a] + s.h[a] <= s.y[b] || s.y[b] + s.h[b] <= s.y[a];
      assert.ok(apart, `items ${a} and ${b} overlap`);
    }
  }
}

/** in → A{a1, a2} → B{b1, b2} → out, where A makes two values that B reads. */
function twoGroups() {
  return syntheticPayload({
    groups: [['A', 0], ['B', 0]],
    inputs: ['x'],
    outputs: ['z'],
    initializers: ['w'],
    nodes: [
      { op: 'MatMul', name: 'A/a1', group: 1, inputs: ['x', 'w'], outputs: ['p'] },
      { op: 'Relu', name: 'A/a2', group: 1, inputs: ['p'], outputs: ['q'] },
      { op: 'Add', name: 'B/b1', group: 2, inputs: ['p', 'q'], outputs: ['r'] },
      { op: 'Mul', name: 'B/b2', group: 2, inputs: ['r', 'q'], outputs: ['z'] },
    ],
  });
}

const items = (s: Scene, kind: ItemKind) => Array.from({ length: s.itemCount }, (_, i) => i).filter((i) => s.kind[i] === kind);

describe('graph view: scene', () => {
  it('draws a collapsed group as one box and aggregates the values between two boxes into one edge', () => {
    const p = twoGroups();
    const s = computeScene(p, buildHierarchy(p), new Set([0]));
    assert.deepEqual(items(s, ItemKind.Group).map((i) => s.ref[i]), [1, 2]);
    assert.equal(items(s, ItemKind.Node).length, 0);
    const a = items(s, ItemKind.Group)[0];
    const b = items(s, ItemKind.Group)[1];
    const between = Array.from({ length: s.edgeCount }, (_, e) => e).filter((e) => s.edgeFrom[e] === a && s.edgeTo[e] === b);
    assert.equal(between.length, 1);
    assert.equal(s.edgeMultiplicity[between[0]], 2, 'p and q');
    assert.equal(s.edgeValue[between[0]], -1);
    assertEdgePorts(s);
  });

  it('connects a value made inside a collapsed group to the nodes reading it outside, with its value index', () => {
    const p = twoGroups();
    const s = computeScene(p, buildHierarchy(p), new Set([0, 2]));
    const groupA = items(s, ItemKind.Group)[0];
    const fromA = Array.from({ length: s.edgeCount }, (_, e) => e).filter((e) => s.edgeFrom[e] === groupA);
    const targets = fromA.map((e) => p.nodeNames[s.ref[s.edgeTo[e]]]).sort();
    assert.deepEqual(targets, ['B/b1', 'B/b2']);
    const toB2 = fromA.find((e) => p.nodeNames[s.ref[s.edgeTo[e]]] === 'B/b2')!;
    assert.equal(p.valueNames[s.edgeValue[toB2]], 'q');
    assert.equal(s.edgeMultiplicity[toB2], 1);
    assertEdgePorts(s);
    assertSiblingsApart(s);
  });

  it('shows graph inputs above and outputs below everything, and no initializers', () => {
    const p = mlpPayload(20);
    const s = computeScene(p, buildHierarchy(p), new Set([0]));
    const inputs = items(s, ItemKind.Input);
    const outputs = items(s, ItemKind.Output);
    const nodes = items(s, ItemKind.Node);
    assert.equal(s.itemCount, 22, '20 nodes, 1 input, 1 output');
    assert.equal(nodes.length, 20);
    assert.deepEqual(inputs.map((i) => p.valueNames[s.ref[i]]), ['x']);
    for (const n of nodes) {
      assert.ok(s.y[inputs[0]] + s.h[inputs[0]] <= s.y[n]);
      assert.ok(s.y[n] + s.h[n] <= s.y[outputs[0]]);
    }
    assert.equal(s.edgeCount, 21);
    assertEdgePorts(s);
  });

  it('draws frames before their children and keeps children inside their frame', () => {
    const p = transformerPayload(2000);
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h, 300));
    assert.ok(items(s, ItemKind.Frame).length > 0);
    assertSiblingsApart(s);
    assertEdgePorts(s);
  });

  it('lays out again only the expanded group and its ancestors, reusing every other cached layout', () => {
    const p = transformerPayload(2000);
    const h = buildHierarchy(p);
    const cache = new LayoutCache();
    const expanded = defaultExpanded(h, 60);
    computeScene(p, h, expanded, cache);
    const before = cache.layoutCalls;
    // Open one collapsed layer: that layer and the levels above it (encoder, root) are laid out.
    const encoder = childGroupsOf(h, 0)[1];
    const layer = childGroupsOf(h, encoder).at(-1)!;
    assert.ok(!expanded.has(layer) && expanded.has(h.parent[layer]), 'the encoder is open, its layers collapsed');
    const opened = new Set(expanded).add(layer);
    computeScene(p, h, opened, cache);
    assert.equal(cache.layoutCalls - before, 1 + h.depth[layer]);
    // Closing it again is all cache hits.
    computeScene(p, h, expanded, cache);
    assert.equal(cache.layoutCalls - before, 1 + h.depth[layer]);
  });

  it('gives the same scene with and without a cache', () => {
    const p = twoGroups();
    const h = buildHierarchy(p);
    const cache = new LayoutCache();
    computeScene(p, h, new Set([0, 1, 2]), cache);
    assert.deepEqual(computeScene(p, h, new Set([0, 1]), cache), computeScene(p, h, new Set([0, 1])));
  });

  const densenet = path.join(LIGHT_MODELS, 'light_densenet121.onnx');
  it('renders DenseNet-121 (scopes assigned by blocks) within the budget, every edge between its ports', function () {
    this.timeout(60000);
    const p = payloadFromFile(densenet);
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h, 300));
    const boxes = s.itemCount - items(s, ItemKind.Frame).length - items(s, ItemKind.Input).length - items(s, ItemKind.Output).length;
    assert.ok(boxes <= 300 && boxes > 20, `${boxes} boxes`);
    assertEdgePorts(s);
  });

  it('gives every edge out of an open group its own port: the sample\'s Softmax and ArgMax leave the head apart', () => {
    const p = payloadFromFile(path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx'));
    const h = buildHierarchy(p);
    const s = computeScene(p, h, defaultExpanded(h));
    const head = Array.from({ length: s.itemCount }, (_, i) => i).find((i) => s.kind[i] === ItemKind.Frame && p.groupNames[s.ref[i]] === 'head')!;
    assert.ok(head !== undefined, 'the head group is open (a small model opens entirely)');
    const bottom = s.y[head] + s.h[head];
    const crossings: number[] = [];
    for (let e = 0; e < s.edgeCount; e++) {
      if (s.kind[s.edgeTo[e]] !== ItemKind.Output) continue;
      const a = s.edgeFrom[e];
      const k = Array.from({ length: (s.pointStart[e + 1] - s.pointStart[e]) / 2 }, (_, j) => s.pointStart[e] + 2 * j).find((q) => s.points[q + 1] === bottom);
      assert.ok(k !== undefined, `edge ${e} crosses the head's border`);
      assert.equal(s.points[k], s.x[a] + s.w[a] / 2, `edge ${e} leaves straight below ${p.nodeNames[s.ref[a]]}`);
      crossings.push(s.points[k]);
    }
    assert.equal(crossings.length, 2);
    assert.notEqual(crossings[0], crossings[1]);
  });

  it('marks nothing for a model with no nodes: inputs and outputs only', () => {
    const p = syntheticPayload({ nodes: [], inputs: ['x'], outputs: ['x'] });
    const s = computeScene(p, buildHierarchy(p), new Set([0]));
    assert.equal(s.itemCount, 2);
    assert.equal(s.edgeCount, 1, 'the input is the output');
    assertEdgePorts(s);
  });

  it('draws what it can when a node reads a value that exists nowhere', () => {
    const p = syntheticPayload({ inputs: ['x'], outputs: ['y'], nodes: [{ op: 'Add', inputs: ['x', 'ghost'], outputs: ['y'] }] });
    const s = computeScene(p, buildHierarchy(p), new Set([0]));
    assert.equal(s.itemCount, 3);
    assert.equal(s.edgeCount, 2);
  });
});
