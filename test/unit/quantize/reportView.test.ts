import * as assert from 'node:assert/strict';
import { excludedNodes } from '../../../src/shared/quantReport';

describe('quantize report view', () => {
  it('counts excluded nodes, not op types, so the headline agrees with the node table', () => {
    const skipped = [
      { node: 'conv1', opType: 'Conv', reason: 'op type Conv is excluded' },
      { node: 'conv2', opType: 'Conv', reason: 'op type Conv is excluded' },
      { node: '/fc3/Gemm', opType: 'Gemm', reason: 'excluded by name' },
      { node: 'mm', opType: 'MatMul', reason: 'its weight is not a constant' },
    ];
    assert.equal(excludedNodes({ skipped }), 3);
  });
});
