import * as assert from 'node:assert/strict';
import { chiSquareHomogeneity } from '../../../src/core/drift/chiSquare';
import { kolmogorovSf } from '../../../src/core/drift/kolmogorov';
import { ks2Samp } from '../../../src/core/drift/ks';
import { numericPsi } from '../../../src/core/drift/psi';
import { chiSquareSf } from '../../../src/core/drift/special';
import { createRng } from '../../../src/core/metrics/rng';
import { near, runScipy } from './scipyOracle';

/** Seeded normal samples (Box–Muller), rounded to `digits` decimals so that ties occur. */
function normals(seed: number, n: number, mean = 0, sd = 1, digits?: number): number[] {
  const rng = createRng(seed);
  const u = () => (rng.nextUint32() + 0.5) / 4294967296;
  return Array.from({ length: n }, () => {
    const v = mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return digits === undefined ? v : Number(v.toFixed(digits));
  });
}

describe('drift statistics equal scipy', function () {
  this.timeout(120_000);

  it('two-sample KS statistic and p-value equal scipy.stats.ks_2samp (exact and asymptotic, ties, unequal sizes)', async () => {
    const cases: { a: number[]; b: number[] }[] = [
      { a: normals(1, 50), b: normals(2, 50, 0.3) },
      { a: normals(3, 40), b: normals(4, 70) },
      { a: normals(5, 300, 0, 1, 1), b: normals(6, 200, 0.1, 1, 1) },
      { a: normals(7, 1000), b: normals(8, 999, 0.05) },
      { a: normals(9, 3000), b: normals(10, 2000, 0, 1.1) },
      { a: normals(11, 7), b: normals(12, 5) },
      { a: [1, 2, 3], b: [1, 2, 3] },
      { a: normals(13, 12000), b: normals(14, 9000, 0.02) },
      { a: normals(15, 20000), b: normals(16, 15000, 0.05) },
      { a: normals(17, 11000), b: normals(18, 60, 0.2) },
      { a: normals(19, 10001), b: normals(20, 130, 0.4) },
      { a: normals(21, 30000), b: normals(22, 30000, 0.001) },
    ];
    const expected = await runScipy<{ statistic: number; pValue: number }>(cases.map((c) => ({ kind: 'ks2', ...c })));
    cases.forEach((c, i) => {
      const got = ks2Samp(c.a, c.b);
      assert.ok(near(got.statistic, expected[i].statistic, 1e-12), `case ${i}: D ${got.statistic} vs scipy ${expected[i].statistic}`);
      assert.ok(near(got.pValue, expected[i].pValue, 1e-8, 1e-15), `case ${i} (${got.method}): p ${got.pValue} vs scipy ${expected[i].pValue}`);
    });
  });

  it('the Kolmogorov distribution equals scipy.stats.kstwo.sf over every method region', async () => {
    const cases: { n: number; x: number }[] = [];
    for (const n of [1, 2, 5, 10, 40, 100, 140, 141, 500, 2000, 5000, 20000, 150000]) {
      for (const x of [0.0001, 0.3 / n, 0.7 / n, 1.5 / n, 0.3 / Math.sqrt(n), 0.8 / Math.sqrt(n), 1.2 / Math.sqrt(n), 1.8 / Math.sqrt(n), 3 / Math.sqrt(n), 0.4, 0.6, 0.99]) {
        if (x > 0 && x < 1) cases.push({ n, x });
      }
    }
    const expected = await runScipy<number>(cases.map((c) => ({ kind: 'kstwo', ...c })));
    cases.forEach((c, i) => {
      const got = kolmogorovSf(c.n, c.x);
      assert.ok(near(got, expected[i], 1e-8, 1e-15), `n=${c.n} x=${c.x}: ${got} vs scipy ${expected[i]}`);
    });
  });

  it('chi-square homogeneity equals scipy.stats.chi2_contingency(correction=False)', async () => {
    const cases = [
      { reference: [10, 20, 30], current: [12, 18, 35] },
      { reference: [100, 5], current: [80, 30] },
      { reference: [50, 0, 20, 7], current: [40, 3, 0, 9] },
      { reference: [1000, 2000, 3000, 4000, 5000], current: [900, 2100, 3300, 3800, 5500] },
    ];
    const expected = await runScipy<{ statistic: number; pValue: number; dof: number }>(cases.map((c) => ({ kind: 'chi2', ...c })));
    cases.forEach((c, i) => {
      const got = chiSquareHomogeneity(c.reference, c.current);
      assert.equal(got.dof, expected[i].dof);
      assert.ok(near(got.statistic, expected[i].statistic, 1e-12), `statistic ${got.statistic} vs ${expected[i].statistic}`);
      assert.ok(near(got.pValue, expected[i].pValue, 1e-9, 1e-300), `p ${got.pValue} vs ${expected[i].pValue}`);
    });
    const sf = [{ x: 0.5, dof: 1 }, { x: 3, dof: 2 }, { x: 40, dof: 3 }, { x: 150, dof: 9 }, { x: 7.5, dof: 30 }, { x: 800, dof: 400 }];
    const sfExpected = await runScipy<number>(sf.map((c) => ({ kind: 'chi2sf', ...c })));
    sf.forEach((c, i) => assert.ok(near(chiSquareSf(c.x, c.dof), sfExpected[i], 1e-10, 1e-300), `chi2.sf(${c.x}, ${c.dof}) ${chiSquareSf(c.x, c.dof)} vs ${sfExpected[i]}`));
  });

  it('PSI over the reference deciles equals the numpy restatement of its definition', async () => {
    const cases = [
      { reference: normals(30, 2000), current: normals(31, 1500, 0.5) },
      { reference: normals(32, 500, 0, 1, 0), current: normals(33, 400, 0.2, 1, 0) },
      { reference: normals(34, 1000), current: normals(35, 1000) },
    ];
    const expected = await runScipy<number>(cases.map((c) => ({ kind: 'psi', ...c })));
    cases.forEach((c, i) => {
      const got = numericPsi(Float64Array.from(c.reference).sort(), c.current).psi;
      assert.ok(near(got, expected[i], 1e-12), `psi ${got} vs ${expected[i]}`);
    });
    assert.ok(expected[0] > 0.2 && expected[2] < 0.1, 'a half-sd shift is a significant PSI, a resample is not');
  });
});
