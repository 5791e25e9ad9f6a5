/**
 * Asks scikit-learn (Debian python3-sklearn via /usr/bin/python3) for the metrics of many cases in
 * ONE Python process — importing sklearn costs ~1 s, so one process per case would not do.
 *
 * There is no skip when sklearn is missing: these cross-checks are the specification of the
 * metrics core, and CI installs python3-sklearn. A missing oracle fails loudly.
 */
import { execFile } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(__dirname, '../../fixtures/sklearn_oracle.py');

export interface ClassificationCase {
  task: 'classification';
  y_true: number[];
  scores: number[];
  k: number;
  positive_class?: number;
  bins?: number;
}

export interface RegressionCase {
  task: 'regression';
  y_true: number[];
  y_pred: number[];
  bins?: number;
}

export interface MultilabelCase {
  task: 'multilabel';
  y_true: number[];
  scores: number[];
  k: number;
  threshold?: number;
}

export type OracleCase = ClassificationCase | RegressionCase | MultilabelCase;

/** A JSON value as the oracle prints it (NaN already turned into null). */
export type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

export function runOracle(cases: OracleCase[]): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [SCRIPT],
      { maxBuffer: 512 * 1024 * 1024, timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`scikit-learn oracle failed (is python3-sklearn installed for ${PYTHON}?): ${err.message}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(stdout) as Json[]);
      },
    );
    child.stdin?.end(JSON.stringify(cases));
  });
}

/** |a − b| ≤ 1e-9 · max(|a|, |b|), or both within 1e-12 of each other (values near 0). */
export function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
}

/**
 * Asserts that `actual` matches the oracle's `expected` field by field: numbers to 1e-9 relative,
 * null exactly, arrays element-wise with equal lengths. Fields absent from `expected` are not
 * compared (the oracle answers only what scikit-learn defines).
 */
export function assertMatches(actual: unknown, expected: Json, where = 'result'): void {
  if (expected === null) {
    assert.equal(actual, null, `${where}: expected null (undefined in scikit-learn), got ${JSON.stringify(actual)}`);
  } else if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${where}: expected ${expected}, got ${JSON.stringify(actual)}`);
    assert.ok(close(actual as number, expected), `${where}: ${actual as number} vs scikit-learn ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected an array`);
    const arr = actual as unknown[];
    assert.equal(arr.length, expected.length, `${where}: length ${arr.length} vs scikit-learn ${expected.length}`);
    expected.forEach((e, i) => assertMatches(arr[i], e, `${where}[${i}]`));
  } else if (typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, e] of Object.entries(expected)) assertMatches((actual as Record<string, unknown>)[key], e, `${where}.${key}`);
  } else {
    assert.equal(actual, expected, where);
  }
}

/** The oracle's answer for one field, as an object (test helper). */
export function field(result: Json, key: string): Json {
  assert.ok(result !== null && typeof result === 'object' && !Array.isArray(result), 'oracle result is not an object');
  return (result as { [key: string]: Json })[key];
}

/** Every number in a JSON-bound value is finite (JSON has no NaN or Infinity), and it survives a round trip. */
export function assertJsonSafe(value: unknown, where = 'result'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertJsonSafe(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${where}.${k}`);
  if (where === 'result') assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}
