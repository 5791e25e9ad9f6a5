import * as assert from 'node:assert/strict';
import { openDataset } from '../../../src/core/data/dataset';
import { DatasetError } from '../../../src/core/data/errors';
import { batchInputs, inputPlan } from '../../../src/core/data/batchInputs';
import { autoMapping, batchSizeFor, checkMapping, type ModelInput } from '../../../src/core/data/mapping';
import type { Batch, DatasetColumn } from '../../../src/core/data/types';
import { DIGITS_CSV } from '../../fixtures/data/datasets';

const DIGITS_INPUT: ModelInput = { name: 'input', dims: ['batch', 64], elemType: 'float32' };
const cols = (...names: string[]) => names.map((name) => ({ name, shape: [], size: 1 }));
const f = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

function fails(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DatasetError, String(err));
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

function batchOf(features: number[][], rowIndex = 0): Batch {
  return { size: features.length, rowIndex, features: Float32Array.from(features.flat()), bytesRead: 0 };
}

describe('data/mapping', () => {
  it('maps the 64 digits columns to the sample model input [batch, 64], the label excluded', async () => {
    const r = await openDataset(DIGITS_CSV);
    const mapping = autoMapping(r.columns, [DIGITS_INPUT], r.labelColumn, r.file);
    assert.deepEqual(mapping, {
      version: 1,
      labelColumn: 'label',
      inputs: [{ input: 'input', columns: f(64), sampleDims: [64], batchDim: 'batch', elemType: 'float32' }],
    });
    assert.equal(batchSizeFor(mapping, 32), 32);
  });

  it('accepts plain column names with the label among them', () => {
    const m = autoMapping([...f(4), 'label'], [{ name: 'x', dims: [null, 4], elemType: 'float32' }]);
    assert.deepEqual(m.inputs[0].columns, f(4));
    assert.equal(m.inputs[0].batchDim, 'batch');
  });

  it('respects a fixed batch dim: [1, F] forces batch 1, [8, F] batches of 8; an input without batch dim takes one sample', () => {
    assert.equal(batchSizeFor(autoMapping(cols(...f(64)), [{ ...DIGITS_INPUT, dims: [1, 64] }]), 32), 1);
    assert.equal(batchSizeFor(autoMapping(cols(...f(64)), [{ ...DIGITS_INPUT, dims: [8, 64] }]), 32), 8);
    const flat = autoMapping(cols(...f(64)), [{ ...DIGITS_INPUT, dims: [64] }]);
    assert.deepEqual([flat.inputs[0].batchDim, flat.inputs[0].sampleDims, batchSizeFor(flat, 32)], [null, [64], 1]);
  });

  it('resolves one symbolic non-batch dim from the data, and several from an array column of the same rank', () => {
    const m = autoMapping(cols(...f(12)), [{ name: 'seq', dims: ['N', 'T', 4], elemType: 'float32' }]);
    assert.deepEqual(m.inputs[0].sampleDims, [3, 4]);
    const image: DatasetColumn = { name: 'image', shape: [3, 32, 32], size: 3072 };
    assert.deepEqual(autoMapping([image], [{ name: 'pixels', dims: ['N', 3, 'H', 'W'], elemType: 'float32' }]).inputs[0].sampleDims, [3, 32, 32]);
    const idx: DatasetColumn = { name: 'image', shape: [28, 28], size: 784 };
    assert.deepEqual(autoMapping([idx], [{ name: 'x', dims: ['N', 1, 28, 28], elemType: 'float32' }]).inputs[0].sampleDims, [1, 28, 28]);
    assert.deepEqual(autoMapping([idx], [{ name: 'x', dims: ['N', 784], elemType: 'float32' }]).inputs[0].sampleDims, [784]);
  });

  it('maps several inputs by exact name or by <input>_k / <input>[k] columns, in index order', () => {
    const m = autoMapping(
      [{ name: 'mask', shape: [4], size: 4 }, ...cols('ids_1', 'ids_0', 'pos[1]', 'pos[0]', 'label')],
      [
        { name: 'ids', dims: ['b', 2], elemType: 'int64' },
        { name: 'mask', dims: ['b', 4], elemType: 'float32' },
        { name: 'pos', dims: ['b', 2], elemType: 'int32' },
      ],
    );
    assert.deepEqual(m.inputs.map((b) => [b.input, b.columns]), [['ids', ['ids_0', 'ids_1']], ['mask', ['mask']], ['pos', ['pos[0]', 'pos[1]']]]);
  });

  describe('what cannot be mapped, in one sentence', () => {
    it('a feature count that does not fit the input', () => {
      fails(() => autoMapping(cols(...f(63)), [DIGITS_INPUT], 'label', '/data/digits.csv'), "digits.csv: has 63 feature columns (f0, f1, f2, f3, …, f62) but input 'input' [batch, 64] needs 64 per sample.");
      fails(() => autoMapping([{ name: 'x', shape: [10], size: 10 }], [{ name: 'in', dims: ['N', 'T', 4], elemType: 'float32' }], null, 'x.npy'), "x.npy: column 'x' has 10 values per sample but input 'in' [N, T, 4] needs a multiple of 4 per sample.");
    });

    it('several inputs and columns with no names to go by', () => {
      fails(
        () => autoMapping(cols('a', 'b', 'c'), [{ name: 'x', dims: ['N', 1], elemType: 'float32' }, { name: 'y', dims: ['N', 2], elemType: 'float32' }], 'label', 'd.csv'),
        "d.csv: cannot be mapped automatically: the model inputs 'x' [N, 1], 'y' [N, 2] are not named by any column and the columns a, b, c cannot be split between them automatically; name the columns <input>_0, <input>_1, … or edit the mapping.",
      );
      fails(() => autoMapping(cols('x', 'extra'), [{ name: 'x', dims: ['N', 1], elemType: 'float32' }], 'label', 'd.csv'), 'd.csv: cannot be mapped automatically: the columns extra feed no model input; remove them or edit the mapping.');
    });

    it('string inputs, scalar inputs and conflicting fixed batch sizes', () => {
      fails(() => autoMapping(cols('a'), [{ name: 'text', dims: ['N'], elemType: 'string' }], 'label', 'd.csv'), "d.csv: cannot feed input 'text': it takes string values, and datasets hold numbers.");
      fails(() => autoMapping(cols('a'), [{ name: 's', dims: [], elemType: 'float32' }], 'label', 'd.csv'), "d.csv: cannot feed input 's': it is a scalar (shape []), not a batch of samples.");
      fails(() => autoMapping(cols('a_0', 'b_0'), [{ name: 'a', dims: [2, 1], elemType: 'float32' }, { name: 'b', dims: [4, 1], elemType: 'float32' }], 'label', 'd.csv'), 'd.csv: cannot be fed to this model: its inputs have different fixed batch sizes (a: 2, b: 4).');
    });
  });

  it('survives a JSON round trip and is re-checked against the dataset when loaded', () => {
    const columns = cols(...f(64));
    const saved = JSON.parse(JSON.stringify(autoMapping(columns, [DIGITS_INPUT]))) as unknown;
    assert.deepEqual(checkMapping(saved, columns, [DIGITS_INPUT]), autoMapping(columns, [DIGITS_INPUT]));
    const edited = { ...(saved as object), inputs: [{ input: 'input', columns: [...f(63), 'f99'] }] };
    fails(() => checkMapping(edited, columns, [DIGITS_INPUT], 'digits.csv'), "digits.csv: has a saved input mapping that does not fit: column 'f99' is not in the dataset.");
    fails(() => checkMapping({ version: 2 }, columns, [DIGITS_INPUT], 'digits.csv'), 'digits.csv: has a saved input mapping that does not fit: it is not a version 1 mapping.');
    fails(() => checkMapping(saved, columns, [{ ...DIGITS_INPUT, name: 'other' }], 'digits.csv'), "digits.csv: has a saved input mapping that does not fit: model input 'other' has no columns.");
  });
});

