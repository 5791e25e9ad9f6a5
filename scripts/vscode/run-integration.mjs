// `npm run test:integration`: mocha inside a real VS Code extension host (code-server), with THIS
// repo loaded as the development extension (docs/code-server.md).
//
//   node scripts/vscode/run-integration.mjs [--no-build] [--grep TEXT] [--suite NAME] [--timeout SECONDS]
//
// Suites: `default` runs test/integration/**/*.test.ts outside suites/; each other suite runs
// test/integration/suites/<name>/ in a VS Code of its own, set up the way it needs (SUITES below):
// Workspace Trust on with the folder untrusted (Restricted Mode), or native modules that cannot load.
//
// Steps: npm run build → bundle test/integration/{index,**/*.test}.ts into out/test/integration/
// → code-server with --vscode-option enable-smoke-test-driver → Chromium loads the workbench with a
// payload naming the extension and the tests → results arrive through codeAutomationLog/Exit.
// Passing needs BOTH exit code 0 and the DONE sentinel with failed=0: a crashed extension host exits 0.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { parseArgs } from 'node:util';
import { FIXTURES_LIGHT, REPO_ROOT, logger } from './config.mjs';
import { provision } from './provision.mjs';
import { createProfile, RESTRICTED_MODE_SETTINGS } from './profile.mjs';
import { npmRun, prepareWorkspace } from './project.mjs';
import { freePort, startServer } from './server.mjs';
import { launchBrowser, watchConsole } from './browser.mjs';
import { printSummary, writeSummary } from './results.mjs';
import { TEST_OUT, bundleTests } from './bundleTests.mjs';
import { sleep } from './exec.mjs';

const log = logger('integration');
const TEST_LINE = 'ONNX-LENS-IT-TEST';
const DONE_RE = /ONNX-LENS-IT-DONE passed=(\d+) failed=(\d+) pending=(\d+)/;
const FATAL_RE = [/Activating extension .* failed/i, /Extension host .* terminated unexpectedly/i];

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    grep: { type: 'string', default: '' },
    suite: { type: 'string', default: '' },
    timeout: { type: 'string', default: process.env.ONNX_LENS_IT_TIMEOUT ?? '300' },
    verbose: { type: 'boolean', default: process.env.ONNX_LENS_IT_VERBOSE === '1' },
  },
});

/**
 * How each suite's VS Code differs from the default one. `trust`: Workspace Trust on (the test
 * server otherwise starts with --disable-workspace-trust) and the folder left untrusted, without
 * the start-up prompt. `env`: the extension host's environment (its child processes inherit it).
 */
const SUITES = [
  { name: 'default' },
  { name: 'restricted', trust: true, settings: RESTRICTED_MODE_SETTINGS },
  // onnxruntime-node and sharp fail to load the way a missing binary does (src/core/nativeModules.ts).
  { name: 'no-native', env: { ONNX_LENS_FAIL_NATIVE: 'onnxruntime-node,sharp' } },
];

