/**
 * Issue 13, item 9: every webview → host request's parameters are checked on the host
 * (src/host/requestSchemas.ts) before a handler runs: types, ranges, absolute paths, no
 * unknown methods; one sentence back for anything else.
 */
import * as assert from 'node:assert/strict';
import { checkRequest, REQUEST_SCHEMAS } from '../../../src/host/requestSchemas';

const setup = { inputs: [{ name: 'x', dims: [1, 64], source: { kind: 'zeros' } }], options: { intraOpThreads: 0, interOpThreads: 0, graphOptimization: 'all', executionMode: 'sequential' } };

describe('security: webview requests are checked on the host (issue 13, item 9)', () => {
  const refused = (method: string, params: unknown, pattern: RegExp) =>
    assert.throws(() => checkRequest(method as never, params), (e: Error) => pattern.test(e.message) && !e.message.includes('\n'), `${method} ${JSON.stringify(params)}`);

  it('accepts well-formed requests and strips fields the protocol does not have', () => {
    assert.deepEqual(checkRequest('runModel', { ...setup, extra: 'dropped' }), setup);
    assert.deepEqual(checkRequest('nodeDetails', { node: 3 }), { node: 3 });
    assert.deepEqual(checkRequest('reload', undefined), {});
    assert.deepEqual(checkRequest('evaluate', { data: '/data/test.csv', bootstrap: 1000 }), { data: '/data/test.csv', bootstrap: 1000 });
  });

  it('refuses unknown methods, wrong types, out-of-range numbers and huge tensors', () => {
    refused('deleteEverything', {}, /unknown request method/);
    refused('__proto__', {}, /unknown request method/);
    refused('nodeDetails', { node: '3' }, /'node'/);
    refused('nodeDetails', { node: -1 }, /'node'/);
    refused('runTensorPage', { runId: 1, name: 'y', offset: 0, count: 1e12 }, /'count'/);
    refused('runModel', { ...setup, inputs: [{ ...setup.inputs[0], dims: [1e6, 1e6] }] }, /elements/);
    refused('runModel', { ...setup, options: { ...setup.options, intraOpThreads: 1e9 } }, /intraOpThreads/);
    refused('benchmark', { ...setup, settings: { warmupRuns: 1, runs: 0, budgetMs: 0, threads: [1], batches: [] } }, /runs/);
    refused('quantize', { settings: { mode: 'dynamic', sparsity: 7 } }, /sparsity/);
    refused('quantize', { settings: { mode: 'rm -rf' } }, /mode/);
  });

  it('refuses relative paths, NUL bytes and absurd lengths wherever a path is taken', () => {
    refused('evaluate', { data: 'relative/test.csv' }, /absolute path/);
    refused('evaluate', { data: '/data/a\0b.csv' }, /NUL/);
    refused('evaluate', { data: `/${'x'.repeat(5000)}` }, /'data'/);
    refused('runModel', { ...setup, inputs: [{ name: 'x', dims: [1], source: { kind: 'npy', path: '../secret.npy' } }] }, /absolute path/);
    refused('evalSamples', { data: '/d.csv', samples: Array.from({ length: 5000 }, (_, i) => ({ index: i, source: i })) }, /samples/);
    refused('quantize', { settings: { mode: 'dynamic' }, output: 'out.onnx' }, /absolute path/);
  });

  it('has a schema for every request method the protocol declares', () => {
    for (const method of ['reload', 'nodeDetails', 'tensorStats', 'tensorPage', 'runtimeSignature', 'runModel', 'captureActivations', 'runTensorPage', 'runTensorHistogram', 'runTensorSlab', 'saveTensor', 'benchmark', 'profile', 'loadOverlay', 'pickInputFile', 'saveRunSetup', 'evaluate', 'latestEvaluation', 'pickDataset', 'evalSamples', 'quantize', 'latestQuantization', 'openReport']) {
      assert.ok(Object.hasOwn(REQUEST_SCHEMAS, method), method);
    }
    // A save request names no file: where to write is the host dialog's answer.
    assert.deepEqual(checkRequest('saveTensor', { runId: 1, name: 'y', format: 'npy', path: '/etc/passwd' }), { runId: 1, name: 'y', format: 'npy' });
  });
});
