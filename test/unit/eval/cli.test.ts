/**
 * `onnx-lens eval` as CI runs it: the JSON it prints, the files it writes (and never writes), the
 * exit codes of thresholds, usage errors and bad data.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { runCli } from '../../fixtures/cliProcess';
import { linearModel, writeCsv } from './models';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const DIGITS = path.join(ROOT, 'media/sample/digits-test.csv');

const cli = (...args: string[]) => runCli('eval', ...args);

describe('onnx-lens eval', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-eval-cli-')));
  after(() => tmp.cleanup());
  const file = (name: string) => path.join(tmp.dir, name);

  it('--json prints one object with the documented metrics of the sample (accuracy 0.9667)', async () => {
    const r = await cli(SAMPLE, '--data', DIGITS, '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.n, 450);
    assert.equal(j.accuracy.toFixed(4), '0.9667');
    for (const key of ['balancedAccuracy', 'logLoss', 'ece', 'brier', 'mcc']) assert.equal(typeof j[key], 'number', key);
    for (const key of ['precision', 'recall', 'f1']) assert.deepEqual(Object.keys(j[key]).sort(), ['macro', 'micro', 'weighted'], key);
    assert.deepEqual(Object.keys(j.rocAuc).sort(), ['macro', 'weighted']);
    assert.equal(typeof j.averagePrecision.macro, 'number');
    assert.deepEqual(Object.keys(j.topK).sort(), ['1', '3', '5']);
    assert.equal(j.topK['1'], j.accuracy);
    assert.equal(j.confusionMatrix.length, 10);
    assert.equal(j.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0), 450);
    assert.equal(j.report.schema, 'onnx-lens.eval/1');
    assert.equal(j.passed, true);
    assert.equal(r.stderr, '');
  });

  it('prints a readable table, the confusion matrix with class names and a per-class table', async () => {
    const r = await cli(SAMPLE, '--data', DIGITS, '--bootstrap', '100');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /450 samples, classification \(10 classes, output 'probabilities', probabilities\)/);
    assert.match(r.stdout, /metric\s+value\s+95% CI\n\s+accuracy\s+0\.9667\s+\[0\.9\d+, 0\.9\d+\]/);
    assert.match(r.stdout, /Confusion matrix \(rows: true class, columns: predicted\)\n\s+true \\ predicted\s+0\s+1\s+2/);
    assert.match(r.stdout, /Per class\n\s+class\s+precision\s+recall\s+f1\s+support/);
  });

  it('prints the regression metrics for a regression model', async () => {
    const data = writeCsv(file('reg.csv'), ['x', 'y'], Array.from({ length: 20 }, (_, i) => [i, 2 * i + 1 + (i % 3) - 1]));
    const r = await cli(linearModel(tmp.dir, [2], 1), '--data', data, '--label', 'y', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.task, 'regression');
    assert.equal(j.n, 20);
    for (const key of ['mae', 'mse', 'rmse', 'r2', 'mape', 'maxError']) assert.equal(typeof j[key], 'number', key);
    assert.equal(j.maxError, 1);
  });

  describe('thresholds', () => {
    it('passes --fail-under limits the model meets (exit 0) and writes a JUnit test case per limit', async () => {
      const junit = file('pass.xml');
      const r = await cli(SAMPLE, '--data', DIGITS, '--fail-under', 'accuracy=0.9', '--fail-under', 'f1.macro=0.8', '--fail-under', 'logLoss=0.5', '--junit', junit);
      assert.equal(r.code, 0, r.stderr);
      const xml = fs.readFileSync(junit, 'utf8');
      assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*tests="3" failures="0"/);
      assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
      assert.match(xml, /<testcase name="accuracy &gt;= 0\.9" classname="onnx-lens\.eval\.digits-mlp\.onnx"\/>/);
      assert.match(xml, /<testcase name="logLoss &lt;= 0\.5"/);
      assert.doesNotMatch(xml, /<failure/);
    });

    it('fails (exit 3, a failed gate, not 1, a broken file) naming every broken limit on one stderr line, still writing the JUnit failures and the report', async () => {
      const junit = file('fail.xml');
      const report = file('fail.json');
      const r = await cli(SAMPLE, '--data', DIGITS, '--fail-under', 'accuracy=0.99', '--fail-under', 'f1.macro=0.8', '--fail-under', 'ece=0.01', '--junit', junit, '--report', report, '--json');
      assert.equal(r.code, 3);
      assert.equal(r.stderr, `onnx-lens: ${SAMPLE}: accuracy 0.967 < 0.99; ece 0.021 > 0.01\n`);
      const j = JSON.parse(r.stdout);
      assert.equal(j.passed, false);
      assert.deepEqual(j.failed, ['accuracy 0.967 < 0.99', 'ece 0.021 > 0.01']);
      const xml = fs.readFileSync(junit, 'utf8');
      assert.match(xml, /tests="3" failures="2"/);
      assert.match(xml, /<failure message="accuracy 0\.967 &lt; 0\.99" type="threshold">accuracy 0\.967 &lt; 0\.99 on .*digits-test\.csv \(450 samples\)<\/failure>/);
      const saved = JSON.parse(fs.readFileSync(report, 'utf8'));
      assert.deepEqual(saved.thresholds.map((t: { metric: string; passed: boolean }) => [t.metric, t.passed]), [['accuracy', false], ['f1.macro', true], ['ece', false]]);
    });

    it('refuses an unknown metric name with the valid names (exit 2), before evaluating', async () => {
      const r = await cli(SAMPLE, '--data', DIGITS, '--fail-under', 'acuracy=0.9');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^onnx-lens: --fail-under: unknown metric 'acuracy'; valid metrics are accuracy, balancedAccuracy, precision\.macro, .*, mae, mse, rmse, r2, mape, maxError\n/);
    });

    it('refuses a metric this evaluation does not have (exit 2), listing the ones it has', async () => {
      const r = await cli(SAMPLE, '--data', DIGITS, '--fail-under', 'f1.binary=0.5', '--fail-under', 'mae=1');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^onnx-lens: --fail-under: f1\.binary, mae are not a metric of this 10-class classification; its metrics are accuracy, balancedAccuracy, precision\.macro, .*topK\.5\n/);
    });
  });

  describe('files', () => {
    it('--report x.json writes the EvalReport', async () => {
      const out = file('report.json');
      const r = await cli(SAMPLE, '--data', DIGITS, '--report', out);
      assert.equal(r.code, 0, r.stderr);
      const saved = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.equal(saved.schema, 'onnx-lens.eval/1');
      assert.equal(saved.data.samples, 450);
      assert.equal(saved.thresholds, undefined);
    });

    it('--report x.html writes the standalone HTML page with the report inside (or, without a build, says to build)', async () => {
      const out = file('report.html');
      const r = await cli(SAMPLE, '--data', DIGITS, '--report', out);
      if (fs.existsSync(path.join(ROOT, 'dist/report/report.js'))) {
        assert.equal(r.code, 0, r.stderr);
        const html = fs.readFileSync(out, 'utf8');
        assert.match(html, /^<!DOCTYPE html>/i);
        assert.match(html, /<script type="application\/json" id="eval-report">\{"schema":"onnx-lens\.eval\/1"/);
      } else {
        assert.equal(r.code, 2);
        assert.match(r.stderr, /an HTML report needs the report script .* run `npm run build`/);
        assert.ok(!fs.existsSync(out));
      }
    });

    it('refuses to write a report over the model or the data (exit 2), leaving them untouched', async () => {
      const data = file('copy.csv');
      fs.copyFileSync(DIGITS, data);
      const before = fs.readFileSync(data);
      for (const args of [['--report', data], ['--junit', data], ['--report', SAMPLE]]) {
        const r = await cli(SAMPLE, '--data', data, ...args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^onnx-lens: --(report|junit) .*(copy\.csv|digits-mlp\.onnx): is the (dataset|model), an input of this command; inputs are never overwritten, choose another file\n$/);
      }
      assert.deepEqual(fs.readFileSync(data), before);
    });

    it('refuses a report that is neither .json nor .html (exit 2)', async () => {
      const r = await cli(SAMPLE, '--data', DIGITS, '--report', file('report.txt'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--report must name a \.json or \.html file/);
    });
  });

  describe('bad input: exit 1, one line naming the file, row and column, nothing written', () => {
    const digitsWith = (name: string, edit: (lines: string[]) => void) => {
      const lines = fs.readFileSync(DIGITS, 'utf8').trim().split('\n').slice(0, 30);
      edit(lines);
      fs.writeFileSync(file(name), `${lines.join('\n')}\n`);
      return file(name);
    };
    const cases: [string, () => string, string[], RegExp][] = [
      ['a missing label column', () => DIGITS, ['--label', 'digit'], /^digits-test\.csv, row 1: has no label column 'digit' \(its columns are f0, .*\); choose the label column\.$/],
      ['a non-numeric cell', () => digitsWith('text.csv', (l) => (l[7] = l[7].replace(/^(\d+,\d+,)\d+,/, '$1seven,'))), [], /^text\.csv, row 8, column f2: 'seven' is not a number\.$/],
      ['a NaN', () => digitsWith('nan.csv', (l) => (l[4] = l[4].replace(/^\d+,/, 'nan,'))), [], /^nan\.csv, row 5, column f0: 'nan' marks a missing value; fill in missing values or drop the row\.$/],
      ['a label out of range', () => digitsWith('range.csv', (l) => (l[9] = l[9].replace(/,\d+$/, ',10'))), [], /^range\.csv, row 10, column label: 10 is not a class index from 0 to 9\.$/],
      ['the wrong feature count', () => writeCsv(file('three.csv'), ['a', 'b', 'c', 'label'], [[1, 2, 3, 0]]), [], /^three\.csv: has 3 feature columns \(a, b, c\) but input 'input' \[batch, 64\] needs 64 per sample\.$/],
      ['an empty file', () => (fs.writeFileSync(file('empty.csv'), ''), file('empty.csv')), [], /^empty\.csv: is empty \(0 bytes\)\.$/],
      ['a header without rows', () => (fs.writeFileSync(file('header.csv'), `${fs.readFileSync(DIGITS, 'utf8').split('\n')[0]}\n`), file('header.csv')), [], /^header\.csv: has no data rows after its header\.$/],
      ['an unreadable file (not an .npz)', () => (fs.copyFileSync(SAMPLE, file('model.npz')), file('model.npz')), [], /^model\.npz: is not a \.npz archive \(it is not a ZIP file\)\.$/],
      ['a missing file', () => file('nope.csv'), [], /^nope\.csv: cannot be read: no such file\.$/],
    ];
    // One CLI run per case (each a CLI process and a runtime process), as many at once as there are
    // cores, all before the tests: each run gets the 60 s any run in this file has, where nine runs
    // started together once shared the first test's 60 s and timed out on a busy machine.
    const out = () => path.join(tmp.dir, 'out');
    const listing = () => [fs.readdirSync(tmp.dir).filter((f) => f !== 'out').sort(), fs.readdirSync(out()).sort()];
    const runs: { code: number | null; stdout: string; stderr: string }[] = [];
    let listed: string[][] = [];
    before(async function () {
      const parallel = Math.max(1, Math.min(os.availableParallelism(), cases.length));
      this.timeout(60_000 * Math.ceil(cases.length / parallel));
      fs.mkdirSync(out(), { recursive: true });
      const inputs = cases.map(([, make]) => make());
      listed = listing();
      let next = 0;
      await Promise.all(Array.from({ length: parallel }, async () => {
        for (let i = next++; i < inputs.length; i = next++) {
          runs[i] = await cli(SAMPLE, '--data', inputs[i], ...cases[i][2], '--report', path.join(out(), `r${i}.json`), '--junit', path.join(out(), `r${i}.xml`), '--fail-under', 'accuracy=0.5');
        }
      }));
    });
    after(() => assert.deepEqual(listing(), listed, 'no file was written'));
    cases.forEach(([label, , , pattern], i) => {
      it(label, () => {
        const r = runs[i];
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, '');
        const lines = r.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0].replace(/^onnx-lens: /, ''), pattern);
      });
    });
  });
});
