// Mocha reporter: the usual `spec` output, plus an exact machine-readable summary written to
// $ONNX_LENS_SUMMARY_FILE (JSON: { passed, failed, pending, tests: [{ title, state, error? }] }),
// which scripts/test-all.mjs reads instead of scraping text. Failed hooks count as failures.
// Usage: mocha --reporter scripts/vscode/mocha-summary-reporter.cjs
'use strict';
const fs = require('node:fs');
const { reporters, Runner } = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Runner.constants;

class SummaryReporter extends reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const tests = [];
    runner.on(EVENT_TEST_PASS, (t) => tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on(EVENT_TEST_FAIL, (t, err) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.message ?? err) }));
    runner.on(EVENT_TEST_PENDING, (t) => tests.push({ title: t.fullTitle(), state: 'pending' }));
    runner.once(EVENT_RUN_END, () => {
      const file = process.env.ONNX_LENS_SUMMARY_FILE;
      if (!file) return;
      const count = (state) => tests.filter((t) => t.state === state).length;
      const summary = { passed: count('passed'), failed: count('failed'), pending: count('pending'), tests };
      fs.writeFileSync(file, JSON.stringify(summary, null, 2));
    });
  }
}

module.exports = SummaryReporter;
