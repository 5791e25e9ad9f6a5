/** Runs test/fixtures/explain_oracle.py (scikit-learn and scipy through Debian's /usr/bin/python3) on many cases in one process. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { PYTHON, requirePython } from '../../fixtures/prerequisites';

const SCRIPT = path.resolve(__dirname, '../../fixtures/explain_oracle.py');

export function explainOracle<T>(cases: object[]): Promise<T[]> {
  requirePython('sklearn, scipy, onnx, numpy', 'python3-sklearn python3-scipy python3-onnx python3-numpy');
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [SCRIPT], { maxBuffer: 256 * 1024 * 1024, timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`explain oracle failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T[]);
    });
    child.stdin?.end(JSON.stringify(cases));
  });
}
