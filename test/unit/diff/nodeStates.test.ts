import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { diffModels } from '../../../src/core/diff/diffModels';
import { nodeStates } from '../../../src/core/diff/nodeStates';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { NodeState } from '../../../src/shared/diffView';
import { groupStates } from '../../../webview/diff/groupStates';
import { renamedWithTwoInsertions, SAMPLE_MODEL } from '../../fixtures/diffPairs';

describe('diff editor colours', () => {
  it('marks inserted nodes as only-in-b, the rewired ones as changed and the rest as the same, per payload index', () => {
    const { bytes } = renamedWithTwoInsertions(['Identity', 'Dropout']);
    const [a, b] = [analyzeModel(readModelBytes(fs.readFileSync(SAMPLE_MODEL), 'a.onnx'), 'a.onnx'), analyzeModel(readModelBytes(bytes, 'b.onnx'), 'b.onnx')];
    const { report, matching } = diffModels(a, b, { version: 't' });
    const s = nodeStates(a.graph, b.graph, matching, report.nodes.changed);
    const named = (side: typeof a, states: Uint8Array, state: NodeState) => side.graph.nodes.filter((n) => states[n.index] === state).map((n) => n.name).sort();
    assert.deepEqual(named(b, s.b, NodeState.Only), ['inserted_Dropout_1', 'inserted_Identity_0']);
    assert.deepEqual(named(a, s.a, NodeState.Only), []);
    assert.deepEqual(named(a, s.a, NodeState.Changed), ['/fc2/Gemm', '/fc3/Gemm']);
    assert.equal(named(a, s.a, NodeState.Same).length, 7);
    assert.equal(b.graph.nodes[s.aToB[a.graph.nodes.find((n) => n.name === '/fc1/Gemm')!.index]].name, 'node_102');
  });

  it('gives a collapsed group the most telling state inside it', () => {
    // Groups: 0 (root) ← 1 ← 2; nodes 0, 1 in group 2, node 2 in group 1, node 3 in the root.
    const parent = Int32Array.of(-1, 0, 1);
    const nodeGroup = Uint32Array.of(2, 2, 1, 0);
    const states = Uint8Array.of(NodeState.Same, NodeState.Changed, NodeState.Only, NodeState.Same);
    assert.deepEqual([...groupStates(nodeGroup, parent, states, 3)], [NodeState.Only, NodeState.Only, NodeState.Changed]);
  });
});
