import * as assert from 'node:assert/strict';
import { consumersOf, producersOf } from '../../../src/core/graphLayout/consumers';
import { buildSearchIndex, search } from '../../../webview/graph/search';
import { transformerPayload } from './models';
import { syntheticPayload } from './synthetic';

function sample() {
  return syntheticPayload({
    inputs: ['input'],
    outputs: ['conv_out'],
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['input'], outputs: ['conv_a'] },
      { op: 'ConvTranspose', name: 'deconv', inputs: ['conv_a'], outputs: ['up'] },
      { op: 'Relu', name: 'conv_relu', inputs: ['up', 'conv_a'], outputs: ['r'] },
      { op: 'Add', name: 'head/add', inputs: ['r', 'r'], outputs: ['conv_out'] },
    ],
  });
}

describe('graph view: search', () => {
  it('finds nodes by name, case-insensitively', () => {
    const hits = search(buildSearchIndex(sample()), 'HEAD/');
    assert.deepEqual(hits.map((h) => [h.kind, h.label, h.detail]), [['node', 'head/add', 'Add']]);
  });

  it('finds values by name with their dtype and shape', () => {
    const hits = search(buildSearchIndex(sample()), 'up').filter((h) => h.kind === 'value');
    assert.deepEqual(hits.map((h) => [h.label, h.detail]), [['up', 'float32 [1, 8]']]);
  });

  it('ranks exact matches before prefix matches before substrings, ops first within a rank', () => {
    const hits = search(buildSearchIndex(sample()), 'conv');
    assert.deepEqual(hits.slice(0, 2).map((h) => [h.kind, h.label]), [['op', 'Conv'], ['node', 'conv']]);
    const kinds = hits.map((h) => `${h.kind}:${h.label}`);
    assert.ok(kinds.indexOf('op:ConvTranspose') < kinds.indexOf('node:deconv'), 'prefix before substring');
    assert.ok(kinds.indexOf('node:conv_relu') < kinds.indexOf('node:deconv'));
  });

  it('lists the nodes of an op type with op:, exact type first, and counts nodes per op', () => {
    const index = buildSearchIndex(sample());
    assert.deepEqual(search(index, 'op:conv').map((h) => h.label), ['conv', 'deconv']);
    assert.deepEqual(search(index, 'op:ConvTranspose').map((h) => h.label), ['deconv']);
    assert.equal(search(index, 'relu').find((h) => h.kind === 'op')?.detail, '1 node');
  });

  it('returns at most `limit` hits, and nothing for an empty query', () => {
    const index = buildSearchIndex(transformerPayload(2000));
    assert.equal(search(index, 'layer', 25).length, 25);
    assert.deepEqual(search(index, '   '), []);
  });

  it('gives the producer and the consumers of a value, each consumer once', () => {
    const p = sample();
    const value = (name: string) => p.valueNames.indexOf(name);
    assert.deepEqual(producersOf(p, value('conv_a')), [0]);
    assert.deepEqual(consumersOf(p, value('conv_a')), [1, 2]);
    assert.deepEqual(consumersOf(p, value('r')), [3]);
    assert.deepEqual(producersOf(p, value('input')), []);
    assert.deepEqual(consumersOf(p, value('conv_out')), []);
  });

  // Its speed is a ratio in bench/hotPaths.bench.ts (against a bare scan of the same names).
  it('answers queries on a 100k-node transformer, capped at the limit, exact matches first', function () {
    this.timeout(60000);
    const p = transformerPayload(100000);
    const index = buildSearchIndex(p);
    for (const q of ['layer.1000/attention', 'matmul', 'op:Softmax', 'output_0', 'pooler']) {
      const hits = search(index, q);
      assert.ok(hits.length > 0 && hits.length <= 200, `${q}: ${hits.length} hits`);
    }
    const softmax = search(index, 'op:Softmax');
    assert.ok(softmax.every((h) => h.kind === 'node' && h.detail === 'Softmax'));
  });
});
