/**
 * A green CI must mean the tests ran. A test may skip only where it cannot apply on this
 * platform (another OS or architecture, running as root), and says so on the line of its skip;
 * one that lacks something CI installs fails instead (test/fixtures/prerequisites.ts). `npm test`
 * names the skipped tests and counts them on the line before its closing line (scripts/test-all.mjs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The conditions a skip may depend on: the platform the tests run on. */
const PLATFORM = /process\.(platform|arch|getuid)/;

function testFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) testFiles(p, out);
    else if (/\.(ts|mjs|cjs|js)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('skipped tests', () => {
  const files = testFiles(path.join(ROOT, 'test'));

  it('skip only where they cannot apply on this platform, saying why on the same line', () => {
    const bad: string[] = [];
    for (const file of files) {
      if (file === __filename) continue;
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const where = `${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`;
        if (/\b(it|describe|context)\.(skip|only)\b|\bx(it|describe)\(/.test(line)) bad.push(where);
        else if (/\.skip\(\)/.test(line) && !PLATFORM.test(line)) bad.push(where);
      });
    }
    assert.deepEqual(bad, [], 'use test/fixtures/prerequisites.ts (fail, naming what to install) instead of skipping');
  });

  it('finds the test files it checks', () => {
    assert.ok(files.length > 100, `${files.length} files under test/`);
  });
});
