/**
 * `explain` in the runtime process: KernelSHAP, LIME and permutation importance of the sample's test
 * rows (efficiency to 1e-6, the report's JSON fields), occlusion, RISE and superpixel KernelSHAP of an
 * image model whose class 0 reads the top-left quadrant (the map says so; the sanity check's
 * randomised model correlates less), attention rollout, progress and cancel, and the one-sentence
 * errors: a row out of range, a background with the wrong feature count, an image method on a table.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExplainReport, ExplainRequest, FeatureAttribution, ImageAttributions } from '../../../src/shared/explainReport';
import { isCancelled } from '../../../src/shared/cancellation';
import { encodeNpy } from '../../../src/core/data/npy';
import { attentionModel, quadrantCnn } from '../../fixtures/explainModels';
import { OPTIONS, ROOT, SAMPLE, useRuntime } from '../../fixtures/runtimeModels';

const TEST_CSV = path.join(ROOT, 'media/sample/digits-test.csv');

describe('explaining predictions in the runtime process', function () {
  // Model evaluations by the ten thousand: minutes on a loaded 2-core machine.
  this.timeout(300_000);
  const env = useRuntime('explain');
  const explain = (req: Omit<ExplainRequest, 'model' | 'options'> & { model?: string }) => env.rpc.request('explain', { model: SAMPLE, options: OPTIONS, ...req } as ExplainRequest);
  const row = (n: number) => ({ kind: 'row' as const, data: TEST_CSV, row: n });

  let image: string;
  let cnn: string;
  before(() => {
    cnn = quadrantCnn(env.dir);
    // Bright top-left quadrant, dim elsewhere: class 0 is predicted, and the map must find the quadrant.
    const x = new Float32Array(3 * 32 * 32);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let xx = 0; xx < 32; xx++) x[c * 1024 + y * 32 + xx] = y < 16 && xx < 16 ? 0.5 + ((y * xx) % 5) / 20 : 0.1 + ((y + xx) % 3) / 20;
    image = path.join(env.dir, 'bright-corner.npy');
    fs.writeFileSync(image, encodeNpy({ dtype: 'float32', shape: [1, 3, 32, 32], data: x }));
  });
  const imageSubject = () => ({ kind: 'inputs' as const, inputs: [{ name: 'image', dims: [1, 3, 32, 32], source: { kind: 'npy' as const, path: image } }] });

  it('KernelSHAP of a test row: 64 attributions summing to f(x) − E[f] to 1e-6, with the predicted class', async () => {
    const r = await explain({ method: 'kernelshap', subject: row(3), samples: 1024, seed: 1 });
    assert.equal(r.schema, 'onnx-lens.explain/1');
    assert.equal(r.kind, 'tabular');
    assert.equal(r.output, 'probabilities');
    const attributions = r.attributions as FeatureAttribution[];
    assert.equal(attributions.length, 64);
    assert.equal(attributions[0].feature, 'f0');
    const sum = attributions.reduce((s, a) => s + a.attribution, 0);
    assert.ok(Math.abs(sum - (r.prediction! - r.expected!)) < 1e-6, `Σφ ${sum} vs ${r.prediction! - r.expected!}`);
    assert.ok(r.efficiency!.gap < 1e-6 && !r.efficiency!.exact);
    assert.ok(attributions.every((a) => a.error !== undefined && a.error >= 0));
    assert.equal(typeof r.sample.label, 'number', 'the row\'s label is reported');
    assert.ok(r.prediction! > 0 && r.prediction! <= 1);
    assert.equal(r.budget.samples, 1024);
    assert.equal(r.budget.evaluations, (1024 + 2) * 50, '50 k-means centroids of background');
    assert.ok(r.timeMs > 0 && r.phases.length >= 2);
    const again = await explain({ method: 'kernelshap', subject: row(3), samples: 1024, seed: 1 });
    assert.deepEqual((again.attributions as FeatureAttribution[]).map((a) => a.attribution), attributions.map((a) => a.attribution), 'seeded');
  });

  it('LIME of a test row names each feature\'s bin, and permutation importance reports mean ± std per feature', async () => {
    const lime = await explain({ method: 'lime', subject: row(0), samples: 1500, target: 2 });
    assert.equal(lime.target, 2);
    assert.match((lime.attributions as FeatureAttribution[])[2].condition!, /f2/);
    assert.ok(lime.localModel!.score > 0 && lime.localModel!.score <= 1);
    const perm = await explain({ method: 'permutation', subject: row(0), repeats: 2 });
    assert.equal(perm.metric, 'accuracy');
    assert.ok(perm.baseline! > 0.9);
    assert.equal(perm.importances!.length, 64);
    assert.ok(perm.importances!.some((i) => i.mean > 0.01));
  });

  it('occlusion, RISE and superpixel KernelSHAP find the quadrant class 0 reads, with a sanity check', async () => {
    for (const method of ['occlusion', 'rise', 'kernelshap'] as const) {
      const r = await explain({ model: cnn, method, subject: imageSubject(), masks: 300, window: 4, stride: 4, segments: 16, samples: 400 });
      assert.equal(r.kind, 'image');
      assert.equal(r.target, 0, `${method}: class 0 is predicted`);
      const map = r.attributions as ImageAttributions;
      assert.deepEqual(map.shape, [32, 32]);
      const mean = (inside: boolean) => {
        const v = map.values.filter((_, p) => ((Math.floor(p / 32) < 16 && p % 32 < 16) === inside));
        return v.reduce((a, b) => a + b, 0) / v.length;
      };
      assert.ok(mean(true) > mean(false), `${method}: inside ${mean(true)}, outside ${mean(false)}`);
      assert.ok(r.sanity && 'rankCorrelation' in r.sanity, `${method}: a sanity check`);
      assert.equal(r.sanity.randomizedNode, '/fc/Gemm');
      assert.equal(r.sanity.randomizedValues.length, 32 * 32);
      assert.equal(r.picture!.width, 32);
      if (method === 'kernelshap') assert.ok(r.efficiency!.gap < 1e-6);
    }
  });

  it('rolls out the attention maps of a self-attention block', async () => {
    const model = attentionModel(env.dir);
    const r = await explain({ model, method: 'rollout', subject: { kind: 'inputs', inputs: [{ name: 'x', dims: [1, 2, 5, 4], source: { kind: 'random', distribution: 'normal', seed: 1 } }] } });
    assert.equal(r.kind, 'tokens');
    assert.equal(r.rollout!.tokens, 5);
    assert.deepEqual(r.rollout!.layers, ['attention']);
    for (let i = 0; i < 5; i++) assert.ok(Math.abs(r.rollout!.values.slice(i * 5, i * 5 + 5).reduce((a, b) => a + b, 0) - 1) < 1e-6, 'rows sum to 1');
  });

  it('reports progress and stops with a CancelledError when cancelled', async () => {
    const abort = new AbortController();
    const seen: string[] = [];
    const started = env.rpc.request('explain', { model: cnn, options: OPTIONS, method: 'rise', masks: 100_000, subject: imageSubject() }, {
      signal: abort.signal, onProgress: (p) => { seen.push(p.message); if (seen.length === 3) abort.abort(); },
    });
    await assert.rejects(started, (err) => isCancelled(err));
    assert.match(seen[0], /^RISE: [\d,]+ of 100,001 model evaluations|^RISE: [\d,]+ of 100,000 model evaluations/);
    const after = await explain({ method: 'kernelshap', subject: row(1), samples: 64 });
    assert.equal(after.kind, 'tabular', 'the process serves the next request');
  });

  it('says in one sentence what is wrong with the request', async () => {
    const cases: [Omit<ExplainRequest, 'model' | 'options'> & { model?: string }, RegExp][] = [
      [{ method: 'kernelshap', subject: row(5000) }, /^digits-test\.csv: has no row 5000: it has 450 rows \(0 to 449\)\.$/],
      [{ method: 'occlusion', subject: row(0) }, /^digits-mlp\.onnx: Occlusion explains image inputs, but input 'input' is a row of features \[batch, 64\]; use kernelshap, lime, permutation\.$/],
      [{ method: 'permutation', model: cnn, subject: imageSubject() }, /^quadrant-cnn\.onnx: Permutation importance explains tabular inputs, but input 'image' is an image/],
      [{ method: 'kernelshap', subject: row(0), target: 12 }, /^digits-mlp\.onnx: has no class 12: output 'probabilities' has 10 scores \(0 to 9\)\.$/],
    ];
    const narrow = path.join(env.dir, 'narrow.csv');
    fs.writeFileSync(narrow, 'a,b,label\n1,2,0\n3,4,1\n');
    cases.push([{ method: 'kernelshap', subject: row(0), background: narrow }, /^narrow\.csv: has 2 feature columns \(a, b\) but input 'input' \[batch, 64\] needs 64 per sample\.$/]);
    for (const [req, message] of cases) {
      await assert.rejects(explain(req), (err: Error) => {
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'));
        return true;
      });
    }
  });
});

export type { ExplainReport };
