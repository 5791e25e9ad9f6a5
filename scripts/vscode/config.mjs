// Versions and paths shared by every script that starts a real VS Code (code-server).
// docs/environment.md says why these exact versions: code-server 4.139.1 needs Node 24.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = process.env.ONNX_LENS_CACHE || path.join(os.homedir(), '.cache', 'onnx-lens-e2e');
export const NODE24_DIR = path.join(CACHE_DIR, 'node24');
export const CS_DIR = path.join(CACHE_DIR, 'cs');
export const CS_ENTRY = path.join(CS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const NODE24_BIN = path.join(NODE24_DIR, 'bin', 'node');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const VSIX = path.join(REPO_ROOT, 'out', 'onnx-lens.vsix');
export const SAMPLE_DIR = path.join(REPO_ROOT, 'media', 'sample');
export const SAMPLE_MODEL = 'digits-mlp.onnx';
// The ONNX light models are not committed (docs/environment.md): $ONNX_LENS_FIXTURES, or the folder
// CI lays beside the checkout. test/fixtures/prerequisites.ts resolves the same folder for the TS tests.
export const FIXTURES_LIGHT = process.env.ONNX_LENS_FIXTURES || path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'onnx-light');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export const EXTENSION_ID = 'onnx-lens.onnx-lens';
export const VIEW_TYPE = 'onnxLens.modelEditor';
export const EDITOR_DISPLAY_NAME = 'ONNX Lens';

/** Logs to stderr with a tag, so stdout stays free for results. */
export function logger(tag) {
  return (...args) => console.error(`[${tag}]`, ...args);
}
