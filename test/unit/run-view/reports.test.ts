import * as assert from 'node:assert/strict';
import type { ProfileEntry, TensorSummary } from '../../../src/shared/runtimeTypes';
import { formatMs, formatUs, formatWithUnit } from '../../../webview/format';
import { formatPercent, formatRate, formatValue } from '../../../webview/ui/numbers';
import { activationFlags, layerSeries, producerOf, selectionLabel, splitName, valueIndex, valuesOfSelection } from '../../../webview/run/layers';
import { configLabel, firstGraphNode, kernelNodesLabel } from '../../../webview/run/reports';
import { syntheticPayload } from '../graph-view/synthetic';

const entry = (e: Partial<ProfileEntry>): ProfileEntry => ({ ortName: 'k', opType: 'Conv', provider: 'CPU', meanUs: 1, share: 0.1, nodes: [], fused: false, mapping: 'node', ...e });

function summary(name: string, numeric: Partial<NonNullable<TensorSummary['numeric']>> | null, elements = 100): TensorSummary {
  return {
    name, elemType: 'float32', dims: [1, elements], elements, head: [],
    numeric: numeric && { min: -1, max: 1, mean: 0, std: 1, zeros: 0, nan: 0, inf: 0, histogram: { edges: [], counts: [] }, ...numeric },
  };
}

describe('run view: profile and benchmark rows', () => {
  it('shows a fused kernel with every node it covers', () => {
    assert.equal(kernelNodesLabel(entry({ opType: 'FusedConv', nodes: ['conv1', 'relu1'], fused: true })), 'FusedConv: conv1 + relu1');
    assert.equal(kernelNodesLabel(entry({ nodes: ['conv1'] })), 'conv1');
    assert.equal(kernelNodesLabel(entry({ nodes: [], mapping: 'unmapped' })), 'not mapped: added by onnxruntime, no graph node');
    assert.equal(kernelNodesLabel(entry({ opType: 'ReorderOutput', nodes: ['conv1'], mapping: 'neighbour' })), 'charged to conv1 (added by onnxruntime beside it)');
    const many = kernelNodesLabel(entry({ opType: 'FusedMatMul', nodes: ['a', 'b', 'c', 'd'], fused: true }), 2);
    assert.equal(many, 'FusedMatMul: a + b + 2 more');
  });

  it('finds the first node of a kernel that is in the graph', () => {
    const index = new Map([['relu1', 4]]);
    assert.equal(firstGraphNode(['conv1', 'relu1'], index), 4);
    assert.equal(firstGraphNode(['x'], index), -1);
  });

  it('labels benchmark configurations', () => {
    assert.equal(configLabel({ intraOpThreads: 0, batch: null }), 'auto threads');
    assert.equal(configLabel({ intraOpThreads: 1, batch: 8 }), '1 thread · batch 8');
    assert.equal(configLabel({ intraOpThreads: 4, batch: null }), '4 threads');
  });

  it('formats times, shares, rates and values compactly', () => {
    assert.equal(formatMs(1.9432), '1.94 ms');
    assert.equal(formatMs(0.1421), '0.142 ms');
    assert.equal(formatMs(1234.4), '1,234 ms');
    assert.equal(formatUs(12.44), '12.4 µs');
    assert.equal(formatUs(1530.2), '1.53 ms');
    assert.equal(formatUs(2850), '2.85 ms', 'never "2.85 k µs"');
    assert.equal(formatUs(12_500_000), '12.5 s');
    assert.equal(formatWithUnit(2850, 'µs'), '2.85 ms');
    assert.equal(formatWithUnit(0.0213, ''), '0.0213');
    assert.equal(formatWithUnit(1536, 'B'), '1.5 KiB');
    assert.equal(formatWithUnit(2_400_000, 'params'), '2.4 M params');
    assert.equal(formatPercent(0.4213), '42.1 %');
    assert.equal(formatPercent(0.0004), '0.04 %');
    assert.equal(formatPercent(0), '0 %');
    assert.equal(formatRate(9361.3), '9,361 /s');
    assert.equal(formatRate(68993), '69.0 k/s');
    assert.equal(formatValue(0.123456), '0.1235');
    assert.equal(formatValue(3), '3');
    assert.equal(formatValue(1.5e-5), '1.500e-5');
    assert.equal(formatValue(NaN), 'NaN');
    assert.equal(formatValue(-Infinity), '-Inf');
  });
});

describe('run view: activations along the network', () => {
  it('draws one point per numeric activation, in capture order', () => {
    const s = layerSeries([summary('a', { mean: 1, std: 2, zeros: 0.5 }), summary('s', null), summary('b', { mean: 3, std: 4, zeros: 0 })]);
    assert.deepEqual(s, { names: ['a', 'b'], mean: [1, 3], std: [2, 4], sparsity: [0.5, 0] });
  });

  it('flags dead ReLUs, exploding and non-finite values', () => {
    assert.deepEqual(activationFlags(summary('ok', {}), 'Relu'), []);
    assert.deepEqual(activationFlags(summary('dead', { zeros: 1, min: 0, max: 0 }), 'Relu'), ['dead']);
    assert.deepEqual(activationFlags(summary('big', { max: 3e5 }), 'MatMul'), ['exploding']);
    assert.deepEqual(activationFlags(summary('nan', { nan: 2 }), 'Div'), ['non-finite']);
    assert.deepEqual(activationFlags(summary('empty', {}, 0), 'Relu'), []);
  });

  it('does not call zeros of arithmetic dead, nor an attention mask of -10000 exploding', () => {
    assert.deepEqual(activationFlags(summary('mask', { zeros: 1, min: 0, max: 0 }), 'Mul'), []);
    assert.deepEqual(activationFlags(summary('scores', { min: -10000.5, max: 3 }), 'Add'), []);
  });

  it('splits a scoped value name so its last segment stays visible', () => {
    assert.deepEqual(splitName('/encoder/layer.0/Softmax_output_0'), ['/encoder/layer.0', '/Softmax_output_0']);
    assert.deepEqual(splitName('r1'), ['', 'r1']);
    assert.deepEqual(splitName('/x'), ['', '/x']);
  });

  it("captures a selected node's outputs, or a selected value, and finds producers", () => {
    const p = syntheticPayload({
      inputs: ['x'],
      outputs: ['y'],
      nodes: [
        { op: 'Split', name: 'split', inputs: ['x'], outputs: ['a', 'b'] },
        { op: 'Add', name: 'add', inputs: ['a', 'b'], outputs: ['y'] },
      ],
    });
    const split = p.nodeNames.indexOf('split');
    assert.deepEqual(valuesOfSelection(p, { kind: 'node', index: split }), ['a', 'b']);
    const b = p.valueNames.indexOf('b');
    assert.deepEqual(valuesOfSelection(p, { kind: 'value', index: b }), ['b']);
    assert.deepEqual(valuesOfSelection(p, { kind: 'none', index: -1 }), []);
    assert.equal(selectionLabel(p, { kind: 'node', index: split }), 'split');
    const index = valueIndex(p);
    assert.equal(producerOf(p, index, 'y'), p.nodeNames.indexOf('add'));
    assert.equal(producerOf(p, index, 'x'), -1);
    assert.equal(producerOf(p, index, 'nope'), -1);
  });
});
