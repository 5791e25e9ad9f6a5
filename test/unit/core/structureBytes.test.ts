import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { buildGraph } from '../../../src/core/graph/build';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { encodeGraphPayload } from '../../../src/shared/payloadCodec';
import { structureCases } from '../../fixtures/structureCases';

/**
 * The structure a model thread sends first (read → graph → payload with no inference → bytes),
 * as sha1 of the encoded bytes, recorded with commit 6957620, before issue 19 reworked how the
 * reader, the graph and the payload are built for speed: the rework must not change one byte.
 * A deliberate change to what a structure holds updates these and GRAPH_CACHE_VERSION.
 */
const BEFORE_ISSUE_19: Record<string, string> = {
  'light_bvlc_alexnet.onnx': 'c41dd5c5e2b633344317810d216747bce5bc4998',
  'light_densenet121.onnx': '6f502a303d6708c1fa60a0db1286462ee69e9d61',
  'light_inception_v1.onnx': 'e8fcdfc9b20e42d4f71d33a01435de1cbe6b9e5a',
  'light_inception_v2.onnx': 'aeadc8dc492b6d169361fe1d5f0c980f586a617f',
  'light_resnet50.onnx': '2b7c6d05c85fba672d05ea0f5eaa3a932b5a3b03',
  'light_shufflenet.onnx': '1645e7fa2b8a60dcfe8c84fb781c10d3d43a10eb',
  'light_squeezenet.onnx': '8bb1d8b78e49e77866fcba8460a23ab6df3d8714',
  'light_vgg19.onnx': '391d096ac760f9570552460015ed4b732aac6560',
  'light_zfnet512.onnx': '8adf96a78b21b74ab6e5ac67275efb966ecde633',
  'transformer 3k, shared weights': '9be2ce34a69fa21e514023fe241c9b105032baf7',
  'transformer 3k': 'b74e062aa8a1c9c243c93339d21ecddd2ff79585',
  'If with two branches': 'f4080944f723c9cd81ac65da0afbb0ed856f2278',
  cycle: '600ef0c6e43e8b479ccea25f7cf25e4fef2240e4',
  'dangling input': '3eb980c88c467d4619d8d17d35d426568fab5917',
  'deep scopes': 'ab4015db10763bf09068fafb8edb06a61b18a81b',
  'one wide node': '7d3a95203fd4d32502b74b5ba208c383feb5ed19',
  'odd names': '182b9e7722ef56868bbf9570bbbce259352826d1',
};

describe('graph structure bytes', () => {
  for (const { name, bytes } of structureCases()) {
    it(`encodes ${name} as it did before the open path was reworked`, () => {
      const graph = buildGraph(readModelBytes(bytes, name).info.graph);
      const encoded = new Uint8Array(encodeGraphPayload(buildGraphPayload({ graph, inference: null }, 'model.onnx', 'hash')));
      assert.equal(createHash('sha1').update(encoded).digest('hex'), BEFORE_ISSUE_19[name]);
    });
  }
});
