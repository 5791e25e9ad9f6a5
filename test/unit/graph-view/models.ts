/** Realistic payloads shared by the graph-view tests, built once per test run (they take seconds). */
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';
import type { GraphPayload } from '../../../src/shared/graphPayload';
import { payloadFromBytes } from './payloadFromModel';

const memo = new Map<number, GraphPayload>();

/** transformerLike({ nodes, shareWeights: true }) as a payload: `/encoder/layer.N/...` scopes. */
export function transformerPayload(nodes: number): GraphPayload {
  let p = memo.get(nodes);
  if (!p) {
    p = payloadFromBytes(model(transformerLike({ nodes, shareWeights: true })), `transformer-${nodes}.onnx`);
    memo.set(nodes, p);
  }
  return p;
}
