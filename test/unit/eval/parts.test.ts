/** The pure parts of evaluation: output choice, drill-down selection, thresholds, JUnit XML. */
import * as assert from 'node:assert/strict';
import { evaluateClassification, evaluateRegression } from '../../../src/core/metrics';
import { junitXml, xmlEscape } from '../../../src/core/report/junit';
import { chooseOutput } from '../../../src/runtime/child/eval/outputs';
import { keptIndices } from '../../../src/runtime/child/eval/reportParts';
import { checkThresholds, flatClassification, describeFailure, metricValues, flatRegression } from '../../../src/cli/evalThresholds';
import type { IoSignature } from '../../../src/shared/runtimeTypes';

const out = (name: string, elemType: string, dims: (number | string)[]): IoSignature => ({ name, elemType, dims });

describe('evaluation parts', () => {
  describe('chooseOutput', () => {
    const sample = [out('probabilities', 'float32', ['batch', 10]), out('label', 'int64', ['batch'])];

    it('reads the first float output with more than one column as class scores', () => {
      const c = chooseOutput('m.onnx', sample, 'auto');
      assert.deepEqual([c.output.name, c.task, c.role, c.columns], ['probabilities', 'classification', 'scores', 10]);
    });

    it('reads a single float column beside a predicted-class output as a binary classifier', () => {
      const c = chooseOutput('m.onnx', [out('label', 'int64', ['N']), out('p', 'float32', ['N', 1])], 'auto');
      assert.deepEqual([c.output.name, c.task, c.columns], ['p', 'classification', 1]);
    });

    it('reads an integer output alone as predicted classes, and a single float output as a regression', () => {
      assert.equal(chooseOutput('m.onnx', [out('label', 'int64', ['N'])], 'auto').role, 'labels');
      const r = chooseOutput('m.onnx', [out('y', 'float32', ['N', 1])], 'auto');
      assert.deepEqual([r.task, r.role], ['regression', 'values']);
      assert.equal(chooseOutput('m.onnx', [out('y', 'float32', ['N'])], 'classification').task, 'classification');
    });

    it('takes a named output, and names the outputs when the name is wrong', () => {
      assert.equal(chooseOutput('m.onnx', sample, 'auto', 'label').role, 'labels');
      assert.throws(() => chooseOutput('m.onnx', sample, 'auto', 'x'), /m\.onnx: has no output 'x'; its outputs are 'probabilities' \(float32 \[batch, 10\]\), 'label' \(int64 \[batch\]\)\.$/);
      assert.throws(() => chooseOutput('m.onnx', sample, 'regression', 'probabilities'), /gives 10 values per sample; a regression is evaluated on one/);
    });
  });

  describe('keptIndices', () => {
    it('keeps everything when it fits', () => {
      assert.deepEqual(Array.from(keptIndices(4, 10, () => 0)), [0, 1, 2, 3]);
    });

    it('keeps the highest priorities first, then the rest in dataset order, listed ascending', () => {
      const priority = [0, 1, 0, 5, 0, 1, 0];
      assert.deepEqual(Array.from(keptIndices(7, 3, (i) => priority[i])), [1, 3, 5]);
      assert.deepEqual(Array.from(keptIndices(7, 4, (i) => priority[i])), [0, 1, 3, 5]);
      assert.deepEqual(Array.from(keptIndices(7, 0, (i) => priority[i])), []);
    });
  });

  describe('thresholds', () => {
    const m = evaluateClassification(Int32Array.from([0, 1, 1, 0, 1]), Float64Array.from([0.9, 0.1, 0.4, 0.6, 0.2, 0.8, 0.3, 0.7, 0.1, 0.9]), 2);
    const s = flatClassification(m, null);

    it('names every metric the --json output has, binary averages included for two classes', () => {
      const names = [...metricValues(s).keys()];
      for (const n of ['accuracy', 'f1.macro', 'f1.binary', 'rocAuc.binary', 'averagePrecision.macro', 'logLoss', 'ece', 'brier', 'mcc', 'kappa']) assert.ok(names.includes(n), n);
      assert.ok(!names.some((n) => n.startsWith('topK')), 'no top-k for two classes');
    });

    it('fails a higher-is-better metric under its limit and a lower-is-better one over it', () => {
      const { results, unknown } = checkThresholds(s, [{ metric: 'accuracy', limit: 0.9 }, { metric: 'f1Macro', limit: 0.5 }, { metric: 'logLoss', limit: 0.1 }, { metric: 'mae', limit: 1 }]);
      assert.deepEqual(unknown, ['mae']);
      assert.deepEqual(results.map((r) => [r.metric, r.better, r.passed]), [['accuracy', 'higher', false], ['f1Macro', 'higher', true], ['logLoss', 'lower', false]]);
      assert.equal(describeFailure(results[0]), 'accuracy 0.8 < 0.9');
      assert.match(describeFailure(results[2]), /^logLoss 0\.\d+ > 0\.1$/);
    });

    it('never prints a failing value equal to its limit', () => {
      assert.equal(describeFailure({ metric: 'accuracy', limit: 0.9, value: 0.89999, better: 'higher', passed: false }), 'accuracy 0.89999 < 0.9');
      assert.equal(describeFailure({ metric: 'rocAuc.macro', limit: 0.9, value: null, better: 'higher', passed: false }), 'rocAuc.macro undefined (limit 0.9)');
    });

    it('checks regression metrics by their names', () => {
      const r = flatRegression(evaluateRegression(Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 5])));
      const { results } = checkThresholds(r, [{ metric: 'maxError', limit: 1 }, { metric: 'r2', limit: -2 }]);
      assert.deepEqual(results.map((x) => [x.metric, x.value, x.passed]), [['maxError', 2, false], ['r2', -1, true]]);
    });
  });

  describe('JUnit XML', () => {
    it('escapes names and messages, counts failures, and drops characters XML cannot hold', () => {
      assert.equal(xmlEscape('a<b & "c" \'d\' >\u0001'), 'a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;');
      const xml = junitXml({ name: 's', cases: [{ name: 'ok', classname: 'c' }, { name: 'x < 1', classname: 'c', failure: { message: 'x 2 > 1' } }] });
      assert.match(xml, /<testsuite name="s" tests="2" failures="1" errors="0" skipped="0">/);
      assert.match(xml, /<testcase name="x &lt; 1" classname="c">\n\s+<failure message="x 2 &gt; 1">x 2 &gt; 1<\/failure>\n\s+<\/testcase>/);
    });
  });
});