describe('data/batchInputs', () => {
  it('hands the batch features to a single float32 input without copying', () => {
    const columns = cols('a', 'b');
    const plan = inputPlan(autoMapping(columns, [{ name: 'x', dims: ['N', 2], elemType: 'float32' }]), columns);
    const batch = batchOf([[1, 2], [3, 4], [5, 6]]);
    const feeds = batchInputs(batch, plan);
    const x = feeds.inputs.get('x')!;
    assert.equal(x.data, batch.features);
    assert.deepEqual(x.shape, [3, 2]);
    assert.equal(feeds.count, 3);
  });

  it('gathers columns per input, converts element types and pads a short batch to the fixed batch size', () => {
    const columns = cols('ids_0', 'v', 'ids_1', 'flag');
    const mapping = autoMapping(columns, [
      { name: 'ids', dims: [4, 2], elemType: 'int64' },
      { name: 'v', dims: [4, 1], elemType: 'float64' },
      { name: 'flag', dims: [4, 1], elemType: 'bool' },
    ]);
    const feeds = batchInputs(batchOf([[7, 0.5, 9, 0], [8, 1.5, 10, 2]]), inputPlan(mapping, columns));
    assert.equal(feeds.count, 2);
    assert.deepEqual(feeds.inputs.get('ids'), { dtype: 'int64', shape: [4, 2], data: BigInt64Array.from([7n, 9n, 8n, 10n, 0n, 0n, 0n, 0n]) });
    assert.deepEqual(feeds.inputs.get('v'), { dtype: 'float64', shape: [4, 1], data: Float64Array.from([0.5, 1.5, 0, 0]) });
    assert.deepEqual(feeds.inputs.get('flag'), { dtype: 'bool', shape: [4, 1], data: Uint8Array.from([0, 1, 0, 0]) });
  });

  it('feeds an input without a batch dim one sample at a time', () => {
    const columns = cols(...f(4));
    const plan = inputPlan(autoMapping(columns, [{ name: 'x', dims: [2, 2], elemType: 'float32' }]), columns);
    assert.deepEqual(batchInputs(batchOf([[1, 2, 3, 4]]), plan).inputs.get('x')!.shape, [2, 2]);
    assert.throws(() => batchInputs(batchOf([[1, 2, 3, 4], [5, 6, 7, 8]]), plan), /a batch of 2 for a model that takes 1/);
  });
});
