/**
 * `onnx-lens quantize` and the editor's Quantize tab run the same quantize-and-measure
 * (src/host/quantizeAndMeasure.ts): for the same settings they produce the same report, field for
 * field, except when it was made, how long it took and where the output went. Both fill the
 * accuracy change's bootstrap interval, and both remove the written model when measuring fails.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quantizeCommand } from '../../../src/cli/quantize';
import type { QuantReport } from '../../../src/shared/quantReport';
import { quantizeAndMeasure } from '../../../src/host/quantizeAndMeasure';
import { quantizeRequests } from '../../../src/host/quantizeRequests';
import type { RequestContext } from '../../../src/host/requestHandlers';
import { standaloneModelPorts } from '../../fixtures/hostPorts';
import { OPTIONS, useRuntime } from '../../fixtures/runtimeModels';
import { DIGITS_TEST, ROOT, SAMPLE } from '../quantize/models';
import { regressionModel } from './models';

const context = (): RequestContext => ({ signal: new AbortController().signal, progress: () => {} });

/** The CLI's command in this process, its printing kept out of the test's output. */
async function cli(model: string, options: Record<string, unknown>): Promise<QuantReport> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await quantizeCommand(path.join(ROOT, 'src'), model, { op: [], excludeOp: [], excludeNode: [], nodePrecision: [], ...options });
  } finally {
    process.stdout.write = write;
  }
}

/**
 * The report without what differs between two runs by nature: timestamps, durations, latencies,
 * the output's path. The CLI's settings list no excluded ops or nodes as `[]`, the editor's leave
 * them out: the same settings.
 */
function comparable(report: QuantReport): unknown {
  const r = JSON.parse(JSON.stringify(report)) as QuantReport;
  const { createdAt: _c, timing: _t, output: { path: _p, ...output }, latency, settings, ...rest } = r;
  const runs = latency && { batch: latency.batch, runsBefore: latency.before.runs, runsAfter: latency.after.runs };
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
  return { ...rest, settings: given, output, runs };
}

describe('quantize: the CLI and the editor run one quantize-and-measure', function () {
  this.timeout(240_000);
  const env = useRuntime('quant-parity');

  it('produce the same report for the same settings (all but timings and paths), with the accuracy interval in both', async () => {
    const model = path.join(env.dir, 'digits-mlp.onnx');
    fs.copyFileSync(SAMPLE, model);
    const settings = { mode: 'dynamic' as const, perChannel: true, symmetric: true };
    const fromCli = await cli(model, { mode: 'dynamic', perChannel: true, symmetric: true, output: path.join(env.dir, 'cli.int8.onnx'), eval: DIGITS_TEST, label: 'label', benchRuns: '100' });
    const reports = path.join(env.dir, 'reports');
    const ports = standaloneModelPorts({ model, runtime: () => env.rpc, reportsFolder: reports });
    const { report: fromEditor, savedTo } = await quantizeRequests(ports).quantize({ settings, evalData: DIGITS_TEST, labelColumn: 'label' }, context());

    assert.deepEqual(comparable(fromEditor), comparable(fromCli));
    for (const r of [fromCli, fromEditor]) {
      const a = r.accuracy!;
      assert.ok(a.deltaCi && a.deltaCi.low <= a.delta && a.delta <= a.deltaCi.high && a.deltaCi.level === 0.95, JSON.stringify(a));
      assert.ok(r.latency && r.latency.before.p50 > 0 && r.latency.after.p50 > 0);
      assert.ok(fs.existsSync(r.output.path), r.output.path);
    }
    assert.equal(path.dirname(fromEditor.output.path), reports);
    assert.ok(savedTo && fs.existsSync(savedTo.json) && fs.existsSync(savedTo.html));
    assert.deepEqual(ports.produced.quant, [fromEditor]);
    assert.ok(ports.pushed.length === 0, 'no overlay without a graph on show');
  });

  it('remove the written model when measuring fails, and say why in one sentence', async () => {
    // Labels that are not class indices: the rewrite and the comparison succeed, the accuracy fails.
    const { model, data } = regressionModel(env.dir);
    const failure = /reg\.csv, row \d+, column label: .* is not a class index/;
    const cliOut = path.join(env.dir, 'cli-reg.onnx');
    await assert.rejects(cli(model, { mode: 'dynamic', output: cliOut, eval: data, bench: false }), failure);
    assert.ok(!fs.existsSync(cliOut), 'the CLI left the model behind');
    const reports = path.join(env.dir, 'reg-reports');
    const ports = standaloneModelPorts({ model, runtime: () => env.rpc, reportsFolder: reports });
    await assert.rejects(Promise.resolve(quantizeRequests(ports).quantize({ settings: { mode: 'dynamic' }, evalData: data }, context())), failure);
    assert.deepEqual(fs.readdirSync(reports), [], 'the editor left the model behind');
    assert.deepEqual(ports.produced.quant, []);
  });

  it('remove the written model when keeping the report fails (a disk that filled up) or the work was cancelled', async () => {
    const output = path.join(env.dir, 'kept.int8.onnx');
    const job = { input: path.join(env.dir, 'digits-mlp.onnx'), output, settings: { mode: 'dynamic' as const } };
    await assert.rejects(quantizeAndMeasure(env.rpc, { job, options: OPTIONS, benchRuns: null }, {}, () => {
      assert.ok(fs.existsSync(output), 'written before the report is kept');
      throw new Error('ENOSPC: no space left on device');
    }), /ENOSPC/);
    assert.ok(!fs.existsSync(output));
    const abort = new AbortController();
    const progress = (_d: number, _t: number, message: string) => {
      if (message === 'benchmarking both models') abort.abort();
    };
    await assert.rejects(quantizeAndMeasure(env.rpc, { job, options: OPTIONS, benchRuns: 50 }, { signal: abort.signal, progress }, () => null), /cancelled/);
    assert.ok(!fs.existsSync(output));
  });
});
