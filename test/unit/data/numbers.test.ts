import * as assert from 'node:assert/strict';
import { parseDecimal, parseFloat32Bytes, scanFloat32 } from '../../../src/core/data/numbers';
import { mulberry32 } from '../../fixtures/bigModels';

const enc = new TextEncoder();
const parse = (text: string) => {
  const b = enc.encode(text);
  return parseFloat32Bytes(b, 0, b.length);
};
/** What the float32 feature must be: JavaScript's own parse, rounded to float32. */
const reference = (text: string) => Math.fround(parseDecimal(text.trim()));

describe('data/numbers', () => {
  it('parses integers, decimals, signs, exponents and surrounding spaces like Number()', () => {
    for (const text of ['0', '-0', '7', '+7', '-12', '16', '3.25', '-0.5', '.5', '5.', '1e5', '1E+05', '2.5e-3', '  42 ', '1.000000000000000000e+00', '-9.999999999999999e+22', 'Infinity', '-Infinity']) {
      assert.ok(Object.is(Math.fround(parse(text)), reference(text)), text);
    }
  });

  it('gives NaN for empty cells, missing-value markers and anything not decimal', () => {
    for (const text of ['', '   ', 'NaN', 'nan', 'NA', 'abc', '1e', 'e5', '-', '.', '1 2', '0x1F', '0b1', '1,5', '--1', '1e5.5']) {
      assert.ok(Number.isNaN(parse(text)), JSON.stringify(text));
    }
  });

  it('matches Number() rounded to float32 on 200k random numbers of every length, including 17-19 digit mantissas', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 200_000; i++) {
      const kind = i % 5;
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
      const text =
        kind === 0 ? String(Math.round(x * 1000))
        : kind === 1 ? String(x)
        : kind === 2 ? x.toExponential(18)
        : kind === 3 ? x.toPrecision(1 + Math.floor(rnd() * 21))
        : x.toFixed(Math.floor(rnd() * 20));
      const got = Math.fround(parse(text));
      const want = reference(text);
      if (!Object.is(got, want)) assert.fail(`${text}: ${got} vs ${want}`);
    }
  });

  it('scans a field up to the delimiter in one pass and reports quotes', () => {
    const b = enc.encode('1.5,abc, 7 ,"x",');
    const cur = { end: 0, quote: false };
    assert.equal(scanFloat32(b, 0, b.length, 44, cur), 1.5);
    assert.equal(cur.end, 3);
    assert.ok(Number.isNaN(scanFloat32(b, 4, b.length, 44, cur)));
    assert.equal(cur.end, 7);
    assert.equal(scanFloat32(b, 8, b.length, 44, cur), 7);
    assert.equal(cur.end, 11);
    assert.ok(Number.isNaN(scanFloat32(b, 12, b.length, 44, cur)));
    assert.deepEqual(cur, { end: 15, quote: true });
  });
});
