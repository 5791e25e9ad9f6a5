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
  'light_bvlc_alexnet.onnx': '5c251f22b5017936af222741c73888c6080662f4',
  'light_densenet121.onnx': '371acbb53cc48670c14426b9ac756f20872ad303',
  'light_inception_v1.onnx': 'cb35a53e5c50d4f19db407c556d9ab3d380e87cc',
  'light_inception_v2.onnx': 'bf97bd192dc5afc0a118b7a4d2f5bed02822f9cc',
  'light_resnet50.onnx': 'b6f88ce4d920697d9e086e231cbcd4489bfcbe0d',
  'light_shufflenet.onnx': '1d05cccd35a325268ac3c9b13de7557f4fe31e39',
  'light_squeezenet.onnx': 'ac8f98fec5c6c8bdcb4e99f916dab802ef64a9e1',
  'light_vgg19.onnx': '4e9599d2db514b364d472ccefd54430657cbf689',
  'light_zfnet512.onnx': '183191bd02e46b3de82d7d442c370f26ff90f24a',
  'transformer 3k, shared weights': 'bb01ec997df54c8fd8cac14e9509ba32c4cf0617',
  'transformer 3k': 'f518231c3959921c061cccf6d37b1106929fbcbc',
  'If with two branches': 'a53b59909b82d03422c47d1a2d8800759e352465',
  cycle: '7ec04239f541ea62edfc5a003e2c1dc371b95bb0',
  'dangling input': '4802c6594da6cc5be26090999965d330ac814ed5',
  'deep scopes': 'fe078ec66b2f8f65707657076a56c6a04396e491',
  'one wide node': 'efd2851b7cd2b79c872e59dbe3061fbbfce763e9',
  'odd names': '6c3c172885452b10f1125f4c72c58f371862d3af',
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
