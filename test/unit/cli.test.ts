import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graph, makeTempDir, model, node, tensorValue } from '../fixtures/onnxBuilder';
import { LIGHT_MODELS_DIR } from '../fixtures/prerequisites';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const DENSENET = path.join(LIGHT_MODELS_DIR, 'light_densenet121.onnx');

function cli(...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('onnx-lens inspect', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => (tmp = makeTempDir('onnx-lens-cli-')));
  after(() => tmp.cleanup());

  it('prints exactly one JSON object with the documented fields for the sample model', () => {
    const r = cli('inspect', SAMPLE, '--json');
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    for (const key of ['fileBytes', 'irVersion', 'producer', 'opsets', 'inputs', 'outputs', 'nodeCount', 'nodeCountTotal', 'opCounts', 'parameterCount', 'parameterBytes', 'macs', 'values']) {
      assert.ok(key in s, `missing ${key}`);
    }
    assert.equal(s.fileBytes, fs.statSync(SAMPLE).size);
    assert.deepEqual(s.opsets, { '': 17 });
    assert.deepEqual(s.inputs, [{ name: 'input', elemType: 'float32', shape: ['batch', 64] }]);
    assert.deepEqual(s.outputs.map((o: { name: string; elemType: string }) => [o.name, o.elemType]), [['probabilities', 'float32'], ['label', 'int64']]);
    assert.equal(s.nodeCount, 9);
  });

  it('prints a readable summary without --json', () => {
    const r = cli('inspect', DENSENET);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Inputs\n\s+data_0\s+float32\s+\[1, 3, 224, 224\]/);
    assert.match(r.stdout, /nodes\s+1746/);
    assert.match(r.stdout, /Operators \(\d+ types\)/);
  });

  const bad: [string, () => string, RegExp][] = [
    ['an empty file', () => write('empty.onnx', new Uint8Array(0)), /is empty/],
    ['random bytes', () => write('random.onnx', Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) & 0xff)), /not (a valid|an) ONNX model/],
    ['a truncated model', () => write('trunc.onnx', fs.readFileSync(SAMPLE).subarray(0, 5000)), /truncated|not a valid/],
    ['a JSON file named .onnx', () => write('json.onnx', new TextEncoder().encode('{"not": "onnx", "really": [1, 2, 3]}')), /looks like JSON/],
    ['a graph cycle', () => write('cycle.onnx', model({ graph: graph({ inputs: [tensorValue('x', 'float32', [1])], nodes: [node('Add', ['x', 'b'], ['a']), node('Relu', ['a'], ['b'])], outputs: [tensorValue('b', 'float32', [1])] }) })), /cycle/],
    ['a dangling value name', () => write('dangling.onnx', model({ graph: graph({ inputs: [tensorValue('x', 'float32', [1])], nodes: [node('Add', ['x', 'ghost'], ['y'])], outputs: [tensorValue('y', 'float32', [1])] }) })), /reads 'ghost'/],
    ['a missing file', () => path.join(tmp.dir, 'nope.onnx'), /no such file/],
  ];
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  for (const [label, make, pattern] of bad) {
    it(`exits 1 with one line naming the file for ${label}`, () => {
      const file = make();
      const r = cli('inspect', file, '--json');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.ok(lines[0].includes(file), lines[0]);
      assert.match(lines[0], pattern);
    });
  }

  it('exits 2 on usage errors', () => {
    assert.equal(cli('inspekt', SAMPLE).code, 2);
    assert.equal(cli('inspect').code, 2);
    assert.equal(cli('inspect', SAMPLE, '--jsn').code, 2);
  });
});
