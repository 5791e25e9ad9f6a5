/**
 * Issue 13, item 16: the ONNX project's backend node tests for operators of opsets 18–23, which
 * Debian's libonnx-testdata (onnx 1.12, see nodeTests.test.ts) does not have. The cases
 * (test/fixtures/onnx-node-cases-18-23.json) give each test's inputs and expected output shapes.
 * As in the backend tests every input is a graph input: no inferred dim may differ from the
 * expected one. With the shape-like inputs' values known (as they are once an exporter makes them
 * initializers or constants) every output shape must be inferred exactly.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { elemTypeCode } from '../../../src/core/onnx/elemTypes';
import type { TensorInfo } from '../../../src/core/onnx/types';
import { infer, node, tensor, type TypeSpec } from './helpers';

interface Case {
  test: string;
  op: string;
  opset: number;
  inputs: [string, number[], number[]?][];
  attrs: Record<string, number | number[]>;
  outputs: number[][];
}

const FIXTURE = path.join(__dirname, '../../fixtures/onnx-node-cases-18-23.json');
const cases = (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { cases: Case[] }).cases;

function elemType(name: string): number {
  const code = elemTypeCode(name);
  if (code === undefined) throw new Error(`unknown element type ${name}`);
  return code;
}

function run(c: Case, withValues: boolean) {
  const inputs: Record<string, TypeSpec> = {};
  const initializers: TensorInfo[] = [];
  const names = c.inputs.map(([elem, shape, values], i) => {
    const name = `in${i}`;
    if (withValues && values) initializers.push(tensor(name, elemType(elem), shape, values));
    else inputs[name] = [elemType(elem), shape];
    return name;
  });
  const outputs = c.outputs.map((_, i) => `out${i}`);
  return infer({ inputs, initializers, nodes: [node(c.op, names, outputs, c.attrs)], outputs }, c.opset);
}

describe('shape inference on the ONNX node tests of opsets 18–23 (issue 13, item 16)', () => {
  it('has cases for every operator it claims to cover', () => {
    assert.ok(cases.length >= 30, `${cases.length} cases`);
    for (const op of ['Col2Im', 'CenterCropPad', 'AffineGrid', 'RotaryEmbedding', 'Attention']) assert.ok(cases.some((c) => c.op === op), op);
  });

  for (const c of cases) {
    it(`${c.test} (${c.op}-${c.opset})`, () => {
      const plain = run(c, false);
      c.outputs.forEach((want, i) => {
        const got = plain.shape(`out${i}`);
        if (got) {
          assert.equal(got.length, want.length, `output ${i}: rank of [${got.join(', ')}]`);
          got.forEach((d, k) => assert.ok(typeof d !== 'number' || d === want[k], `output ${i}: [${got.join(', ')}] vs [${want.join(', ')}]`));
        }
      });
      const folded = run(c, true);
      c.outputs.forEach((want, i) => assert.deepEqual(folded.shape(`out${i}`), want, `output ${i}`));
      assert.deepEqual(folded.warnings, []);
    });
  }
});
