/**
 * `npm install` needs nothing but the npm registry (docs/environment.md): onnxruntime-node's
 * install script, which downloads CUDA binaries from NuGet, must not run. npm 11 runs dependency
 * install scripts, so the project's .npmrc tells that script to skip the download; npm 12 runs only
 * those `allowScripts` in package.json approves, and onnxruntime-node's is denied there. Every other
 * dependency's install script is reviewed in the same field, so a new one cannot slip in unseen.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };

describe('packaging: dependency install scripts', () => {
  it('skips onnxruntime-node\'s CUDA download under npm 11 (.npmrc) and npm 12 (allowScripts)', () => {
    assert.match(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8'), /^onnxruntime-node-install=skip$/m);
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  });

  it('has every installed dependency\'s install script reviewed in allowScripts (npm 11.16 or later)', () => {
    const npm = spawnSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
    assert.equal(npm.status, 0, `npm install-scripts ls: ${npm.stderr}`);
    assert.match(npm.stdout, /No packages with unreviewed install scripts/, npm.stdout);
  });
});
