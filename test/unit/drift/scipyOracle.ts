/**
 * Asks scipy (Debian python3-scipy via /usr/bin/python3) for the drift statistics of many cases in
 * one Python process. No skip when scipy is missing: these cross-checks are the specification of
 * core/drift, and .ci/run installs python3-scipy; a missing oracle fails, naming what to install.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { PYTHON, requirePython } from '../../fixtures/prerequisites';

const SCRIPT = path.resolve(__dirname, '../../fixtures/scipy_oracle.py');

export type ScipyCase =
  | { kind: 'ks2'; a: number[]; b: number[] }
  | { kind: 'kstwo'; n: number; x: number }
  | { kind: 'chi2'; reference: number[]; current: number[] }
  | { kind: 'chi2sf'; x: number; dof: number }
  | { kind: 'psi'; reference: number[]; current: number[] };

export function runScipy<T = unknown>(cases: ScipyCase[]): Promise<T[]> {
  requirePython('scipy, numpy', 'python3-scipy python3-numpy');
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [SCRIPT], { maxBuffer: 256 << 20, timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`scipy oracle failed: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T[]);
    });
    child.stdin?.end(JSON.stringify(cases));
  });
}

/** |a − b| ≤ rel · max(|a|, |b|), or both within abs of each other. */
export function near(a: number, b: number, rel = 1e-9, abs = 1e-14): boolean {
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}
