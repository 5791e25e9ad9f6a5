/**
 * The graph structure's trip to the webview: the host packs encodeGraphPayload bytes
 * (src/host/packGraph.ts) and the page unpacks them (webview/graph/packedGraph.ts, with the
 * DecompressionStream Node has too): the same bytes come out, and the pack is much smaller.
 */
import * as assert from 'node:assert/strict';
import { packGraph } from '../../../src/host/packGraph';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { encodeGraphPayload, decodeGraphPayload } from '../../../src/shared/payloadCodec';
import { unpackGraph } from '../../../webview/graph/packedGraph';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';

describe('graph structure packed for the webview', () => {
  it('unpacks to the same bytes, a third of the size at most, for a generated 5k-node transformer', async () => {
    const opened = readModelBytes(model(transformerLike({ nodes: 5000, shareWeights: true })), 't.onnx');
    const encoded = new Uint8Array(encodeGraphPayload(buildGraphPayload({ graph: buildGraph(opened.info.graph), inference: null }, 't.onnx', 'hash')));
    const packed = await packGraph(encoded);
    assert.ok(packed.byteLength < encoded.byteLength / 3, `${packed.byteLength} bytes packed from ${encoded.byteLength}`);
    const unpacked = new Uint8Array(await unpackGraph(packed));
    assert.deepEqual(unpacked, encoded);
    assert.equal(decodeGraphPayload(unpacked.buffer as ArrayBuffer).nodeCount, opened.info.graph.nodes.length);
  });

  it('packs an empty structure too', async () => {
    assert.equal((await unpackGraph(await packGraph(new Uint8Array(0)))).byteLength, 0);
  });
});
