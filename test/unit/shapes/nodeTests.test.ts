/**
 * Issue 13, items 15–16: shape inference over every ONNX backend node test (Debian's
 * libonnx-testdata: model.onnx + test_data_set_0/output_N.pb). Each test's declared output shapes
 * are removed, the project infers them, and the result is compared with the recorded outputs:
 * known (every dim inferred and equal), wrong (a rank or a dim that differs: worse than unknown,
 * must be 0) — and known must not fall below what onnx.shape_inference itself knows on the same
 * models (python3-onnx as the oracle; its count is recorded for machines without it).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildGraph } from '../../../src/core/graph/build';
import { BufferSource } from '../../../src/core/onnx/byteSource';
import { decodeTensor } from '../../../src/core/onnx/decodeTensor';
import { readModelFile } from '../../../src/core/onnx/reader';
import { Cursor } from '../../../src/core/onnx/wire';
import { inferShapes } from '../../../src/core/shapes';
import { requireFile } from '../../fixtures/prerequisites';

const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';
/** onnx 1.12's shape inference on these 1,094 tensor outputs (measured with the oracle below). */
const ONNX_KNOWN_RECORDED = 830;

interface Tally { total: number; known: number; wrong: string[]; theirsKnown: number }

function recordedDims(file: string): number[] | null {
  try {
    const bytes = fs.readFileSync(file);
    return decodeTensor(new Cursor(new BufferSource(bytes)), bytes.length).dims;
  } catch {
    return null;
  }
}

function oracleShapes(): Record<string, (number | null)[][]> | null {
  const r = spawnSync('/usr/bin/python3', [path.join(__dirname, '../../fixtures/onnx_node_oracle.py'), NODE_TESTS], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 300_000 });
  return r.status === 0 ? JSON.parse(r.stdout) : null;
}

describe('shape inference on the ONNX backend node tests (issue 13, items 15, 16)', function () {
  this.timeout(600_000);
  before(() => requireFile(NODE_TESTS, 'apt-get install libonnx-testdata (.ci/run does)'));

  it('infers no wrong shape, and knows at least as many output shapes as onnx.shape_inference', () => {
    const oracle = oracleShapes();
    const t: Tally = { total: 0, known: 0, wrong: [], theirsKnown: 0 };
    for (const test of fs.readdirSync(NODE_TESTS).sort()) {
      let model;
      try {
        model = readModelFile(path.join(NODE_TESTS, test, 'model.onnx'));
      } catch {
        continue;
      }
      try {
        const outputs = model.info.graph.outputs;
        const kinds = outputs.map((o) => o.type.kind);
        for (const o of outputs) if (o.type.kind === 'tensor') o.type = { ...o.type, shape: null };
        const r = inferShapes(buildGraph(model.info.graph), model.info.opsets, (x, max) => model!.tensorNumbers(x, max));
        outputs.forEach((o, i) => {
          const file = path.join(NODE_TESTS, test, 'test_data_set_0', `output_${i}.pb`);
          const dims = kinds[i] === 'tensor' && fs.existsSync(file) ? recordedDims(file) : null;
          if (!dims) return;
          t.total++;
          const theirs = oracle?.[test]?.[i];
          if (theirs && theirs.length === dims.length && theirs.every((d, k) => d === dims[k])) t.theirsKnown++;
          const ours = r.types.get(o.name)?.shape ?? null;
          if (ours === null) return;
          if (ours.length !== dims.length || ours.some((d, k) => typeof d === 'number' && d !== dims[k])) t.wrong.push(`${test}/${o.name}: [${ours.join(', ')}], recorded [${dims.join(', ')}]`);
          else if (ours.every((d) => typeof d === 'number')) t.known++;
        });
      } finally {
        model.close();
      }
    }
    const onnxKnown = oracle ? t.theirsKnown : ONNX_KNOWN_RECORDED;
    console.log(`    ${t.total} outputs: ${t.known} known, ${t.wrong.length} wrong; onnx.shape_inference knows ${onnxKnown}${oracle ? '' : ' (recorded)'}`);
    assert.ok(t.total > 1000, `only ${t.total} outputs found`);
    assert.deepEqual(t.wrong, [], 'a wrong shape is worse than an unknown one');
    assert.ok(t.known >= onnxKnown, `knows ${t.known} output shapes, onnx ${onnxKnown}`);
  });
});
