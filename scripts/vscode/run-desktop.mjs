// `npm run test:desktop`: the same integration suite in desktop VS Code, through @vscode/test-electron.
// It downloads VS Code from update.code.visualstudio.com, which this project's CI machines cannot
// reach (docs/environment.md), so CI runs the code-server path (`npm run test:integration`) instead;
// use this one on a workstation with internet access.
//
//   node scripts/vscode/run-desktop.mjs [--version stable|insiders|1.139.1]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { FIXTURES_LIGHT, REPO_ROOT, logger } from './config.mjs';
import { TEST_OUT, bundleTests } from './bundleTests.mjs';
import { npmRun, prepareWorkspace } from './project.mjs';

const log = logger('desktop');
const { values: opts } = parseArgs({ options: { version: { type: 'string', default: 'stable' } } });

await npmRun('build');
log(await bundleTests());
const workspace = prepareWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-desktop-')));
try {
  await runTests({
    version: opts.version,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(TEST_OUT, 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { ONNX_LENS_REPO: REPO_ROOT, ONNX_LENS_TEST_WORKSPACE: workspace, ONNX_LENS_FIXTURES: FIXTURES_LIGHT },
  });
  log('all integration tests passed in desktop VS Code');
} catch (err) {
  const offline = /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(String(err?.message ?? err));
  console.error(offline
    ? 'desktop: cannot download VS Code (no route to update.code.visualstudio.com); run `npm run test:integration` (code-server) instead'
    : `desktop: ${err?.message ?? err}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
