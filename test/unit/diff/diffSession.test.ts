import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisMethods } from '../../../src/analysisProcess/methods';
import { editorDiff } from '../../../src/core/diff/editorDiff';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { readModelFile } from '../../../src/core/onnx/reader';
import { DiffSession, type DiffSide } from '../../../src/host/diffSession';
import type { ChildClient } from '../../../src/rpc/childClient';
import { runtimeScript } from '../../../src/cli/runtimeCli';
import { createRuntimeClient } from '../../../src/runtime/client/runtimeClient';
import type { DiffPushMessage } from '../../../src/shared/diffView';
import { DEFAULT_SESSION_OPTIONS } from '../../../src/shared/runtimeTypes';
import { oneWeightChanged, SAMPLE_MODEL } from '../../fixtures/diffPairs';
import { makeTempDir } from '../../fixtures/onnxBuilder';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The analysis process's `diff`, answered in this process from the two files. */
function analysisOf(files: string[]): ChildClient<AnalysisMethods> {
  return {
    request: async (method: string, params: { a: number; b: number; labels: [string, string]; version: string }) => {
      assert.equal(method, 'diff');
      const [a, b] = [params.a, params.b].map((id) => analyzeModel(readModelFile(files[id]), files[id]));
      return editorDiff(a, b, { labels: params.labels, version: params.version, hashes: ['a', 'b'] });
    },
  } as unknown as ChildClient<AnalysisMethods>;
}

describe('diff session (host layer)', function () {
  this.timeout(180_000);

  it('pushes the diff and both graphs, then the behaviour of both models with the first divergence at the changed node', async () => {
    const tmp = makeTempDir('onnx-lens-diff-session-');
    const runtime = createRuntimeClient(runtimeScript(path.resolve(__dirname, '../../../src')).script, ['--import', 'tsx'], true);
    try {
      const changed = path.join(tmp.dir, 'changed.onnx');
      fs.writeFileSync(changed, oneWeightChanged(2));
      const files = [SAMPLE_MODEL, changed];
      const side = (id: number): DiffSide => ({ label: files[id], runnable: async () => files[id], release: () => undefined, open: async () => ({ id, graph: new ArrayBuffer(8), close: () => undefined }) });
      const pushed: DiffPushMessage[] = [];
      const session = new DiffSession(side(0), side(1), {
        analysis: analysisOf(files), runtime: () => runtime, push: (m) => pushed.push(m), mayRun: () => undefined,
        sessionOptions: () => DEFAULT_SESSION_OPTIONS, log: silent, version: 'test',
      });
      await session.load({ a: 'a', b: 'b' });
      assert.deepEqual(pushed.map((m) => m.type), ['diffLoading', 'diffData']);
      const data = pushed[1] as Extract<DiffPushMessage, { type: 'diffData' }>;
      assert.equal(data.data.report.weights.changed, 1);
      assert.ok(data.graphOverlay.byteLength > 0 && data.data.overlay.states.length === data.data.states.b.length, 'the overlay: b plus no ghost');
      await session.compareBehaviour(16);
      const done = pushed.find((m) => m.type === 'behaviour' || m.type === 'behaviourError')!;
      assert.equal(done.type, 'behaviour', JSON.stringify(done));
      const b = (done as Extract<DiffPushMessage, { type: 'behaviour' }>).behaviour;
      assert.equal(b.source, 'random');
      assert.equal(b.samples, 16);
      assert.equal(b.firstDivergence?.a, '/fc2/Gemm');
      assert.ok(b.nodeErrors.slice(0, 3).every((n) => n.sqnrDb === Infinity), 'nodes before the change are unchanged');
      assert.ok(b.latency && b.latency.a.p50 > 0 && b.latency.b.p50 > 0);
      assert.deepEqual(b.outputs.map((o) => o.a).sort(), ['label', 'probabilities']);
      assert.equal(session.report?.behaviour, b);
    } finally {
      runtime.dispose();
      tmp.cleanup();
    }
  });

  it('runs a side that is not on disk from the file its port provides, and releases it when closed', async () => {
    const tmp = makeTempDir('onnx-lens-diff-session-');
    const runtime = createRuntimeClient(runtimeScript(path.resolve(__dirname, '../../../src')).script, ['--import', 'tsx'], true);
    try {
      // The git: side's port hands out a private copy of its bytes, as src/extension/diff/privateCopy.ts does.
      const copy = path.join(tmp.dir, 'digits-mlp.onnx');
      const released: string[] = [];
      const gitSide: DiffSide = {
        label: 'git:/x/digits-mlp.onnx',
        runnable: async () => (fs.writeFileSync(copy, fs.readFileSync(SAMPLE_MODEL)), copy),
        release: () => released.push('a'),
        open: async () => ({ id: 0, graph: new ArrayBuffer(8), close: () => undefined }),
      };
      const changed = path.join(tmp.dir, 'changed.onnx');
      fs.writeFileSync(changed, oneWeightChanged(2));
      const files = [SAMPLE_MODEL, changed];
      const pushed: DiffPushMessage[] = [];
      const session = new DiffSession(
        gitSide,
        { label: changed, runnable: async () => changed, release: () => released.push('b'), open: async () => ({ id: 1, graph: new ArrayBuffer(8), close: () => undefined }) },
        { analysis: analysisOf(files), runtime: () => runtime, push: (m) => pushed.push(m), mayRun: () => undefined, sessionOptions: () => DEFAULT_SESSION_OPTIONS, log: silent, version: 'test' },
      );
      await session.load({ a: 'a', b: 'b' });
      await session.compareBehaviour(4);
      const done = pushed.find((m) => m.type === 'behaviour' || m.type === 'behaviourError')!;
      assert.equal(done.type, 'behaviour', JSON.stringify(done));
      assert.equal((done as Extract<DiffPushMessage, { type: 'behaviour' }>).behaviour.firstDivergence?.a, '/fc2/Gemm');
      session.dispose();
      assert.deepEqual(released.sort(), ['a', 'b']);
    } finally {
      runtime.dispose();
      tmp.cleanup();
    }
  });
});
