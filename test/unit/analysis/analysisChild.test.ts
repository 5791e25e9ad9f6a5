import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { AnalysisMethods } from '../../../src/analysisProcess/methods';
import { ChildClient } from '../../../src/rpc/childClient';
import { RpcError } from '../../../src/rpc/messages';
import { ownBuffer } from '../../../src/host/ownBuffer';
import { applyGraphDetails, decodeGraphDetails, decodeGraphPayload } from '../../../src/shared/payloadCodec';
import { computeScene } from '../../../src/core/graphLayout/computeScene';
import { decodeFirstView, firstViewScene } from '../../../src/core/graphLayout/firstView';
import { buildHierarchy } from '../../../src/core/graphLayout/hierarchy';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';

const ROOT = path.resolve(__dirname, '../../..');

/** A structure from the graph cache, which keeps it packed as the host posts it. */
function readStructure(file: string) {
  return decodeGraphPayload(ownBuffer(zlib.inflateRawSync(fs.readFileSync(file))));
}
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');

describe('the analysis process (models read and analysed outside the extension host)', function () {
  this.timeout(60_000);
  let client: ChildClient<AnalysisMethods>;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-graph-cache-'));
  after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
  beforeEach(() => {
    client = new ChildClient<AnalysisMethods>({
      name: 'the analysis process', script: path.join(ROOT, 'src/analysisProcess/analysisChild.ts'), execArgv: ['--import', 'tsx'], defaultTimeoutMs: 30_000,
      env: { ...process.env, ONNX_LENS_GRAPH_CACHE: cacheDir },
    });
  });
  afterEach(() => client.dispose());

  it('opens a model (structure first, then summary and details) and answers details, statistics and pages about it by id', async () => {
    const ahead: string[] = [];
    const { id, graphFile, timeline } = await client.request('open', { file: SAMPLE, name: 'digits-mlp.onnx' }, { onProgress: (p) => p.ahead && ahead.push(p.ahead) });
    const payload = readStructure(graphFile);
    // The first view, laid out before the structure was packed, came ahead of the answer.
    assert.equal(ahead.length, 1);
    const firstView = decodeFirstView(ahead[0]);
    assert.ok(firstView, 'the first view decodes');
    assert.deepEqual(firstViewScene(firstView), computeScene(payload, buildHierarchy(payload), new Set(firstView.expanded)));
    assert.ok(timeline.graphBuilt! <= timeline.firstViewLaidOut! && timeline.firstViewLaidOut! <= timeline.payloadBuilt!);
    assert.equal(payload.nodeCount, 9);
    assert.ok(payload.nodeOp instanceof Uint32Array && payload.valueProducer instanceof Int32Array);
    assert.equal(payload.fileName, 'digits-mlp.onnx');
    // Before inference only declared types are known; the details bring the inferred ones.
    const hidden = payload.valueNames.indexOf('/fc1/Relu_output_0');
    assert.equal(payload.valueShapes[hidden], '?');
    const more = await client.request('details', { id });
    assert.equal(more.summary.nodeCount, 9);
    assert.equal('values' in more.summary, false);
    applyGraphDetails(payload, decodeGraphDetails(ownBuffer(more.details)));
    assert.equal(payload.valueShapes[hidden], '[batch, 64]');
    assert.equal(payload.valueElemTypes[hidden], 'float32');
    assert.equal(payload.nodeParams[payload.nodeNames.indexOf('/fc1/Gemm')], 64 * 64 + 64);
    // The marks are in order on one clock.
    const marks = [timeline.analysisStarted!, timeline.modelRead!, timeline.graphBuilt!, timeline.payloadBuilt!, more.timeline.shapesInferred!];
    assert.deepEqual([...marks].sort((a, b) => a - b), marks);
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

  it('answers a model opened before from the graph cache, then reads it for the details', async () => {
    const copy = path.join(cacheDir, 'copy.onnx');
    fs.copyFileSync(SAMPLE, copy);
    const first = await client.request('open', { file: copy, name: 'copy.onnx' });
    assert.ok(first.timeline.modelRead, 'the first open reads the model');
    const ahead: string[] = [];
    const again = await client.request('open', { file: copy, name: 'copy.onnx' }, { onProgress: (p) => p.ahead && ahead.push(p.ahead) });
    assert.equal(again.graphFile, first.graphFile);
    assert.deepEqual(ahead, [], 'no first view is laid out for a structure from the cache (the page keeps its layout)');
    assert.equal(again.timeline.modelRead, undefined, 'the second open is answered from the cache');
    assert.deepEqual(fs.readFileSync(again.graphFile), fs.readFileSync(first.graphFile));
    const details = await client.request('details', { id: again.id });
    assert.equal(details.summary.nodeCount, 9);
    assert.equal((await client.request('nodeDetails', { id: again.id, node: 0 })).name, readStructure(again.graphFile).nodeNames[0]);
    // A changed file is a new model: its structure is read again.
    fs.appendFileSync(copy, Buffer.alloc(0));
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    const changed = await client.request('open', { file: copy, name: 'copy.onnx' });
    assert.notEqual(changed.graphFile, first.graphFile);
    assert.ok(changed.timeline.modelRead);
  });

  it('answers a reopen from the graph cache while another model\'s shape inference runs, and closing a model stops its inference', async () => {
    const small = path.join(cacheDir, 'small.onnx');
    const big = path.join(cacheDir, 'big.onnx');
    fs.copyFileSync(SAMPLE, small);
    fs.writeFileSync(big, model(transformerLike({ nodes: 20_000, shareWeights: true })));
    await client.request('close', { id: (await client.request('open', { file: small, name: 'small.onnx' })).id });
    const opened = await client.request('open', { file: big, name: 'big.onnx' });
    let inferred = false;
    const inference = client.request('details', { id: opened.id }).finally(() => (inferred = true));
    inference.catch(() => undefined); // settled below, after the close
    const reopened = await client.request('open', { file: small, name: 'small.onnx' });
    assert.equal(reopened.timeline.modelRead, undefined, 'answered from the graph cache');
    assert.equal(inferred, false, 'the reopen did not wait for the 20k-node model\'s shape inference');
    assert.equal((await client.request('details', { id: reopened.id })).summary.nodeCount, 9);
    await client.request('close', { id: opened.id });
    await assert.rejects(inference, /no longer open/);
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
    (client as unknown as { child: { process: { kill(s: string): void } } }).child.process.kill('SIGKILL');
    await assert.rejects(opening, /stopped unexpectedly \(it was killed by SIGKILL\)/);
    assert.equal(crashes.length, 1);
    assert.equal((await client.request('summarize', { file: SAMPLE })).nodeCount, 9);
  });
});
