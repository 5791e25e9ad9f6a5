/**
 * Overlays as data (docs/overlay-format.md): the JSON format and Model Explorer's node data, values
 * placed on nodes by name, where a value sits on the colour scale, and what the hover card says.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { OVERLAY_FORMAT, overlayToJson, parseOverlay } from '../../../src/core/overlayFile';
import { overlayMessage } from '../../../src/host/overlays';
import { aggregateByGroup, channelRange, scalePosition } from '../../../webview/graph/overlayScale';
import { ItemKind } from '../../../src/core/graphLayout/scene';
import { tooltipContent } from '../../../webview/graph/tooltipContent';
import { payloadFromFile } from './payloadFromModel';

const SAMPLE = path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx');

describe('overlay files (node name → value, with unit and scale)', () => {
  it('reads the documented format and writes it back the same', () => {
    const text = JSON.stringify({ format: OVERLAY_FORMAT, label: 'Latency on device', unit: 'µs', scale: 'linear', values: { '/fc1/Gemm': 12.5, '/fc2/Gemm': 3, gone: null }, notes: { '/fc1/Relu': 'fused into /fc1/Gemm' } });
    const data = parseOverlay(text, 'lat.json');
    assert.deepEqual([data.label, data.unit, data.scale, [...data.values], [...data.notes]], ['Latency on device', 'µs', 'linear', [['/fc1/Gemm', 12.5], ['/fc2/Gemm', 3]], [['/fc1/Relu', 'fused into /fc1/Gemm']]]);
    const again = parseOverlay(overlayToJson(data), 'lat.json');
    assert.deepEqual([...again.values], [...data.values]);
    assert.equal(again.scale, 'linear');
  });

  it('defaults the label to the file name, the unit to none and the scale to log', () => {
    const data = parseOverlay('{"values": {"a": 1}}', '/tmp/my errors.json');
    assert.deepEqual([data.label, data.unit, data.scale], ['my errors', '', 'log']);
  });

  it("reads Model Explorer's node data, with or without a graph id around it", () => {
    assert.deepEqual([...parseOverlay('{"results": {"a": {"value": 2}, "b": {"value": -1}}}', 'me.json').values], [['a', 2], ['b', -1]]);
    const nested = parseOverlay('{"main_graph": {"results": {"a": {"value": 0.5}}}}', 'me.json');
    assert.deepEqual([[...nested.values], nested.scale], [[['a', 0.5]], 'linear']);
  });

  it('says in one sentence, naming the file, what is wrong with a bad file', () => {
    const bad: [string, RegExp][] = [
      ['{"values": ', /^bad\.json: is not valid JSON/],
      ['[1, 2]', /^bad\.json: is not an overlay/],
      ['{"values": {"a": "fast"}}', /^bad\.json: has a value for node 'a' that is not a number/],
      ['{"values": {}, "scale": "cubic"}', /^bad\.json: has scale 'cubic'/],
      ['{"format": "other/2", "values": {}}', /^bad\.json: has format 'other\/2'/],
      ['{"nodes": []}', /^bad\.json: is not an overlay: it has neither/],
    ];
    for (const [text, message] of bad) assert.throws(() => parseOverlay(text, 'bad.json'), { message }, text);
  });

  it('puts values on nodes by name and counts the names no node has', () => {
    const payload = payloadFromFile(SAMPLE);
    const built = overlayMessage(payload, 'file:x', parseOverlay('{"values": {"/fc1/Gemm": 4, "/nope": 1}, "notes": {"/fc1/Relu": "fused"}}', 'x.json'));
    const gemm = payload.nodeNames.indexOf('/fc1/Gemm');
    const relu = payload.nodeNames.indexOf('/fc1/Relu');
    assert.equal(built.message.values[gemm], 4);
    assert.ok(Number.isNaN(built.message.values[relu]), 'a node without a value is NaN (drawn neutral)');
    assert.deepEqual(built.message.notes, { [relu]: 'fused' });
    assert.deepEqual([built.matched, built.unmatched], [1, ['/nope']]);
  });
});

describe('overlay colour scale', () => {
  it('spans the positive values on a log scale and every finite value on a linear one', () => {
    const values = Float64Array.from([NaN, 0, 1, 10, 100, -5]);
    assert.deepEqual(channelRange({ values, scale: 'log' }), { lo: 1, hi: 100, count: 3 });
    assert.deepEqual(channelRange({ values, scale: 'linear' }), { lo: -5, hi: 100, count: 5 });
    assert.equal(channelRange({ values: Float64Array.from([NaN]), scale: 'log' }), null);
  });

  it('places values between 0 and 1 and gives no place to missing ones (they are drawn neutral)', () => {
    assert.equal(scalePosition(10, { lo: 1, hi: 100 }, 'log'), 0.5);
    assert.equal(scalePosition(50, { lo: 0, hi: 100 }, 'linear'), 0.5);
    assert.equal(scalePosition(NaN, { lo: 1, hi: 100 }, 'log'), null);
    assert.equal(scalePosition(0, { lo: 1, hi: 100 }, 'log'), null);
    assert.equal(scalePosition(7, { lo: 7, hi: 7 }, 'linear'), 1);
  });
});

describe('the hover card', () => {
  const payload = payloadFromFile(SAMPLE);
  const gemm = payload.nodeNames.indexOf('/fc1/Gemm');

  it("names a node's op, name, output type and shape and the overlay's value", () => {
    const card = tooltipContent(payload, ItemKind.Node, gemm, { label: 'Time per node (ORT profile)', text: '2.85 ms', note: null });
    assert.equal(card.title, 'Gemm');
    assert.equal(card.subtitle, '/fc1/Gemm');
    assert.deepEqual(card.rows, [['output', 'float32 [batch, 64]'], ['Time per node (ORT profile)', '2.85 ms']]);
  });

  it('says why a node has no value when the overlay knows', () => {
    const relu = payload.nodeNames.indexOf('/fc1/Relu');
    const card = tooltipContent(payload, ItemKind.Node, relu, { label: 'Time', text: 'no value', note: 'fused into /fc1/Gemm by onnxruntime: the time is there' });
    assert.deepEqual(card.rows.at(-1), ['Time', 'no value']);
    assert.match(card.note!, /fused into \/fc1\/Gemm/);
  });

  it('calls a graph output an output', () => {
    const out = payload.graphOutputs[0];
    assert.equal(tooltipContent(payload, ItemKind.Output, out, null).subtitle, 'graph output');
  });
});

describe('overlay values of collapsed groups', () => {
  it('adds times up and takes the worst error, over the whole subtree', () => {
    // root ← a ← b; nodes: 0 in a, 1 in b, 2 in b, 3 in root.
    const p = { nodeCount: 4, nodeGroup: Uint32Array.of(1, 2, 2, 0), groupCount: 3, groupParent: Int32Array.of(-1, 0, 1) };
    const values = Float64Array.of(1, 2, NaN, 5);
    assert.deepEqual(Array.from(aggregateByGroup(p, values, 'sum')), [8, 3, 2]);
    assert.deepEqual(Array.from(aggregateByGroup(p, values, 'max')), [5, 2, 2]);
    assert.ok(Number.isNaN(aggregateByGroup(p, Float64Array.of(NaN, NaN, NaN, 1), 'sum')[1]), 'a group none of whose nodes has a value has none');
  });
});
