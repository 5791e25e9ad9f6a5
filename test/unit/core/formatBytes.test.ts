import * as assert from 'node:assert/strict';
import { formatBytes } from '../../../src/shared/formatBytes';
import { formatBytes as cliBytes } from '../../../src/cli/format';

describe('byte sizes (one formatter for the CLI, the host and the webview)', () => {
  it('uses binary units with three significant digits', () => {
    assert.deepEqual([0, 512, 1536, 28_774, 2.5 * 2 ** 20, 1.2 * 2 ** 40].map(formatBytes), ['0 B', '512 B', '1.5 KiB', '28.1 KiB', '2.5 MiB', '1.2 TiB']);
  });

  it('is the same function in the CLI', () => {
    assert.equal(cliBytes, formatBytes);
  });
});
