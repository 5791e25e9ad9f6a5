import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { encodeFrame, frameChannel } from '../../../src/rpc/frameChannel';

/** Feeds `bytes` to a channel in pieces of `size` bytes; resolves to the messages it decoded. */
function decodePieces(bytes: Buffer, size: number): unknown[] {
  const pipe = new PassThrough();
  const got: unknown[] = [];
  frameChannel(pipe, (m) => got.push(m));
  for (let at = 0; at < bytes.length; at += size) pipe.emit('data', bytes.subarray(at, at + size));
  return got;
}

function frameBytes(...messages: unknown[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => {
    const { line, binaries } = encodeFrame(m);
    return [Buffer.from(`${line}\n`), ...binaries];
  }));
}

const awkward = {
  kind: 'result',
  id: 7,
  result: {
    stats: { min: NaN, max: Infinity, low: -Infinity, count: 3 },
    big: 2n ** 70n,
    text: 'two\nlines, "quoted", ünïcode and a { brace',
    nested: [{ values: Float32Array.from([1.5, -2, NaN]) }, { ids: BigInt64Array.from([-1n, 2n ** 40n]) }],
    bytes: Buffer.from('raw bytes'),
    page: new Float64Array([0.1, 0.2, 0.3]).buffer,
    empty: new Uint8Array(0),
    halves: Uint16Array.from([1, 2, 3]),
    odd: Uint8Array.from([9, 8, 7]),
  },
};

describe('frameChannel (the pipe between a parent and its child)', () => {
  it('keeps what JSON cannot say: NaN, infinities, bigints, typed arrays, Buffers and ArrayBuffers', () => {
    const [got] = decodePieces(frameBytes(awkward), 1 << 16) as [typeof awkward];
    const r = got.result;
    assert.ok(Number.isNaN(r.stats.min));
    assert.equal(r.stats.max, Infinity);
    assert.equal(r.stats.low, -Infinity);
    assert.equal(r.stats.count, 3);
    assert.equal(r.big, 2n ** 70n);
    assert.equal(r.text, awkward.result.text);
    assert.ok(r.nested[0].values instanceof Float32Array);
    assert.deepEqual([...r.nested[0].values], [1.5, -2, NaN]);
    assert.ok(r.nested[1].ids instanceof BigInt64Array);
    assert.deepEqual([...r.nested[1].ids], [-1n, 2n ** 40n]);
    assert.ok(Buffer.isBuffer(r.bytes));
    assert.equal(r.bytes.toString(), 'raw bytes');
    assert.ok(r.page instanceof ArrayBuffer);
    assert.deepEqual([...new Float64Array(r.page)], [0.1, 0.2, 0.3]);
    assert.ok(r.empty instanceof Uint8Array && r.empty.length === 0);
    assert.deepEqual([...r.halves], [1, 2, 3]);
    assert.deepEqual([...r.odd], [9, 8, 7]);
  });

  it('decodes the same messages, in order, however the pipe splits the bytes', () => {
    const messages = [awkward, { kind: 'progress', id: 7, done: 1, total: 2, message: 'half' }, { kind: 'result', id: 8, result: new Float32Array(5000).fill(0.5) }];
    const bytes = frameBytes(...messages);
    for (const size of [1, 3, 7, 4096, bytes.length]) {
      const got = decodePieces(bytes, size) as { id: number; result?: unknown }[];
      assert.deepEqual(got.map((m) => m.id), [7, 7, 8], `pieces of ${size} bytes`);
      const last = got[2].result as Float32Array;
      assert.ok(last instanceof Float32Array && last.length === 5000 && last[4999] === 0.5, `pieces of ${size} bytes`);
    }
  });

  it('sends a plain message as one line of JSON, and a typed array from its own memory (no copy)', () => {
    const plain = encodeFrame({ kind: 'result', id: 1, result: { mean: 0.5, head: [1, 2], name: 'x' } });
    assert.equal(plain.line, '{"kind":"result","id":1,"result":{"mean":0.5,"head":[1,2],"name":"x"}}');
    const values = new Float32Array(64).subarray(8, 16);
    const { binaries } = encodeFrame({ values });
    assert.equal(binaries[0].buffer, values.buffer);
    assert.equal(binaries[0].byteOffset, values.byteOffset);
    assert.equal(binaries[0].byteLength, values.byteLength);
  });

  it('refuses a Map or a Set with a sentence instead of sending {}', () => {
    assert.throws(() => encodeFrame({ result: new Map([[1, 2]]) }), /cannot send a Map \('result'\)/);
    assert.throws(() => encodeFrame({ result: [new Set([1])] }), /cannot send a Set/);
  });

  it('carries frames both ways over one stream', async () => {
    const pipe = new PassThrough();
    const got: unknown[] = [];
    const channel = frameChannel(pipe, (m) => got.push(m));
    await new Promise<void>((resolve, reject) => channel.send({ kind: 'request', id: 3, params: { data: Int32Array.from([4, 5]) } }, (e) => (e ? reject(e) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
    const [msg] = got as { params: { data: Int32Array } }[];
    assert.deepEqual([...msg.params.data], [4, 5]);
  });
});
