import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

describe('packaging: the CLI as the package bin that `npx onnx-lens` runs', () => {
  it('is the built dist/cli.js, and stays executable after a build (npx marks it once, when it links the checkout)', function () {
    assert.equal(path.resolve(ROOT, pkg.bin['onnx-lens']), CLI);
    if (process.platform === 'win32') this.skip();
    // `npm test` builds before the unit level; a bare unit run of a checkout that was never built has no CLI to check.
    if (!fs.existsSync(CLI)) this.skip();
    const r = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, `${CLI}: ${r.error?.message}`);
    assert.equal(r.stdout.trim(), pkg.version);
  });
});
