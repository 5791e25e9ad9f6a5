import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mcnemarExact } from '../../../src/core/metrics/mcnemar';
import { oneWeightChanged, SAMPLE_MODEL } from '../../fixtures/diffPairs';
import { makeTempDir } from '../../fixtures/onnxBuilder';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const TEST_CSV = path.join(ROOT, 'media/sample/digits-test.csv');

function cli(...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('onnx-lens diff', function () {
  this.timeout(240_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let changed: string;
  before(() => {
    tmp = makeTempDir('onnx-lens-diff-cli-');
    changed = path.join(tmp.dir, 'changed.onnx');
    fs.writeFileSync(changed, oneWeightChanged(0.5));
  });
  after(() => tmp.cleanup());

  it('prints one JSON object with the fields the issue lists, and exits 0 without --fail-on', () => {
    const r = cli('diff', SAMPLE_MODEL, changed, '--json');
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.equal(d.schema, 'onnx-lens.diff/1');
    assert.deepEqual([d.a, d.b], [SAMPLE_MODEL, changed]);
    for (const part of ['inputs', 'outputs', 'opsets']) assert.deepEqual(Object.keys(d.signature[part]).sort(), ['added', 'changed', 'removed']);
    assert.deepEqual([d.nodes.matched, d.nodes.added, d.nodes.removed], [9, [], []]);
    assert.deepEqual(d.nodes.changed.map((c: { a: string; b: string; changes: { kind: string; name: string }[] }) => [c.a, c.b, c.changes.map((x) => `${x.kind}:${x.name}`)]), [['/fc2/Gemm', '/fc2/Gemm', ['weight:fc2.weight']]]);
    const change = d.nodes.changed[0].changes[0];
    assert.ok('before' in change && 'after' in change);
    assert.deepEqual([d.weights.identical, d.weights.changed], [7, 1]);
    assert.ok(Math.abs(d.weights.maxAbsDiff - 0.5) < 1e-6);
    for (const t of ['parameters', 'bytes', 'macs', 'nodes']) assert.deepEqual(Object.keys(d.totals[t]).sort(), ['a', 'b']);
    assert.equal(d.outputs, undefined, 'no behaviour without --data or --runs');
    assert.equal(d.passed, true);
  });

  it('exits 3 with the failing check named when a --fail-on condition holds, and 0 when none does', () => {
    const failed = cli('diff', SAMPLE_MODEL, changed, '--fail-on', 'weights', '--fail-on', 'signature');
    assert.equal(failed.code, 3, failed.stderr);
    assert.match(failed.stderr, /^onnx-lens: .*changed\.onnx: weights: 1 weight\(s\) changed, 0 added, 0 removed\n$/);
    assert.match(failed.stdout, /FAIL {2}weights/);
    assert.match(failed.stdout, /pass {2}signature/);
    assert.equal(cli('diff', SAMPLE_MODEL, SAMPLE_MODEL, '--fail-on', 'structure', '--fail-on', 'weights').code, 0);
  });

  it('exits 1 with one sentence for an unreadable side and 2 for usage', () => {
    const broken = path.join(tmp.dir, 'broken.onnx');
    fs.writeFileSync(broken, 'not a model at all');
    const r = cli('diff', SAMPLE_MODEL, broken);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /broken\.onnx/);
    assert.equal(cli('diff', SAMPLE_MODEL).code, 2);
    const bad = cli('diff', SAMPLE_MODEL, changed, '--fail-on', 'everything');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail-on must be one of structure, signature, weights, outputs=TOL, accuracy-drop=X/);
    assert.equal(cli('diff', SAMPLE_MODEL, changed, '--fail-on', 'accuracy-drop=0.01').code, 2);
    assert.equal(cli('diff', SAMPLE_MODEL, changed, '--report', changed).code, 2, 'never writes over an input');
  });

  it('writes the JSON report, the standalone HTML page and JUnit XML', () => {
    const [json, html, junit] = ['d.json', 'd.html', 'd.xml'].map((f) => path.join(tmp.dir, f));
    assert.equal(cli('diff', SAMPLE_MODEL, changed, '--report', json, '--junit', junit, '--fail-on', 'structure').code, 0);
    assert.equal(JSON.parse(fs.readFileSync(json, 'utf8')).weights.changed, 1);
    assert.match(fs.readFileSync(junit, 'utf8'), /<testcase name="diff structure"/);
    assert.equal(cli('diff', SAMPLE_MODEL, changed, '--report', html).code, 0);
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /data-testid="diff-report-page"/);
    assert.match(page, /fc2\.weight/);
    assert.doesNotMatch(page, /<script>/, 'the page runs no script');
    assert.equal(cli('diff', SAMPLE_MODEL, changed, '--report', html).code, 2, 'an existing report needs --force');
  });

  it('agrees with the quantization report on the sample vs its dynamic int8 quantization', () => {
    const q = path.join(tmp.dir, 'q.onnx');
    const quant = cli('quantize', SAMPLE_MODEL, '--mode', 'dynamic', '-o', q, '--eval', TEST_CSV, '--no-bench', '--json');
    assert.equal(quant.code, 0, quant.stderr);
    const qr = JSON.parse(quant.stdout);
    const d = cli('diff', SAMPLE_MODEL, q, '--data', TEST_CSV, '--no-bench', '--json', '--fail-on', 'accuracy-drop=0.05');
    assert.equal(d.code, 0, d.stderr);
    const r = JSON.parse(d.stdout);
    const byName = new Map(r.outputs.map((o: { a: string }) => [o.a, o]));
    for (const o of qr.comparison.outputs) {
      const mine = byName.get(o.output) as { top1: number | null; maxAbsError: number; rows: number };
      assert.ok(mine, `output ${o.output} compared`);
      assert.equal(mine.rows, o.rows);
      assert.equal(mine.top1, o.top1);
      assert.ok(Math.abs(mine.maxAbsError - o.maxAbsError) < 1e-9);
    }
    assert.ok(r.firstDivergence, 'the quantized nodes move the activations');
    assert.equal(r.metrics.metric, 'accuracy');
    assert.ok(Math.abs(r.metrics.a - qr.accuracy.before) < 1e-12 && Math.abs(r.metrics.b - qr.accuracy.after) < 1e-12);
    assert.ok(r.metrics.ci95.low <= r.metrics.delta && r.metrics.delta <= r.metrics.ci95.high);
    assert.ok(r.metrics.mcnemar.pValue > 0 && r.metrics.mcnemar.pValue <= 1);
  });

  it("computes McNemar's exact p like statsmodels", () => {
    // statsmodels.stats.contingency_tables.mcnemar([[0, 3], [11, 0]], exact=True).pvalue
    assert.ok(Math.abs(mcnemarExact(3, 11) - 0.05737304687500001) < 1e-12);
    assert.equal(mcnemarExact(0, 0), 1);
    assert.equal(mcnemarExact(5, 5), 1);
    assert.ok(mcnemarExact(0, 2000) < 1e-300 || mcnemarExact(0, 2000) === 0);
  });
});
