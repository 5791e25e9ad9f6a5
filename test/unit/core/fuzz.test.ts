import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OnnxLensError } from '../../../src/core/errors';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { mulberry32 } from '../../fixtures/bigModels';
import { MUTATIONS } from '../../fixtures/mutations';
import { LIGHT_MODELS_DIR } from '../../fixtures/prerequisites';

const SAMPLE = path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx');
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 3000);

const pick = (rnd: () => number, n: number) => Math.floor(rnd() * n);

describe('fuzzing the reader, graph builder, shape inference and summary with mutated real models', function () {
  this.timeout(600_000);
  const models = ['light_squeezenet.onnx', 'light_bvlc_alexnet.onnx', 'light_inception_v1.onnx', 'light_zfnet512.onnx']
    .map((f) => path.join(LIGHT_MODELS_DIR, f))
    .concat([SAMPLE]);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-fuzz-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // A hang fails through the test's timeout; the slowest case against the unmutated parse is bench/fuzz.bench.ts's.
  it(`survives ${ITERATIONS} mutations with only typed errors`, () => {
    assert.ok(models.length >= 3, 'fixture models are missing');
    const originals = models.map((f) => new Uint8Array(fs.readFileSync(f)));
    const rnd = mulberry32(20261123);
    const names = Object.keys(MUTATIONS);
    const outcomes = { ok: 0, typedError: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const which = pick(rnd, originals.length);
      const mutation = names[pick(rnd, names.length)];
      const bytes = MUTATIONS[mutation](originals[which], rnd);
      const label = `case ${i} (${mutation} of ${path.basename(models[which])})`;
      try {
        const model = readModelBytes(bytes, 'fuzz.onnx', dir);
        const { summary } = analyzeModel(model, 'fuzz.onnx');
        JSON.stringify(summary);
        outcomes.ok++;
      } catch (err) {
        if (!(err instanceof OnnxLensError)) {
          assert.fail(`${label} threw an untyped ${(err as Error)?.name}: ${(err as Error)?.stack ?? err}`);
        }
        assert.ok(!err.message.includes('\n'), `${label}: error is not one line: ${err.message}`);
        assert.ok(err.message.startsWith('fuzz.onnx: '), `${label}: error does not name the file: ${err.message}`);
        outcomes.typedError++;
      }
    }
    // Both outcomes must occur, or the mutations are not exercising anything.
    assert.ok(outcomes.ok > 0 && outcomes.typedError > 0, JSON.stringify(outcomes));
  });
});
