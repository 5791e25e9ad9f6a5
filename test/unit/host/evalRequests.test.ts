/**
 * The Evaluate tab's requests and the view's own (details, reports, overlays, quantize refusals)
 * answered by the host layer (src/host/) on fake ports: evaluate-and-save, the mapping remembered
 * per model and dataset, drill-down only into what was evaluated, Restricted Mode first, reports
 * opened only from the reports folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { callHandler, type RequestContext } from '../../../src/host/requestHandlers';
import { modelRequests } from '../../../src/host/modelRequests';
import type { OverlayMessage } from '../../../src/shared/protocol';
import { readModelFile } from '../../../src/core/onnx/reader';
import { analyseInProcess, standaloneModelPorts, type StandalonePortsOptions } from '../../fixtures/hostPorts';
import { SAMPLE, useRuntime } from '../../fixtures/runtimeModels';

const context = (): RequestContext => ({ signal: new AbortController().signal, progress: () => {} });
const TEST_CSV = path.join(path.dirname(SAMPLE), 'digits-test.csv');

describe('host: the Evaluate tab\'s and the view\'s requests', function () {
  this.timeout(120_000);
  const env = useRuntime('host-eval');
  let model: string;
  let reports: string;
  const ports = (more: Partial<StandalonePortsOptions> = {}) => standaloneModelPorts({ model, runtime: () => env.rpc, reportsFolder: reports, ...more });

  before(() => {
    model = path.join(env.dir, 'digits-mlp.onnx');
    fs.copyFileSync(SAMPLE, model);
    reports = path.join(env.dir, 'reports');
    fs.mkdirSync(reports);
  });

  it('evaluates, saves JSON and HTML, remembers the mapping, and finds the report again as the latest', async () => {
    const p = ports();
    const handlers = modelRequests(p);
    const { report, savedTo } = await callHandler(handlers, 'evaluate', { data: TEST_CSV, bootstrap: 50 }, context());
    assert.equal(report.data.samples, 450);
    assert.ok(report.classification!.accuracy > 0.9);
    assert.ok(savedTo && fs.existsSync(savedTo.json) && fs.existsSync(savedTo.html));
    assert.match(fs.readFileSync(savedTo.html, 'utf8'), /\/\* report script \*\//);
    assert.deepEqual(p.produced.eval, [report]);
    assert.deepEqual(p.store.get(`onnxLens.evalMapping:file://${model}|${TEST_CSV}`), report.mapping);
    const latest = await callHandler(modelRequests(ports()), 'latestEvaluation', {}, context());
    assert.deepEqual(latest?.savedTo, savedTo);
  });

  it('reads samples and opens them only for data this model was evaluated on', async () => {
    const handlers = modelRequests(ports());
    const other = path.join(env.dir, 'other.csv');
    fs.copyFileSync(TEST_CSV, other);
    await assert.rejects(Promise.resolve(callHandler(handlers, 'evalSamples', { data: other, samples: [{ index: 0, source: 2 }] }, context())), /not a dataset this model was evaluated on/);
    await assert.rejects(Promise.resolve(callHandler(handlers, 'openSample', { data: other, source: 2, index: 0 }, context())), /other\.csv is not a dataset this model was evaluated on/);
    // The saved report makes the test split known to a fresh view.
    const { samples } = await callHandler(handlers, 'evalSamples', { data: TEST_CSV, samples: [{ index: 0, source: 2 }] }, context());
    assert.equal(samples[0].values?.length, 64);
    assert.deepEqual(await callHandler(handlers, 'openSample', { data: TEST_CSV, source: 2, index: 0 }, context()), { opened: `${TEST_CSV}:2` });
  });

  it('refuses drill-down in Restricted Mode before looking at the data', async () => {
    const handlers = modelRequests(ports({ trusted: false }));
    await assert.rejects(Promise.resolve(callHandler(handlers, 'evalSamples', { data: '/nowhere.csv', samples: [] }, context())), /Restricted Mode/);
  });

  it('lists a dataset\'s columns with the label column it would pick', async () => {
    const { columns, label, format } = await callHandler(modelRequests(ports()), 'datasetColumns', { data: TEST_CSV }, context());
    assert.equal(label, 'label');
    assert.equal(columns.length, 65);
    assert.equal(format, 'csv');
  });

  it('has no saved reports for a model that is not on the disk', async () => {
    const handlers = modelRequests(standaloneModelPorts({ model: null, runtime: () => env.rpc, reportsFolder: reports }));
    assert.equal(await callHandler(handlers, 'latestEvaluation', {}, context()), null);
    assert.equal(await callHandler(handlers, 'latestQuantization', {}, context()), null);
  });

  it('opens reports of the reports folder only', async () => {
    const p = ports();
    const inside = path.join(reports, 'x.eval.json');
    await callHandler(modelRequests(p), 'openReport', { path: inside }, context());
    assert.deepEqual(p.opened, [inside]);
    await assert.rejects(Promise.resolve(callHandler(modelRequests(p), 'openReport', { path: path.join(env.dir, 'page.html') }, context())), /page\.html is not a report of this model's reports folder/);
    await assert.rejects(Promise.resolve(callHandler(modelRequests(p), 'openReport', { path: path.join(reports, '..', 'x.json') }, context())), /not a report/);
  });

  it('answers node details and tensor pages from the analysed model, and loads an overlay file onto its graph', async () => {
    const { analysed } = analyseInProcess(readModelFile(model));
    const overlay = path.join(env.dir, 'overlay.json');
    fs.writeFileSync(overlay, JSON.stringify({ label: 'Cost', unit: 'ms', values: { '/fc1/Gemm': 2, '/nowhere': 1 } }));
    const p = ports({ analysed: async () => analysed, payload: () => analysed.payload, picks: { overlay } });
    const handlers = modelRequests(p);
    const at = analysed.payload.nodeNames.indexOf('/fc1/Gemm');
    assert.equal((await callHandler(handlers, 'nodeDetails', { node: at }, context())).opType, 'Gemm');
    const weight = (await callHandler(handlers, 'nodeDetails', { node: at }, context())).inputs.find((i) => i.isInitializer)!.name;
    assert.equal((await callHandler(handlers, 'tensorStats', { value: weight }, context())).elements, 64 * 64);
    assert.equal((await callHandler(handlers, 'tensorPage', { value: weight, offset: 0, count: 10 }, context())).buffer.byteLength, 80);
    assert.deepEqual(await callHandler(handlers, 'loadOverlay', {}, context()), { label: 'Cost', matched: 1, unmatched: 1, unmatchedNames: ['/nowhere'] });
    const pushed = p.pushed[0] as OverlayMessage;
    assert.equal(pushed.channel, 'file:Cost');
    assert.equal(pushed.values[at], 2);
    assert.equal(await callHandler(modelRequests(ports({ analysed: async () => analysed })), 'loadOverlay', {}, context()), null);
  });

  it('refuses a Quantize tab request that names where to write, and writes nothing', async () => {
    const handlers = modelRequests(ports());
    const before = fs.readdirSync(env.dir);
    for (const params of [{ output: path.join(env.dir, 'x.onnx') }, { overwrite: true }]) {
      await assert.rejects(Promise.resolve(callHandler(handlers, 'quantize', { settings: { mode: 'dynamic' }, ...params }, context())), /the Quantize tab cannot choose the output file/);
    }
    assert.deepEqual(fs.readdirSync(env.dir), before);
  });
});
