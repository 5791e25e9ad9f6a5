import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GraphCache } from '../../../src/analysisProcess/graphCache';
import { decodeSections, encodeSections } from '../../../src/shared/binarySections';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { encodeGraphPayload, decodeGraphPayload } from '../../../src/shared/payloadCodec';
import { unpackGraph } from '../../../webview/graph/packedGraph';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';

describe('the graph cache (encoded structures of models opened before)', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-graph-cache-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** Stores `name`: a message of `bytes` random bytes (they stay that size packed), at time `at` (mtimes order the files). */
  function store(cache: GraphCache, name: string, bytes: number, at: number): string {
    const file = cache.store(`hash-${name}`, name, new Uint8Array(encodeSections({}, { r: new Uint8Array(randomBytes(bytes)) })));
    fs.utimesSync(file, at, at);
    return file;
  }

  it('keeps the most recently used structures within a byte budget, the newest whatever its size', () => {
    const cache = new GraphCache(folder, { files: 10, bytes: 1000 });
    store(cache, 'a', 400, 1);
    store(cache, 'b', 400, 2);
    assert.ok(cache.lookup('hash-a', 'a'), 'two fit');
    fs.utimesSync(cache.pathFor('hash-a', 'a'), 3, 3); // a used again: b is now the oldest
    store(cache, 'c', 400, 4);
    assert.equal(cache.lookup('hash-b', 'b'), undefined, 'the least recently used one went');
    assert.ok(cache.lookup('hash-a', 'a') && cache.lookup('hash-c', 'c'));
    store(cache, 'huge', 5000, 10);
    assert.ok(cache.lookup('hash-huge', 'huge'), 'the one just stored stays');
    assert.deepEqual(fs.readdirSync(folder).filter((f) => f.endsWith('.graph')).length, 1);
  });

  it('keeps at most the given number of files', () => {
    const cache = new GraphCache(folder, { files: 3, bytes: 1 << 30 });
    for (let i = 0; i < 5; i++) store(cache, `m${i}`, 10, i + 1);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => cache.lookup(`hash-m${i}`, `m${i}`) !== undefined), [false, false, true, true, true]);
  });

  // The file is what the host posts to the webview as it is, and what the page unpacks
  // (webview/graph/packedGraph.ts, with the DecompressionStream Node has too).
  it('stores the structure delta-coded and packed: the page unpacks and decodes it to the same payload, under a tenth of the size', async () => {
    const opened = readModelBytes(model(transformerLike({ nodes: 5000, shareWeights: true })), 't.onnx');
    const encoded = new Uint8Array(encodeGraphPayload(buildGraphPayload({ graph: buildGraph(opened.info.graph), inference: null }, 't.onnx', 'hash')));
    const packed = fs.readFileSync(new GraphCache(folder).store('hash', 't.onnx', encoded));
    // Deflate alone packed this structure to a third; the deltas take it under a tenth.
    assert.ok(packed.byteLength < encoded.byteLength / 10, `${packed.byteLength} bytes packed from ${encoded.byteLength}`);
    const unpacked = await unpackGraph(packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength));
    assert.deepEqual(decodeGraphPayload(unpacked), decodeGraphPayload(encoded.slice().buffer));
    assert.deepEqual(new Uint8Array(unpacked), encoded, 'decoding restored the encoded bytes in place');
    assert.equal(decodeGraphPayload(unpacked).nodeCount, opened.info.graph.nodes.length, 'and decodes again as it is');
  });

  it('stores a structure with no sections too', async () => {
    const empty = new Uint8Array(encodeSections({ nothing: true }, {}));
    const packed = fs.readFileSync(new GraphCache(folder).store('hash', 'empty.onnx', empty));
    const unpacked = await unpackGraph(packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength));
    assert.deepEqual(decodeSections(unpacked).header, { nothing: true });
  });
});
