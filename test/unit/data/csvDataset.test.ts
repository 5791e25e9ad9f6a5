import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openDataset } from '../../../src/core/data/dataset';
import { collect, DIGITS_CSV, failsReading, rejectsWith, SAMPLE_DIR, syntheticCsv, writeText } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';

describe('data/csvDataset', () => {
  const tmp = makeTempDir('csv');
  after(() => tmp.cleanup());
  const csv = (name: string, text: string) => writeText(tmp.file(name), text);

  describe('the bundled digits test split', () => {
    it('has 64 feature columns, a class label and 10 class names from labels.txt', async () => {
      const r = await openDataset(DIGITS_CSV);
      assert.equal(r.format, 'csv');
      assert.equal(r.featureCount, 64);
      assert.deepEqual(r.columns.map((c) => c.name), Array.from({ length: 64 }, (_, i) => `f${i}`));
      assert.equal(r.labelColumn, 'label');
      assert.equal(r.labelKind, 'class');
      assert.deepEqual(r.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      assert.equal(r.classNamesSource, 'labels.txt');
      assert.equal(r.numSamples, undefined);
      assert.equal(r.totalBytes, fs.statSync(DIGITS_CSV).size);
    });

    it('delivers 450 samples in batches of 64, the last one partial, matching the file line by line', async () => {
      const r = await openDataset(DIGITS_CSV);
      const all = await collect(r, 64);
      assert.deepEqual(all.sizes, [64, 64, 64, 64, 64, 64, 64, 2]);
      assert.deepEqual(all.batches.map((b) => b.rowIndex), [0, 64, 128, 192, 256, 320, 384, 448]);
      const lines = fs.readFileSync(DIGITS_CSV, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
      assert.equal(all.features.length, lines.length);
      all.features.forEach((f, i) => assert.deepEqual(f, lines[i].slice(0, 64), `sample ${i}`));
      assert.deepEqual(all.labels, lines.map((l) => l[64]));
      assert.ok(all.batches.every((b) => b.labels instanceof Int32Array));
      assert.deepEqual([all.sources[0], all.sources[449]], [2, 451]);
      const progress = all.batches.map((b) => b.bytesRead);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
      assert.equal(progress[progress.length - 1], r.totalBytes);
    });

    it('yields the same samples whatever the batch size', async () => {
      const r = await openDataset(DIGITS_CSV);
      const reference = await collect(r, 450);
      for (const size of [1, 7, 1000]) {
        const other = await collect(r, size);
        assert.deepEqual(other.features, reference.features, `batch ${size}`);
        assert.deepEqual(other.labels, reference.labels);
      }
    });
  });

  describe('dialects', () => {
    it('reads TSV, semicolon-separated text, CRLF endings, a UTF-8 BOM and blank lines', async () => {
      const expected = [[1, 2], [3.5, -4]];
      for (const [name, text] of [
        ['t.tsv', 'a\tb\tlabel\n1\t2\t0\n3.5\t-4\t1\n'],
        ['semi.csv', 'a;b;label\n1;2;0\n3.5;-4;1\n'],
        ['crlf.csv', '\uFEFFa,b,label\r\n1,2,0\r\n\r\n3.5,-4,1'],
        ['blank.csv', 'a,b,label\n\n1, 2 ,0\n   \n3.5,-4,1\n\n'],
      ]) {
        const all = await collect(await openDataset(csv(name, text)), 10);
        assert.deepEqual(all.features, expected, name);
        assert.deepEqual(all.labels, [0, 1], name);
      }
      const blank = await collect(await openDataset(tmp.file('blank.csv')), 10);
      assert.deepEqual(blank.sources, [3, 5]);
    });

    it('reads a header longer than one read (20,000 columns, ~190 KB), and rejects a first line over 1 MiB', async () => {
      const names = Array.from({ length: 20_000 }, (_, i) => `pixel_${i}`);
      const wide = csv('wide.csv', `\uFEFF${names.join(',')},label\r\n${names.map((_, i) => i % 7).join(',')},3\r\n`);
      const r = await openDataset(wide);
      assert.equal(r.featureCount, 20_000);
      assert.deepEqual([r.columns[0].name, r.columns[19_999].name, r.labelColumn], ['pixel_0', 'pixel_19999', 'label']);
      assert.deepEqual((await collect(r, 4)).features[0].slice(0, 8), [0, 1, 2, 3, 4, 5, 6, 0]);
      const huge = csv('huge-header.csv', `${'x'.repeat((1 << 20) + 10)}\n1\n`);
      await rejectsWith(openDataset(huge), 'huge-header.csv, row 1: has a first line longer than 1 MiB; it does not look like a CSV header.');
    });

    it('parses quoted fields with papaparse, including doubled quotes and a field spanning lines', async () => {
      const file = csv('quoted.csv', 'a,"b, quoted",label\n"1",2,"cat"\n3,"4",dog\n5,6,"c""at"\n');
      writeText(tmp.file('quoted.labels.txt'), 'cat\ndog\nc"at\n');
      const all = await collect(await openDataset(file), 2);
      assert.deepEqual(all.features, [[1, 2], [3, 4], [5, 6]]);
      assert.deepEqual(all.labels, [0, 1, 2]);
      const multi = csv('multi.csv', 'a,label\n1,"0\n"\n2,1\n');
      const m = await collect(await openDataset(multi, { labelKind: 'class' }), 4);
      assert.deepEqual(m.labels, [0, 1]);
      assert.deepEqual(m.sources, [2, 4]);
    });

    it('takes the label from any column, and reads it as a value when no classes are known', async () => {
      const file = csv('reg.csv', 'target,x1,x2\n0.25,1,2\n-3,4,5\n');
      const r = await openDataset(file, { labelColumn: 'target' });
      assert.deepEqual(r.columns.map((c) => c.name), ['x1', 'x2']);
      assert.equal(r.labelKind, 'value');
      const all = await collect(r, 8);
      assert.deepEqual(all.features, [[1, 2], [4, 5]]);
      assert.ok(all.batches[0].labels instanceof Float64Array);
      assert.deepEqual(all.labels, [0.25, -3]);
    });

    it('reads features only when labelColumn is null', async () => {
      const r = await openDataset(csv('nolabel.csv', 'a,b\n1,2\n'), { labelColumn: null });
      const all = await collect(r, 8);
      assert.equal(r.labelColumn, null);
      assert.equal(all.batches[0].labels, undefined);
      assert.deepEqual(all.features, [[1, 2]]);
    });
  });

  describe('bad input: one sentence naming the file, row and column', () => {
    it('a missing label column', async () => {
      await rejectsWith(openDataset(csv('nolab.csv', 'a,b,target\n1,2,3\n')), "nolab.csv, row 1: has no label column 'label' (its columns are a, b, target); choose the label column.");
    });

    it('non-numeric, empty and NaN cells', async () => {
      await failsReading(await openDataset(csv('text.csv', 'a,b,label\n1,2,0\n3,abc,1\n')), "text.csv, row 3, column b: 'abc' is not a number.");
      await failsReading(await openDataset(csv('empty-cell.csv', 'a,b,label\n,2,0\n')), 'empty-cell.csv, row 2, column a: is empty; fill in missing values or drop the row.');
      await failsReading(await openDataset(csv('nan.csv', 'a,b,label\n1,NaN,0\n')), "nan.csv, row 2, column b: 'NaN' marks a missing value; fill in missing values or drop the row.");
      await failsReading(await openDataset(csv('quoted-bad.csv', 'a,b,label\n1,"x y",0\n')), "quoted-bad.csv, row 2, column b: 'x y' is not a number.");
    });

    it('labels that are not classes', async () => {
      const file = csv('range.csv', 'a,label\n1,0\n2,9\n3,12\n');
      await failsReading(await openDataset(file, { numClasses: 10 }), 'range.csv, row 4, column label: 12 is not a class index from 0 to 9.');
      await failsReading(await openDataset(csv('frac.csv', 'a,label\n1,2.5\n'), { numClasses: 10 }), 'frac.csv, row 2, column label: 2.5 is not a class index from 0 to 9.');
      await failsReading(await openDataset(csv('neg.csv', 'a,label\n1,-1\n'), { labelKind: 'class' }), 'neg.csv, row 2, column label: -1 is not a class index (a whole number ≥ 0).');
      await failsReading(await openDataset(csv('nolabel-cell.csv', 'a,label\n1,\n'), { numClasses: 3 }), 'nolabel-cell.csv, row 2, column label: is empty; every sample needs a label.');
      await failsReading(await openDataset(csv('name.csv', 'a,label\n1,cat\n')), /^name\.csv, row 2, column label: 'cat' is not a number \(to use class names as labels, list them one per line in labels\.txt beside the data\)\.$/);
    });

    it('rows with the wrong number of fields', async () => {
      await failsReading(await openDataset(csv('short.csv', 'a,b,label\n1,2,0\n3,4\n')), 'short.csv, row 3: has 2 fields but the header has 3.');
      await failsReading(await openDataset(csv('long.csv', 'a,b,label\n1,2,0,9,9\n')), 'long.csv, row 2: has more than 3 fields but the header has 3.');
      await failsReading(await openDataset(csv('unclosed.csv', 'a,label\n1,0\n"2,1\n')), 'unclosed.csv, row 3: has a quoted field that is never closed.');
    });

    it('empty files, files without data rows or header, duplicate names, unreadable paths', async () => {
      await rejectsWith(openDataset(csv('zero.csv', '')), 'zero.csv: is empty (0 bytes).');
      await failsReading(await openDataset(csv('header-only.csv', 'a,b,label\n')), 'header-only.csv: has no data rows after its header.');
      await rejectsWith(openDataset(csv('numbers.csv', '1,2,3\n4,5,6\n')), 'numbers.csv, row 1: has numbers in its first line; a header row with column names is required.');
      await rejectsWith(openDataset(csv('dup.csv', 'a,a,label\n1,2,3\n')), "dup.csv, row 1: has two columns named 'a' in its header.");
      await rejectsWith(openDataset(tmp.file('missing.csv')), 'missing.csv: cannot be read: no such file.');
    });
  });

  it('stops with an AbortError when the signal aborts, and stops cleanly when the consumer breaks', async () => {
    const file = csv('abort.csv', syntheticCsv(5000, 8, 3));
    const r = await openDataset(file, { numClasses: 3 });
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const b of r.batches(10, controller.signal)) {
          seen += b.size;
          if (seen === 30) controller.abort();
        }
      })(),
      { name: 'AbortError' },
    );
    assert.ok(seen >= 30 && seen <= 60, `read ${seen} samples`);
    for await (const b of r.batches(10)) {
      assert.equal(b.rowIndex, 0);
      break;
    }
  });

  it('writes nothing next to the data', async () => {
    const before = fs.readdirSync(SAMPLE_DIR);
    await collect(await openDataset(DIGITS_CSV), 100);
    assert.deepEqual(fs.readdirSync(SAMPLE_DIR), before);
  });

  // Its speed is a ratio in bench/hotPaths.bench.ts (against split + Number on the same file).
  it('parses 10k rows × 64 columns in batches: every row, every value, every label', async function () {
    this.timeout(30_000);
    const text = syntheticCsv(10_000, 64, 10);
    const file = csv('big.csv', text);
    const rows = text.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    const r = await openDataset(file, { numClasses: 10 });
    let n = 0;
    for await (const b of r.batches(64)) {
      for (let i = 0; i < b.size; i++) {
        const row = rows[n + i];
        assert.deepEqual(Array.from(b.features.subarray(i * 64, (i + 1) * 64)), row.slice(0, 64), `row ${n + i}`);
        assert.equal(b.labels![i], row[64]);
      }
      n += b.size;
    }
    assert.equal(n, 10_000);
  });
});
