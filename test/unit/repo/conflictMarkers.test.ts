// A merge that left conflict markers in a file the typecheck does not see (.mjs tests, CSS, docs)
// would otherwise surface only minutes later, as a syntax error in the e2e level or a broken page.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('the repository', () => {
  it('holds no merge conflict markers in any tracked file', () => {
    let hits = '';
    try {
      // -I skips binary files; the pattern is the three marker lines git writes.
      hits = execFileSync('git', ['grep', '-n', '-I', '-E', '^(<<<<<<< |>>>>>>> |=======$)', '--', '.'], { cwd: ROOT, encoding: 'utf8' });
    } catch (e) {
      if ((e as { status?: number }).status !== 1) throw e; // 1: nothing found
    }
    assert.equal(hits, '', `conflict markers left by a merge:\n${hits}`);
  });
});
