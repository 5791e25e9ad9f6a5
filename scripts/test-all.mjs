// `npm test`: every level, each in its own child process, continuing after failures so one run
// reports everything. Counts come from exact summaries (JSON written by the mocha summary reporter
// or the integration sentinel), never from scraping text. Typecheck and build count as one test each.
// The LAST line printed is always `N passed, N failed` (the line CI reads); the line before it says
// `N skipped`, each skipped test named above that: a test skips only where it cannot apply (another
// OS, running as root); one that lacks something CI installs fails instead
// (test/fixtures/prerequisites.ts). Exit code 1 if anything failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './vscode/exec.mjs';
import { readSummary } from './vscode/results.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTER = path.join(ROOT, 'scripts', 'vscode', 'mocha-summary-reporter.cjs');
const MIN = 60_000;

const levels = [
  { name: 'typecheck', cmd: ['npm', 'run', 'typecheck'], timeoutMs: 10 * MIN },
  { name: 'build', cmd: ['npm', 'run', 'build'], timeoutMs: 10 * MIN },
  { name: 'unit', cmd: ['npm', 'run', 'test:unit', '--', '--reporter', REPORTER], summary: true, timeoutMs: 20 * MIN },
  { name: 'integration', cmd: ['node', 'scripts/vscode/run-integration.mjs', '--no-build'], summary: true, needsBuild: true, timeoutMs: 15 * MIN },
  // One .vsix per platform, each unpacked and its native files checked (scripts/package.mjs); it also
  // writes out/onnx-lens.vsix (linux-x64), which the e2e level installs when this level passed.
  { name: 'package', cmd: ['node', 'scripts/package.mjs', '--target', 'all'], summary: true, needsBuild: true, timeoutMs: 15 * MIN },
  { name: 'e2e', cmd: ['node', 'scripts/vscode/run-e2e.mjs'], summary: true, needsBuild: true, timeoutMs: 35 * MIN },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-test-all-'));
const rows = [];
const skipped = [];
/** Failed tests, named with their first error line at the end of the output (CI may show only the tail). */
const failures = [];
let buildOk = true;
let packageOk = false;

for (const level of levels) {
  const started = Date.now();
  console.log(`\n=== ${level.name}: ${level.cmd.join(' ')} ===`);
  const row = { name: level.name, passed: 0, failed: 0, pending: 0, note: '' };
  // The package level made a production build and out/onnx-lens.vsix: e2e installs that one.
  if (level.name === 'e2e' && packageOk) level.cmd.push('--no-package');
  if (level.needsBuild && !buildOk) {
    Object.assign(row, { failed: 1, note: 'not run: the build failed' });
  } else {
    const summaryFile = path.join(tmp, `${level.name}.json`);
    let exitError = null;
    try {
      await run(level.cmd[0], level.cmd.slice(1), {
        cwd: ROOT, timeoutMs: level.timeoutMs, env: { ...process.env, ONNX_LENS_SUMMARY_FILE: summaryFile },
      });
    } catch (err) {
      exitError = err;
    }
    if (!level.summary) {
      if (exitError) Object.assign(row, { failed: 1, note: firstLine(exitError) });
      else row.passed = 1;
    } else {
      const s = readSummary(summaryFile);
      if (s) Object.assign(row, { passed: s.passed, failed: s.failed, pending: s.pending ?? 0 });
      for (const t of s?.tests ?? []) if (t.state === 'pending') skipped.push(`${level.name}: ${t.title}`);
      for (const t of s?.tests ?? []) if (t.state === 'failed') failures.push(`${level.name}: ${t.title}\n      ${firstLine(t.error ?? '')}`);
      // A non-zero exit without a recorded failure (crash, timeout, load error) still fails the level.
      if (exitError && row.failed === 0) Object.assign(row, { failed: 1, note: s ? firstLine(exitError) : `no results: ${firstLine(exitError)}` });
      if (!exitError && !s) Object.assign(row, { failed: 1, note: 'exited 0 but wrote no results' });
      if (s && row.passed + row.failed === 0) Object.assign(row, { failed: 1, note: 'no tests ran' });
    }
  }
  if (level.name === 'build') buildOk = row.failed === 0;
  if (level.name === 'package') packageOk = row.failed === 0;
  row.seconds = (Date.now() - started) / 1000;
  rows.push(row);
}
fs.rmSync(tmp, { recursive: true, force: true });

function firstLine(err) {
  return String(err.message ?? err).split('\n')[0].slice(0, 100);
}

const total = rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.pending }), { passed: 0, failed: 0, skipped: 0 });
console.log('\nlevel        passed  failed  skipped     time  note');
for (const r of rows) {
  console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.pending).padStart(7)}  ${`${r.seconds.toFixed(1)} s`.padStart(7)}  ${r.note}`);
}
if (skipped.length) console.log(`\nskipped (not applicable here):\n${skipped.map((t) => `  ${t}`).join('\n')}`);
if (failures.length) console.log(`\nfailed:\n${failures.map((t) => `  ${t}`).join('\n')}`);
console.log(`${total.skipped} skipped`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 ? 1 : 0);
