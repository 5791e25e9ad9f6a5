import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisMethods } from '../../../src/analysisProcess/methods';
import { behaviourPlan } from '../../../src/core/diff/behaviour';
import { diffModels } from '../../../src/core/diff/diffModels';
import { nodeStates } from '../../../src/core/diff/nodeStates';
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
      const { report, matching } = diffModels(a, b, { labels: params.labels, version: params.version });
      return { report, states: nodeStates(a.graph, b.graph, matching, report.nodes.changed), plan: behaviourPlan(a, b, matching) };
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
      const side = (id: number): DiffSide => ({ label: files[id], file: files[id], open: async () => ({ id, graph: new ArrayBuffer(8), close: () => undefined }) });
      const pushed: DiffPushMessage[] = [];
      const session = new DiffSession(side(0), side(1), {
        analysis: analysisOf(files), runtime: () => runtime, push: (m) => pushed.push(m), mayRun: () => undefined,
        sessionOptions: () => DEFAULT_SESSION_OPTIONS, log: silent, version: 'test',
      });
      await session.load({ a: 'a', b: 'b' });
      assert.deepEqual(pushed.map((m) => m.type), ['diffLoading', 'diffData']);
      const data = pushed[1] as Extract<DiffPushMessage, { type: 'diffData' }>;
      assert.equal(data.data.behaviourUnavailable, null);
      assert.equal(data.data.report.weights.changed, 1);
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

  it('says why behaviour cannot be compared when a side is not a file on disk', async () => {
    const files = [SAMPLE_MODEL, SAMPLE_MODEL];
    const pushed: DiffPushMessage[] = [];
    const session = new DiffSession(
      { label: 'git:/x/digits-mlp.onnx', file: null, open: async () => ({ id: 0, graph: new ArrayBuffer(8), close: () => undefined }) },
      { label: files[1], file: files[1], open: async () => ({ id: 1, graph: new ArrayBuffer(8), close: () => undefined }) },
      { analysis: analysisOf(files), runtime: () => { throw new Error('not used'); }, push: (m) => pushed.push(m), mayRun: () => undefined, sessionOptions: () => DEFAULT_SESSION_OPTIONS, log: silent, version: 'test' },
    );
    await session.load({ a: 'a', b: 'b' });
    const data = pushed[1] as Extract<DiffPushMessage, { type: 'diffData' }>;
    assert.match(data.data.behaviourUnavailable ?? '', /files on disk/);
    assert.match(data.data.report.headline, /^No change/);
  });
});
