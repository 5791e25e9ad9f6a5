// The summary every test level hands to scripts/test-all.mjs: a JSON file named by
// $ONNX_LENS_SUMMARY_FILE, shaped { passed, failed, pending, tests: [{ title, state, error? }] }.
import fs from 'node:fs';

export function writeSummary(summary, file = process.env.ONNX_LENS_SUMMARY_FILE) {
  if (file) fs.writeFileSync(file, JSON.stringify(summary, null, 2));
}

export function readSummary(file) {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(s.passed) && Number.isInteger(s.failed) ? s : null;
  } catch {
    return null;
  }
}

/** Prints one line per test and the totals. */
export function printSummary(label, s) {
  for (const t of s.tests ?? []) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${t.title}${t.error ? `\n       ${t.error.split('\n')[0]}` : ''}`);
  }
  console.log(`${label}: ${s.passed} passed, ${s.failed} failed${s.pending ? `, ${s.pending} pending` : ''}`);
}
