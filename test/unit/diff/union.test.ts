import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { diffModels } from '../../../src/core/diff/diffModels';
import { nodeStates } from '../../../src/core/diff/nodeStates';
import { unionGraph } from '../../../src/core/diff/union';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import type { Graph } from '../../../src/core/graph/types';
import { analyzeModel, type ModelAnalysis } from '../../../src/core/modelAnalysis';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { NodeState } from '../../../src/shared/diffView';
import { renamedWithTwoInsertions, SAMPLE_MODEL } from '../../fixtures/diffPairs';

const analyse = (bytes: Uint8Array, name: string) => analyzeModel(readModelBytes(bytes, name), name);

function overlay(a: ModelAnalysis, b: ModelAnalysis) {
  const { report, matching } = diffModels(a, b, { version: 't' });
  return unionGraph(a, b, matching, nodeStates(a.graph, b.graph, matching, report.nodes.changed));
}

/** Every edge as "producer → consumer" by node name (graph inputs and initializers by value name). */
function edges(g: Graph): string[] {
  const out: string[] = [];
  for (const n of g.nodes) {
    for (const v of n.info.inputs) {
      if (v === '') continue;
      const p = g.values.get(v)!.producer;
      out.push(`${p >= 0 ? g.nodes[p].name : v} → ${n.name}`);
    }
  }
  return out.sort();
}

describe('diff overlay (union of both versions)', () => {
  const sample = fs.readFileSync(SAMPLE_MODEL);
  const { bytes: inserted } = renamedWithTwoInsertions(['Identity', 'Dropout']);

  it('is b itself when nodes were only inserted (renamed + 2 inserted): same nodes and edges, the 2 added coloured added', () => {
    const [a, b] = [analyse(sample, 'a.onnx'), analyse(inserted, 'b.onnx')];
    const u = overlay(a, b);
    assert.equal(u.graph.nodes.length, b.graph.nodes.length);
    assert.equal(u.graph.nodes.length, 11);
    assert.deepEqual(edges(u.graph), edges(b.graph));
    assert.deepEqual(u.graph.nodes.filter((n) => u.states[n.index] === NodeState.Only).map((n) => n.name).sort(), ['inserted_Dropout_1', 'inserted_Identity_0']);
    assert.equal([...u.states].filter((s) => s === NodeState.Removed).length, 0);
    assert.ok(u.fromA.every((y) => y >= 0 && y < 11), 'every a node is in the overlay at its b counterpart');
  });

  it('adds the 2 removed nodes as ghosts, wired to b\'s nodes through the matching', () => {
    const [a, b] = [analyse(inserted, 'a.onnx'), analyse(sample, 'b.onnx')];
    const u = overlay(a, b);
    assert.equal(u.graph.nodes.length, 11);
    const ghosts = u.graph.nodes.filter((n) => u.states[n.index] === NodeState.Removed).map((n) => n.name).sort();
    assert.deepEqual(ghosts, ['inserted_Dropout_1', 'inserted_Identity_0']);
    // Each ghost reads the Relu b has where a had it and feeds the Gemm that read it in a.
    const added = edges(u.graph).filter((e) => !edges(b.graph).includes(e));
    assert.deepEqual(added, ['/fc1/Relu → inserted_Identity_0', '/fc2/Relu → inserted_Dropout_1', 'inserted_Dropout_1 → /fc3/Gemm', 'inserted_Identity_0 → /fc2/Gemm'].sort());
    assert.equal(edges(u.graph).length, edges(b.graph).length + 4);
    // Every a node has a place in the overlay; the order puts each ghost after what it reads.
    for (const n of a.graph.nodes) assert.ok(u.fromA[n.index] >= 0 && u.fromA[n.index] < 11);
    const position = new Map(u.graph.order.map((x, p) => [x, p]));
    assert.equal(u.graph.order.length, 11);
    for (const n of u.graph.nodes.slice(b.graph.nodes.length)) {
      const producer = u.graph.values.get(n.info.inputs[0])!.producer;
      assert.ok(position.get(producer)! < position.get(n.index)!, `${n.name} after its producer`);
    }
    // It goes through the model editor's payload path: same groups as b plus the ghosts' own.
    const payload = buildGraphPayload(u, 'overlay', 'x');
    assert.equal(payload.nodeCount, 11);
    assert.equal(payload.nodeNames[u.fromA[a.graph.nodes.find((n) => n.name === 'inserted_Identity_0')!.index]], 'inserted_Identity_0');
    assert.ok(payload.valueShapes.every((s) => s !== undefined));
  });

  it('names a value for every input a node of the overlay reads', () => {
    const u = overlay(analyse(inserted, 'a.onnx'), analyse(sample, 'b.onnx'));
    for (const n of u.graph.nodes) for (const v of n.info.inputs) if (v !== '') assert.ok(u.graph.values.has(v), `${n.name} reads ${v}`);
  });
});
