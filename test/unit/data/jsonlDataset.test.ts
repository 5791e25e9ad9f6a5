import * as assert from 'node:assert/strict';
import { openDataset } from '../../../src/core/data/dataset';
import { collect, failsReading, rejectsWith, writeText } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';

describe('data/jsonlDataset', () => {
  const tmp = makeTempDir('jsonl');
  after(() => tmp.cleanup());
  const jsonl = (name: string, rows: (string | object)[]) => writeText(tmp.file(name), rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));

  it('reads flat feature keys in first-row order, with the label key anywhere', async () => {
    const file = jsonl('flat.jsonl', [{ label: 1, f0: 0.5, f1: 2 }, { f1: 4, f0: -1, label: 0, note: 'ignored' }, '', { f0: 3, f1: true, label: 2 }]);
    const r = await openDataset(file, { numClasses: 3 });
    assert.equal(r.format, 'jsonl');
    assert.deepEqual(r.columns, [{ name: 'f0', shape: [], size: 1 }, { name: 'f1', shape: [], size: 1 }]);
    const all = await collect(r, 2);
    assert.deepEqual(all.features, [[0.5, 2], [-1, 4], [3, 1]]);
    assert.deepEqual(all.labels, [1, 0, 2]);
    assert.deepEqual(all.sources, [1, 2, 4]);
    assert.deepEqual(all.sizes, [2, 1]);
  });

  it('reads array-valued inputs, flattening nested arrays in C order', async () => {
    const file = jsonl('arrays.jsonl', [{ input: [[1, 2], [3, 4]], mask: [1, 0], label: 'dog' }, { input: [[5, 6], [7, 8]], mask: [0, 1], label: 'cat' }]);
    writeText(tmp.file('classes.txt'), 'cat\ndog\n');
    const r = await openDataset(file);
    assert.deepEqual(r.columns.map((c) => [c.name, c.shape, c.size]), [['input', [2, 2], 4], ['mask', [2], 2]]);
    assert.equal(r.featureCount, 6);
    assert.equal(r.classNamesSource, 'classes.txt');
    const all = await collect(r, 8);
    assert.deepEqual(all.features, [[1, 2, 3, 4, 1, 0], [5, 6, 7, 8, 0, 1]]);
    assert.deepEqual(all.labels, [1, 0]);
  });

  describe('bad input: one sentence naming the file, row and column', () => {
    it('lines that are not JSON objects', async () => {
      await failsReading(await openDataset(jsonl('broken.jsonl', [{ a: 1, label: 0 }, '{"a": 2, "label":'])), /^broken\.jsonl, row 2: is not valid JSON: .+\.$/);
      await failsReading(await openDataset(jsonl('array.jsonl', [{ a: 1, label: 0 }, '[1, 0]'])), 'array.jsonl, row 2: is an array; each line must be a JSON object of features and a label.');
    });

    it('missing, null, non-numeric and ragged values', async () => {
      await failsReading(await openDataset(jsonl('missing.jsonl', [{ a: 1, b: 2, label: 0 }, { a: 1, label: 0 }])), 'missing.jsonl, row 2, column b: is missing.');
      await failsReading(await openDataset(jsonl('null.jsonl', [{ a: 1, label: 0 }, { a: null, label: 0 }])), 'null.jsonl, row 2, column a: is null; fill in missing values or drop the row.');
      await failsReading(await openDataset(jsonl('text.jsonl', [{ a: 1, label: 0 }, { a: '7', label: 0 }])), 'text.jsonl, row 2, column a: "7" is not a number.');
      await failsReading(await openDataset(jsonl('ragged.jsonl', [{ x: [[1, 2], [3, 4]], label: 0 }, { x: [[1, 2], [3]], label: 0 }])), 'ragged.jsonl, row 2, column x at [1]: has 1 elements but row 1 has 2.');
      await failsReading(await openDataset(jsonl('longer.jsonl', [{ x: [1, 2], label: 0 }, { x: [1, 2, 3], label: 0 }])), 'longer.jsonl, row 2, column x: has 3 elements but row 1 has 2.');
      await rejectsWith(openDataset(jsonl('first-text.jsonl', [{ a: 'x', label: 0 }])), 'first-text.jsonl, row 1, column a: is the text "x", not a number or an array of numbers.');
    });

    it('labels: missing key, missing value, out of range', async () => {
      await rejectsWith(openDataset(jsonl('nolabel.jsonl', [{ a: 1, y: 0 }])), "nolabel.jsonl, row 1: has no label key 'label' (its keys are a, y); choose the label key.");
      await failsReading(await openDataset(jsonl('lost.jsonl', [{ a: 1, label: 0 }, { a: 2 }])), 'lost.jsonl, row 2, column label: is missing.');
      await failsReading(await openDataset(jsonl('range.jsonl', [{ a: 1, label: 0 }, { a: 2, label: 5 }]), { numClasses: 5 }), 'range.jsonl, row 2, column label: 5 is not a class index from 0 to 4.');
    });

    it('empty files', async () => {
      await rejectsWith(openDataset(writeText(tmp.file('zero.jsonl'), '')), 'zero.jsonl: is empty (0 bytes).');
      await rejectsWith(openDataset(writeText(tmp.file('blank.jsonl'), '\n  \n')), 'blank.jsonl: has no rows (only blank lines).');
    });
  });
});
