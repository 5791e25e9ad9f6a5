// `npm run test:e2e`: Playwright drives a real VS Code (code-server in Debian's Chromium) with ONNX
// Lens INSTALLED FROM THE .vsix, so packaging is tested too.
//
//   node scripts/vscode/run-e2e.mjs [--no-package] [--vsix FILE] [--grep TEXT] [--timeout SECONDS]
//
// This script owns the server (started once, killed on any exit); the tests in test/e2e/*.test.mjs run
// in a mocha child process and find the server through E2E_* variables. Screenshots: test-results/e2e/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, RESULTS_DIR, VSIX, logger } from './config.mjs';
import { killGroup, onExit } from './cleanup.mjs';
import { provision } from './provision.mjs';
import { createProfile } from './profile.mjs';
import { prepareE2eWorkspace } from './e2eWorkspace.mjs';
import { packageExtension } from './project.mjs';
import { freePort, installVsix, startServer } from './server.mjs';
import { readSummary, writeSummary } from './results.mjs';

const log = logger('e2e');
const { values: opts } = parseArgs({
  options: {
    'no-package': { type: 'boolean', default: false },
    vsix: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string', default: process.env.ONNX_LENS_E2E_TIMEOUT ?? '1800' },
  },
});

/** Runs mocha on test/e2e in a child process group; resolves to its exit code (or 'timeout'). */
function runMocha(env, timeoutMs) {
  const files = fs.readdirSync(path.join(REPO_ROOT, 'test', 'e2e'))
    .filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join('test', 'e2e', f));
  const args = [path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--reporter', path.join(REPO_ROOT, 'scripts', 'vscode', 'mocha-summary-reporter.cjs'),
    '--timeout', '180000', '--exit', ...(opts.grep ? ['--grep', opts.grep] : []), ...files];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'inherit', detached: true });
  const unregister = onExit(() => killGroup(child.pid, 'SIGKILL')); // mocha and its Chromiums
  return new Promise((resolve) => {
    const timer = setTimeout(() => { killGroup(child.pid, 'SIGKILL'); resolve('timeout'); }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // a leftover browser, if any
      unregister();
      resolve(code ?? signal);
    });
  });
}

async function main() {
  const t0 = Date.now();
  const vsix = opts.vsix ? path.resolve(opts.vsix) : VSIX;
  if (!opts.vsix && !opts['no-package']) await packageExtension();
  await provision();

  const profile = createProfile();
  log(`installed: ${(await installVsix(profile, vsix)).trim()}`);
  const workspace = prepareE2eWorkspace(path.join(profile.root, 'workspace'));
  const server = await startServer({ profile, port: await freePort(), workspace });
  const resultsDir = path.join(RESULTS_DIR, 'e2e');
  fs.rmSync(resultsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const summaryFile = path.join(profile.root, 'e2e-summary.json');

  let outcome;
  try {
    outcome = await runMocha({
      E2E_ORIGIN: server.origin, E2E_WORKSPACE: workspace, E2E_SETTINGS: profile.settingsFile,
      E2E_RESULTS: resultsDir, ONNX_LENS_SUMMARY_FILE: summaryFile, E2E_VSIX: vsix,
    }, Number(opts.timeout) * 1000);
  } finally {
    await server.stop();
  }
  const summary = readSummary(summaryFile) ?? { passed: 0, failed: 0, pending: 0, tests: [] };
  if (outcome !== 0 && summary.failed === 0) {
    summary.failed += 1; // mocha died, timed out or never reported: that is a failure too
    summary.tests.push({ title: 'e2e run', state: 'failed', error: `mocha ended with ${outcome} and no failed test recorded` });
  }
  writeSummary(summary);
  const keep = summary.failed > 0 ? `; server log kept: ${profile.logFile}` : '';
  if (!keep) profile.remove();
  console.log(`e2e (${((Date.now() - t0) / 1000).toFixed(1)} s): ${summary.passed} passed, ${summary.failed} failed; screenshots in ${path.relative(REPO_ROOT, resultsDir)}/${keep}`);
  return summary.failed > 0 ? 1 : 0;
}

process.exitCode = await main().catch((err) => {
  console.error(`e2e run failed: ${err.stack ?? err}`);
  writeSummary({ passed: 0, failed: 1, pending: 0, tests: [{ title: 'e2e setup', state: 'failed', error: String(err.message ?? err) }] });
  return 1;
});
process.exit(process.exitCode);
