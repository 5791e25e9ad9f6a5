import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DatasetError } from '../../../src/core/data/errors';
import { parseJsonTensors, readJsonTensors, type JsonTensor } from '../../../src/core/data/jsonTensor';
import { makeTempDir } from '../../fixtures/data/tempDir';

function single(text: string): JsonTensor {
  const parsed = parseJsonTensors(text, 'in.json');
  assert.equal(parsed.kind, 'single');
  return (parsed as { tensor: JsonTensor }).tensor;
}

function rejects(text: string, message: string): void {
  assert.throws(() => parseJsonTensors(text, '/where/in.json'), (err: unknown) => {
    assert.ok(err instanceof DatasetError);
    assert.equal(err.message, message);
    return true;
  });
}

describe('data/jsonTensor', () => {
  it('reads a nested array: the shape comes from the nesting, values are float64', () => {
    const t = single('[[[1, 2.5]], [[3, -4]]]');
    assert.deepEqual(t.shape, [2, 1, 2]);
    assert.equal(t.dtype, 'float64');
    assert.deepEqual(Array.from(t.data as Float64Array), [1, 2.5, 3, -4]);
  });

  it('reads a scalar and an empty array', () => {
    assert.deepEqual(single('7').shape, []);
    assert.deepEqual(single('[]').shape, [0]);
  });

  it('reads {"data", "shape"} with flat or nested data, and booleans as 0/1', () => {
    const t = single('{"data": [1, 2, 3, 4, 5, true], "shape": [2, 3]}');
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(Array.from(t.data as Float64Array), [1, 2, 3, 4, 5, 1]);
    assert.deepEqual(single('{"data": [[1, 2], [3, 4]]}').shape, [2, 2]);
  });

  it('gives BigInt64Array when "dtype" names an integer type', () => {
    const t = single('{"data": [[101, 2009, 102]], "dtype": "int64"}');
    assert.equal(t.dtype, 'int64');
    assert.deepEqual(t.data, new BigInt64Array([101n, 2009n, 102n]));
  });

  it('reads several named tensors, one per model input', () => {
    const parsed = parseJsonTensors('{"input_ids": {"data": [1, 2], "shape": [1, 2], "dtype": "int64"}, "mask": [[1, 1]]}', 'in.json');
    assert.equal(parsed.kind, 'named');
    if (parsed.kind !== 'named') return;
    assert.deepEqual([...parsed.tensors.keys()], ['input_ids', 'mask']);
    assert.equal(parsed.tensors.get('input_ids')!.dtype, 'int64');
    assert.deepEqual(parsed.tensors.get('mask')!.shape, [1, 2]);
  });

  describe('bad files: one sentence naming the file and the path', () => {
    it('ragged arrays', () => {
      rejects('[[1, 2, 3], [4, 5]]', 'in.json at [1]: has 2 elements but [0] has 3 (the nesting is ragged).');
      rejects('[[1, 2], [3, [4]]]', 'in.json at [1][1]: is an array where a number was expected (the nesting is ragged).');
      rejects('[[1, 2], 3]', 'in.json at [1]: is 3 where an array of 2 was expected (the nesting is ragged).');
      rejects('{"a": [[[1], [2]], [[3], [4], [5]]]}', 'in.json at a[1]: has 3 elements but a[0] has 2 (the nesting is ragged).');
    });

    it('non-numbers', () => {
      rejects('[[1, 2], [3, "x"]]', 'in.json at [1][1]: "x" is not a number.');
      rejects('[[1, null]]', 'in.json at [0][1]: null is not a number.');
      rejects('{"x": [1, {"y": 2}]}', 'in.json at x[1]: an object is not a number.');
      rejects('{"data": [1, "2"], "shape": [2]}', 'in.json at .data[1]: "2" is not a number.');
    });

    it('inconsistent shape, dtype or structure', () => {
      rejects('{"data": [1, 2, 3], "shape": [2, 2]}', 'in.json: "data" has 3 values but "shape" [2, 2] needs 4.');
      rejects('{"data": [1.5], "dtype": "int64"}', 'in.json at .data[0]: 1.5 is not a whole number, but "dtype" is int64.');
      rejects('{"data": [1], "dtype": "complex"}', 'in.json at .dtype: "dtype" "complex" is not a type name such as "float32", "int64" or "string".');
      rejects('{"data": [1], "shape": [-1]}', 'in.json at .shape: "shape" must be a list of whole numbers ≥ 0.');
      rejects('{"x": {"nested": [1]}}', 'in.json at x: is an object; a tensor is a (nested) array of numbers or {"data": ..., "shape": ...}.');
      rejects('{}', 'in.json: holds an empty object, no tensor.');
    });

    it('empty files and invalid JSON', () => {
      rejects('  \n', 'in.json: is empty, not a JSON tensor file.');
      assert.throws(() => parseJsonTensors('[1, 2', 'in.json'), /^DatasetError: in\.json: is not valid JSON: /);
    });

    it('unreadable files', async () => {
      const tmp = makeTempDir('json');
      try {
        fs.writeFileSync(tmp.file('ok.json'), '[1, 2]');
        assert.deepEqual((await readJsonTensors(tmp.file('ok.json'))).kind, 'single');
        await assert.rejects(readJsonTensors(tmp.file('missing.json')), /^DatasetError: missing\.json: cannot be read: no such file\.$/);
        await assert.rejects(readJsonTensors(tmp.dir), /cannot be read: it is a folder/);
      } finally {
        tmp.cleanup();
      }
    });
  });
});
