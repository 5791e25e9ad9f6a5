// Bundles the integration tests (test/integration/index.ts + every *.test.ts) for VS Code's extension
// host; shared by the code-server runner (run-integration.mjs) and the desktop one (run-desktop.mjs).
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './config.mjs';

const TEST_SRC = path.join(REPO_ROOT, 'test', 'integration');
export const TEST_OUT = path.join(REPO_ROOT, 'out', 'test', 'integration');

function findTestSources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return findTestSources(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Bundles the mocha entry and each test file (CommonJS; vscode/mocha/onnxruntime-node stay external). */
export async function bundleTests() {
  fs.rmSync(TEST_OUT, { recursive: true, force: true });
  const entryPoints = [path.join(TEST_SRC, 'index.ts'), ...findTestSources(TEST_SRC)];
  await esbuild.build({
    entryPoints, outdir: TEST_OUT, outbase: TEST_SRC, bundle: true, platform: 'node', format: 'cjs',
    target: 'node20', sourcemap: 'inline', external: ['vscode', 'mocha', 'onnxruntime-node'], logLevel: 'warning',
  });
  return `bundled ${entryPoints.length - 1} test file(s) into ${path.relative(REPO_ROOT, TEST_OUT)}`;
}

