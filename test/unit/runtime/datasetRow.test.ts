/**
 * A row of a dataset as a Run input: the sample's test split (digits-test.csv, beside the model)
 * feeds the model the row's 64 pixels, and the model reads the row's label; the datasets beside a
 * model are found, held-out split first.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { datasetsBeside } from '../../../src/core/data/beside';
import { OPTIONS, pageAll, SAMPLE, useRuntime } from '../../fixtures/runtimeModels';

const TEST_CSV = path.join(path.dirname(SAMPLE), 'digits-test.csv');
const rows = fs.readFileSync(TEST_CSV, 'utf8').trim().split('\n');
const header = rows[0].split(',');
const row = (i: number) => rows[i + 1].split(',').map(Number);

describe('a dataset row as the input', function () {
  this.timeout(60_000);
  const env = useRuntime('dataset-row');

  it('feeds row 5 of digits-test.csv (its 64 pixels, not its label) and the model reads the right digit', async () => {
    const result = await env.rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: [{ name: 'input', dims: [1, 64], source: { kind: 'dataset', path: TEST_CSV, row: 5 } }] });
    const fed = await pageAll(env.rpc, result.runId, 'input');
    const expected = row(5).filter((_, c) => header[c] !== 'label');
    assert.deepEqual(Array.from(fed), expected);
    const label = await pageAll(env.rpc, result.runId, 'label');
    assert.equal(label[0], row(5)[header.indexOf('label')]);
  });

  it('says which rows exist when the row is past the end', async () => {
    await assert.rejects(
      env.rpc.request('run', { model: SAMPLE, options: OPTIONS, inputs: [{ name: 'input', dims: [1, 64], source: { kind: 'dataset', path: TEST_CSV, row: 100_000 } }] }),
      /input 'input' cannot be taken from a dataset row: digits-test\.csv: has no row 100000/,
    );
  });

  it('finds the datasets beside a model, the test split first', () => {
    assert.deepEqual(datasetsBeside(SAMPLE).map((f) => path.basename(f)), ['digits-test.csv', 'digits-train.csv']);
  });
});
