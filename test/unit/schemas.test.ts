import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  knownOps, maxKnownOpset, resolveSchema, resolveSchemaDetailed, schemaHistory, SCHEMA_ONNX_VERSION,
} from '../../src/core/onnx/schemas';

describe('op schemas', () => {
  it('keeps the generated JSON under 3 MB', () => {
    const size = statSync(join(__dirname, '../../src/core/onnx/schemas/op-schemas.json')).size;
    assert.ok(size < 3 * 1024 * 1024, `op-schemas.json is ${size} bytes`);
  });

  it('records the onnx version and the highest known opset per domain', () => {
    assert.match(SCHEMA_ONNX_VERSION, /^\d+\.\d+/);
    assert.ok(maxKnownOpset('') >= 17);
    assert.equal(maxKnownOpset('ai.onnx'), maxKnownOpset(''));
    assert.ok(maxKnownOpset('ai.onnx.ml') >= 3);
    assert.equal(maxKnownOpset('com.example'), 0);
  });

  it('resolves the schema with the highest since_version not above the opset', () => {
    assert.equal(resolveSchema('', 'Squeeze', 11)?.sinceVersion, 11);
    assert.equal(resolveSchema('', 'Squeeze', 12)?.sinceVersion, 11);
    assert.equal(resolveSchema('', 'Squeeze', 13)?.sinceVersion, 13);
    assert.equal(resolveSchema('', 'Squeeze', 1)?.sinceVersion, 1);
  });

  it('shows Squeeze axes moving from attribute to input at opset 13', () => {
    const v11 = resolveSchema('', 'Squeeze', 12)!;
    const v13 = resolveSchema('', 'Squeeze', 13)!;
    assert.ok(v11.attributes.some((a) => a.name === 'axes'));
    assert.deepEqual(v13.inputs.map((i) => [i.name, i.option]), [['data', 'single'], ['axes', 'optional']]);
  });

  it('treats ai.onnx and the empty domain as the same', () => {
    assert.equal(resolveSchema('ai.onnx', 'Conv', 11), resolveSchema('', 'Conv', 11));
  });

  it('returns undefined before an op existed and for unknown ops or domains', () => {
    assert.equal(resolveSchema('', 'LayerNormalization', 16), undefined);
    assert.equal(resolveSchema('', 'NoSuchOp', 17), undefined);
    assert.equal(resolveSchema('com.microsoft', 'Attention', 1), undefined);
  });

  it('falls back to the newest known schema for opsets newer than the generator knew, and says so', () => {
    const r = resolveSchemaDetailed('', 'ReduceMean', 99)!;
    assert.equal(r.beyondKnownOpset, true);
    assert.equal(r.schema.sinceVersion, schemaHistory('', 'ReduceMean').at(-1)!.sinceVersion);
    assert.equal(resolveSchemaDetailed('', 'ReduceMean', 13)!.beyondKnownOpset, false);
  });

  it('describes Conv with typed inputs, attribute defaults and type constraints', () => {
    const conv = resolveSchema('', 'Conv', 11)!;
    assert.deepEqual(conv.inputs.map((i) => i.name), ['X', 'W', 'B']);
    assert.equal(conv.inputs[2].option, 'optional');
    assert.equal(conv.attributes.find((a) => a.name === 'group')?.default, 1);
    assert.equal(conv.attributes.find((a) => a.name === 'auto_pad')?.default, 'NOTSET');
    assert.equal(conv.typeConstraints[0].typeParam, 'T');
    assert.ok(conv.typeConstraints[0].allowedTypes.includes('tensor(float)'));
  });

  it('keeps float defaults readable and marks variadic arity as unbounded', () => {
    const ln = resolveSchema('', 'LayerNormalization', 17)!;
    assert.equal(ln.attributes.find((a) => a.name === 'epsilon')?.default, 1e-5);
    const concat = resolveSchema('', 'Concat', 13)!;
    assert.equal(concat.inputs[0].option, 'variadic');
    assert.equal(concat.maxInput, null);
  });

  it('covers the ai.onnx.ml domain', () => {
    const ml = knownOps('ai.onnx.ml');
    for (const op of ['TreeEnsembleClassifier', 'ZipMap', 'LinearClassifier', 'SVMClassifier']) assert.ok(ml.includes(op), op);
    assert.equal(resolveSchema('ai.onnx.ml', 'ZipMap', 1)?.outputs[0].typeStr, 'T');
  });
});
