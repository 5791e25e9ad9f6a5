import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { buildGraph } from '../../../src/core/graph/build';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { encodeGraphPayload } from '../../../src/shared/payloadCodec';
import { structureCases } from '../../fixtures/structureCases';

/**
 * The structure a model thread sends first (read → graph → payload with no inference → bytes),
 * as sha1 of the encoded bytes, first recorded with commit 6957620, before issue 19 reworked how
 * the reader, the graph and the payload are built for speed: the rework must not change one byte.
 * Re-recorded when string sections gained restart points (src/shared/binarySections.ts), after
 * checking that all 17 decode to exactly what the earlier bytes decoded to.
 * A deliberate change to what a structure holds updates these and GRAPH_CACHE_VERSION.
 */
const PINNED: Record<string, string> = {
  'light_bvlc_alexnet.onnx': 'ed11bbfa5219daba88bf9ec0acb9d92346b0c506',
  'light_densenet121.onnx': 'b6ee60cdc7c2afd0a87f30c8a2ce3feacb6e3736',
  'light_inception_v1.onnx': '522f6562855e997dc1c8b400419a3103262c9edf',
  'light_inception_v2.onnx': '8c80b1e5f5ed3cf699d2084cf76def49327b9d59',
  'light_resnet50.onnx': '1d954389b09d513a386c027aebcb5ff285df4ce7',
  'light_shufflenet.onnx': '20195fe564b1ba5ce836f0581fd22cea8865bcbe',
  'light_squeezenet.onnx': '1f92cf27ba3b204d45c77a87156e8d37d7020cc9',
  'light_vgg19.onnx': '3fabf9ef97a6228289006d744cfae30e6b5cea1f',
  'light_zfnet512.onnx': 'dd96d1b50a6be711459b118a76911ea1bbdac041',
  'transformer 3k, shared weights': '64e04448459fd18f17b1dfa8f68e7982a4a117fe',
  'transformer 3k': '8f0a623ff2a243cf92499e49699717eec60e219a',
  'If with two branches': '905e5abec8e5bac737852cd2ce9d536325ab1bf5',
  cycle: 'ab9a84938b77b4ba75cca80ec5ce81da0c5ecb85',
  'dangling input': '1fb61646a163a7f47cec5d209293d75094163592',
  'deep scopes': '07e3849e08f00323695a7845f45674735acc7064',
  'one wide node': '87cbc67cfbbbfd6fad9445b1682b554e5a5ccbba',
  'odd names': '0d9fbf596c95731df579caec7d6346522b53c5d7',
};

describe('graph structure bytes', () => {
  for (const { name, bytes } of structureCases()) {
    it(`encodes ${name} as it did before the open path was reworked`, () => {
      const graph = buildGraph(readModelBytes(bytes, name).info.graph);
      const encoded = new Uint8Array(encodeGraphPayload(buildGraphPayload({ graph, inference: null }, 'model.onnx', 'hash')));
      assert.equal(createHash('sha1').update(encoded).digest('hex'), PINNED[name]);
    });
  }
});