/** Runs one suite once; resolves to { passed, failed, pending, tests, problem? }. */
async function runInExtensionHost({ server, workspace, timeoutMs, suite }) {
  const host = `127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${REPO_ROOT}`],
    ['extensionTestsPath', `vscode-remote://${host}${path.join(TEST_OUT, 'index.js')}`],
    ['skipWelcome', 'true'],
    ['extensionEnvironment', JSON.stringify({
      ONNX_LENS_REPO: REPO_ROOT,
      ONNX_LENS_TEST_WORKSPACE: workspace,
      ONNX_LENS_FIXTURES: FIXTURES_LIGHT,
      ONNX_LENS_IT_GREP: opts.grep,
      ONNX_LENS_IT_SUITE: suite.name,
      ...suite.env,
    })],
  ];
  const tests = [];
  let done = null;
  let fatal = null;
  let started = false;
  let exitCode;
  const exited = new Promise((resolve) => { exitCode = resolve; });

  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const consoleLog = watchConsole(page, { echo: opts.verbose });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (line.startsWith(TEST_LINE)) {
        try { tests.push(JSON.parse(line.slice(TEST_LINE.length + 1))); } catch { /* partial line */ }
      } else if (DONE_RE.test(line)) {
        const m = DONE_RE.exec(line);
        done = { passed: +m[1], failed: +m[2], pending: +m[3] };
      } else if (started || opts.verbose) {
        console.log(`  [exthost ${type}] ${line}`); // mocha's own spec output and any test logging
      } else if (line.startsWith('integration: ')) {
        started = true; // from here on, output is the tests'; before, it is workbench noise
        console.log(`  ${line}`);
      }
      if (!fatal && FATAL_RE.some((re) => re.test(line))) fatal = line;
    });
    await page.exposeFunction('codeAutomationExit', (code) => exitCode(code));
    // A loaded 2-core machine can take more than Playwright's default 30 s to load the workbench.
    await page.goto(server.folderUrl(workspace, payload), { timeout: 120_000 });

    const deadline = Date.now() + timeoutMs;
    let outcome;
    while (outcome === undefined) {
      fatal ??= consoleLog.fatal();
      if (fatal) outcome = 'fatal';
      else if (Date.now() > deadline) outcome = 'timeout';
      else outcome = await Promise.race([exited, sleep(500).then(() => undefined)]);
    }
    const count = (state) => tests.filter((t) => t.state === state).length; // used when DONE never came
    const result = { passed: done?.passed ?? count('passed'), failed: done?.failed ?? count('failed'), pending: done?.pending ?? count('pending'), tests };
    if (outcome === 'fatal') result.problem = `VS Code reported: ${fatal}`;
    else if (outcome === 'timeout') result.problem = `no result within ${timeoutMs / 1000} s`;
    else if (!done) result.problem = `the extension host ended (exit ${outcome}) without the DONE line: it crashed or never ran the tests`;
    else if (outcome !== 0 && result.failed === 0) result.problem = `codeAutomationExit(${outcome}) although no test failed`;
    else if (result.passed === 0 && result.failed === 0) result.problem = 'no tests ran';
    if (result.problem) {
      result.failed += 1;
      result.tests.push({ title: 'integration run', state: 'failed', error: result.problem });
      const lines = consoleLog.lines.slice(-15).join('\n    ');
      if (lines && !opts.verbose) console.log(`  last page console lines:\n    ${lines}`);
    }
    return result;
  } finally {
    await browser.close();
  }
}

/** One suite in a VS Code (profile, workspace, server) of its own; test titles get the suite's name. */
async function runSuite(suite) {
  const profile = createProfile({ settings: suite.settings ?? {} });
  const workspace = prepareWorkspace(path.join(profile.root, 'workspace'));
  const server = await startServer({
    profile, port: await freePort(), workspace, trust: suite.trust ?? false, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  });
  let result;
  try {
    console.log(`  suite ${suite.name}`);
    result = await runInExtensionHost({ server, workspace, timeoutMs: Number(opts.timeout) * 1000, suite });
  } finally {
    await server.stop();
  }
  if (suite.name !== 'default') for (const t of result.tests) t.title = `[${suite.name}] ${t.title}`;
  if (result.failed > 0) result.kept = profile.logFile;
  else profile.remove();
  return result;
}

async function main() {
  const t0 = Date.now();
  if (!opts['no-build']) await npmRun('build');
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build`');
  log(await bundleTests());
  await provision();
  const suites = opts.suite ? SUITES.filter((s) => s.name === opts.suite) : SUITES;
  if (suites.length === 0) throw new Error(`no suite '${opts.suite}' (suites: ${SUITES.map((s) => s.name).join(', ')})`);
  const result = { passed: 0, failed: 0, pending: 0, tests: [] };
  const kept = [];
  for (const suite of suites) {
    const r = await runSuite(suite);
    // A grep that matches nothing in a suite is not a failure of that suite.
    if (opts.grep && r.passed + r.failed - (r.problem === 'no tests ran' ? 1 : 0) === 0) continue;
    result.passed += r.passed;
    result.failed += r.failed;
    result.pending += r.pending;
    result.tests.push(...r.tests);
    if (r.kept) kept.push(r.kept);
  }
  const keep = kept.length ? ` (server logs kept: ${kept.join(', ')})` : '';
  writeSummary(result);
  console.log('');
  printSummary(`integration (${((Date.now() - t0) / 1000).toFixed(1)} s)${keep}`, result);
  return result.failed > 0 ? 1 : 0;
}

process.exitCode = await main().catch((err) => {
  console.error(`integration run failed: ${err.stack ?? err}`);
  writeSummary({ passed: 0, failed: 1, pending: 0, tests: [{ title: 'integration setup', state: 'failed', error: String(err.message ?? err) }] });
  return 1;
});
// Playwright/undici handles can keep the loop alive; everything we started has been stopped.
process.exit(process.exitCode);
