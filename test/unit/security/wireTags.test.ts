/**
 * Issue 13, item 12: the protobuf reader refuses tags that are not valid — field number 0, a field
 * number above 2^29 − 1, a tag varint longer than 5 bytes — in one sentence, where it used to read
 * such bytes as some other field. python's protobuf (Debian's python3-onnx) refuses them too.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxFormatError } from '../../../src/core/errors';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { graph, makeTempDir, model, node, tensorValue } from '../../fixtures/onnxBuilder';
import { requireOracle } from '../../fixtures/oracle';

const valid = () => model({ graph: graph({ inputs: [tensorValue('x', 'float32', [1])], nodes: [node('Relu', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [1])] }) });
/** A valid model with one more (unknown, skippable) field in front: `tag` then a varint 1. */
const withTag = (tag: number[]) => Uint8Array.from([...tag, 0x01, ...valid()]);

const CASES: [string, number[], RegExp][] = [
  ['field number 0', [0x00], /invalid protobuf field number 0 \(field numbers run from 1 to 536870911\)/],
  ['field number 2^29 (one past the largest)', [0x80, 0x80, 0x80, 0x80, 0x10], /invalid protobuf field number 536870912/],
  ['a 6-byte tag (field 1, padded)', [0x88, 0x80, 0x80, 0x80, 0x80, 0x00], /invalid protobuf tag: 6 bytes long \(at most 5\)/],
  ['a 10-byte tag', [0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], /invalid protobuf tag: 10 bytes long/],
];

describe('security: invalid protobuf tags are refused (issue 13, item 12)', () => {
  it('still reads the largest valid field number and a 5-byte tag as an unknown field', () => {
    // field 2^29 − 1, varint wire type: tag (2^29 − 1) · 8 = 0xFFFFFFF8 in 5 bytes.
    const m = readModelBytes(withTag([0xf8, 0xff, 0xff, 0xff, 0x0f]), 'ok.onnx');
    assert.equal(m.info.graph.nodes.length, 1);
  });

  for (const [label, tag, pattern] of CASES) {
    it(`refuses ${label} with one sentence naming the file and the byte`, () => {
      assert.throws(() => readModelBytes(withTag(tag), 'bad.onnx'), (e: Error) =>
        e instanceof OnnxFormatError && e.message.startsWith('bad.onnx: is not a valid ONNX model: ') && pattern.test(e.message) && /\(at byte 0\)$/.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('agrees with python protobuf, which refuses the same bytes', function () {
    requireOracle();
    const tmp = makeTempDir('onnx-lens-tags-');
    try {
      for (const [label, tag] of CASES) {
        const file = path.join(tmp.dir, 'm.onnx');
        fs.writeFileSync(file, withTag(tag));
        const r = spawnSync('/usr/bin/python3', ['-c', 'import onnx, sys; onnx.load(sys.argv[1])', file], { encoding: 'utf8' });
        assert.notEqual(r.status, 0, `python read ${label}`);
      }
    } finally {
      tmp.cleanup();
    }
  });
});
