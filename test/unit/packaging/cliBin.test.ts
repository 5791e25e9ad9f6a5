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
    if (process.platform === 'win32') this.skip(); // Windows runs a bin through npm's .cmd shim, not by its mode
    // `npm test` builds before its unit level.
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
    const r = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, `${CLI}: ${r.error?.message}`);
    assert.equal(r.stdout.trim(), pkg.version);
  });
});
