import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnalysisMethods } from '../../../src/analysis/methods';
import { ChildClient } from '../../../src/runtime/childClient';
import { RpcError } from '../../../src/runtime/rpcTypes';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');

describe('the analysis process (models read and analysed outside the extension host)', function () {
  this.timeout(60_000);
  let client: ChildClient<AnalysisMethods>;
  beforeEach(() => {
    client = new ChildClient<AnalysisMethods>({
      name: 'the analysis process', script: path.join(ROOT, 'src/analysis/analysisChild.ts'), execArgv: ['--import', 'tsx'], defaultTimeoutMs: 30_000,
    });
  });
  afterEach(() => client.dispose());

  it('opens a model and answers details, statistics and pages about it by id, with typed arrays intact', async () => {
    const { id, summary, payload } = await client.request('open', { file: SAMPLE, name: 'digits-mlp.onnx' });
    assert.equal(summary.nodeCount, 9);
    assert.equal(payload.nodeCount, 9);
    assert.ok(payload.nodeOp instanceof Uint32Array && payload.valueProducer instanceof Int32Array);
    const gemm = payload.nodeNames.indexOf('/fc1/Gemm');
    const details = await client.request('nodeDetails', { id, node: gemm });
    assert.equal(details.opType, 'Gemm');
    assert.deepEqual(details.inputs.map((i) => i.param), ['A', 'B', 'C']);
    const stats = await client.request('tensorStats', { id, value: 'fc1.weight' });
    assert.equal(stats.elements, 4096);
    const page = await client.request('tensorPage', { id, value: 'fc1.weight', offset: 0, count: 10 });
    assert.equal(new Float64Array(page.buffer).length, 10);
    assert.deepEqual(await client.request('close', { id }), { closed: true });
    await assert.rejects(client.request('nodeDetails', { id, node: 0 }), /no longer open/);
  });

  it('answers a broken file with one sentence naming it, and keeps serving', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-analysis-')), 'broken.onnx');
    fs.writeFileSync(file, Buffer.from('{"not": "an onnx model at all"}'));
    await assert.rejects(client.request('open', { file, name: 'broken.onnx' }), (e: Error) =>
      e instanceof RpcError && e.message === `${file}: is not an ONNX model: it looks like JSON text` && !e.message.includes('\n'));
    assert.equal((await client.request('summarize', { file: SAMPLE })).nodeCount, 9);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('starts a fresh process after the old one is killed', async () => {
    await client.request('summarize', { file: SAMPLE });
    const crashes: string[] = [];
    client.onCrash = (d) => crashes.push(d);
    const opening = client.request('open', { file: SAMPLE, name: 'x' });
    // Kill it while it works: the pending request fails with a clear sentence, the next one works.
    (client as unknown as { child: { kill(s: string): void } }).child.kill('SIGKILL');
    await assert.rejects(opening, /stopped unexpectedly \(it was killed by SIGKILL\)/);
    assert.equal(crashes.length, 1);
    assert.equal((await client.request('summarize', { file: SAMPLE })).nodeCount, 9);
  });
});
