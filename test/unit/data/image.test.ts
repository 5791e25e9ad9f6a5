import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import sharp from 'sharp';
import { DatasetError } from '../../../src/core/data/errors';
import { loadImageTensor } from '../../../src/core/data/image';
import { defaultPreprocess, preprocessProblems, sampleShape } from '../../../src/core/data/preprocess';
import type { PreprocessSpec } from '../../../src/shared/datasetTypes';
import { writeImage, writeSolid } from '../../fixtures/data/images';
import { makeTempDir } from '../../fixtures/data/tempDir';

const RAW: PreprocessSpec = { width: 2, height: 2, resize: 'stretch', crop: 'none', layout: 'NCHW', channels: 'rgb', scale: 1, mean: [0], std: [1] };
/** Four pixels: red, green, blue, (10, 20, 30). */
const PIXELS = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];

function close(actual: Float32Array, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tol, `element ${i}: ${actual[i]} vs ${e}`));
}

describe('data/preprocess', () => {
  it('guesses NCHW RGB at the model size from [N, 3, H, W], with ImageNet statistics', () => {
    const spec = defaultPreprocess(['batch', 3, 32, 48]);
    assert.deepEqual(spec, {
      width: 48, height: 32, resize: 'shorter-side', crop: 'center', layout: 'NCHW', channels: 'rgb',
      scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
    });
    assert.deepEqual(sampleShape(spec), [3, 32, 48]);
  });

  it('guesses NHWC from [N, H, W, 3] and grayscale from [N, 1, H, W], [N, H, W, 1] and [N, H, W]', () => {
    const nhwc = defaultPreprocess([1, 299, 299, 3]);
    assert.equal(nhwc.layout, 'NHWC');
    assert.deepEqual(sampleShape(nhwc), [299, 299, 3]);
    for (const dims of [['N', 1, 28, 28], ['N', 28, 28, 1], ['N', 28, 28]]) {
      const gray = defaultPreprocess(dims);
      assert.equal(gray.channels, 'gray', JSON.stringify(dims));
      assert.equal(gray.width, 28);
      assert.deepEqual([gray.resize, gray.mean, gray.std], ['stretch', [0], [1]]);
    }
  });

  it('uses 224 for symbolic or unknown height and width', () => {
    const spec = defaultPreprocess(['N', 3, 'height', null]);
    assert.deepEqual([spec.width, spec.height], [224, 224]);
    assert.deepEqual([defaultPreprocess([]).width, defaultPreprocess([]).channels], [224, 'rgb']);
  });

  it('lists what is wrong with an edited spec', () => {
    assert.deepEqual(preprocessProblems(defaultPreprocess([1, 3, 8, 8])), []);
    const problems = preprocessProblems({ ...RAW, width: 0, mean: [0, 0], std: [1, 0, 1] });
    assert.deepEqual(problems, ['width must be a whole number from 1 to 16384, not 0', 'mean must have 1 or 3 values', 'std must not be 0']);
  });
});

describe('data/image', () => {
  const tmp = makeTempDir('image');
  after(() => tmp.cleanup());
  before(async () => {
    await writeImage(tmp.file('four.png'), 2, 2, 3, PIXELS);
  });

  it('normalises (x·scale − mean)/std per channel into NCHW, checked against hand-computed values', async () => {
    const spec = { ...RAW, scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const t = await loadImageTensor(tmp.file('four.png'), spec);
    assert.deepEqual(t.dims, [1, 3, 2, 2]);
    const r = (v: number) => (v / 255 - 0.485) / 0.229;
    const g = (v: number) => (v / 255 - 0.456) / 0.224;
    const b = (v: number) => (v / 255 - 0.406) / 0.225;
    // Planes R, G, B; within a plane pixels in row-major order.
    close(t.data, [r(255), r(0), r(0), r(10), g(0), g(255), g(0), g(20), b(0), b(0), b(255), b(30)]);
    assert.ok(Math.abs(t.data[0] - 2.2489083) < 1e-6);
  });

  it('interleaves channels for NHWC and reverses them for BGR', async () => {
    const nhwc = await loadImageTensor(tmp.file('four.png'), { ...RAW, layout: 'NHWC' });
    assert.deepEqual(nhwc.dims, [1, 2, 2, 3]);
    close(nhwc.data, PIXELS);
    const bgr = await loadImageTensor(tmp.file('four.png'), { ...RAW, layout: 'NHWC', channels: 'bgr', mean: [1, 2, 3] });
    close(bgr.data, [-1, -2, 252, -1, 253, -3, 254, -2, -3, 29, 18, 7]);
  });

  it('converts colour to gray with PIL\'s luma and gray to RGB by replication', async () => {
    const gray = await loadImageTensor(tmp.file('four.png'), { ...RAW, channels: 'gray' });
    assert.deepEqual(gray.dims, [1, 1, 2, 2]);
    close(gray.data, [76, 150, 29, 18]);
    await writeImage(tmp.file('gray.png'), 2, 2, 1, [0, 64, 128, 255]);
    const rgb = await loadImageTensor(tmp.file('gray.png'), RAW);
    close(rgb.data, [0, 64, 128, 255, 0, 64, 128, 255, 0, 64, 128, 255]);
  });

  it('drops alpha rather than compositing it', async () => {
    await writeImage(tmp.file('rgba.png'), 2, 2, 4, [255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 7]);
    close((await loadImageTensor(tmp.file('rgba.png'), { ...RAW, layout: 'NHWC' })).data, PIXELS);
  });

  it('decodes WebP, GIF (first frame) and JPEG', async () => {
    await writeImage(tmp.file('four.webp'), 2, 2, 3, PIXELS, 'webp');
    close((await loadImageTensor(tmp.file('four.webp'), { ...RAW, layout: 'NHWC' })).data, PIXELS);
    await writeImage(tmp.file('four.gif'), 2, 2, 3, PIXELS, 'gif');
    close((await loadImageTensor(tmp.file('four.gif'), { ...RAW, layout: 'NHWC' })).data, PIXELS);
    await writeSolid(tmp.file('solid.jpg'), 16, 16, [200, 100, 50], 'jpeg');
    const jpg = await loadImageTensor(tmp.file('solid.jpg'), { ...RAW, width: 16, height: 16, layout: 'NHWC' });
    for (let i = 0; i < jpg.data.length; i++) assert.ok(Math.abs(jpg.data[i] - [200, 100, 50][i % 3]) <= 2, `jpeg element ${i}: ${jpg.data[i]}`);
  });

  it('stretches to the target size', async () => {
    await writeSolid(tmp.file('one.png'), 1, 1, [9, 8, 7]);
    const t = await loadImageTensor(tmp.file('one.png'), { ...RAW, width: 3, height: 2, layout: 'NHWC' });
    assert.deepEqual(t.dims, [1, 2, 3, 3]);
    close(t.data, Array.from({ length: 6 }, () => [9, 8, 7]).flat());
  });

  it('resizes the shorter side and crops the centre, or letterboxes with black when crop is none', async () => {
    // 4×2, each column a different gray: the centre 2×2 of it is columns 1 and 2, unscaled.
    const cols = [10, 20, 30, 40];
    await writeImage(tmp.file('wide.png'), 4, 2, 1, [...cols, ...cols]);
    const cropped = await loadImageTensor(tmp.file('wide.png'), { ...RAW, resize: 'shorter-side', crop: 'center', channels: 'gray' });
    close(cropped.data, [20, 30, 20, 30]);
    await writeSolid(tmp.file('wide-solid.png'), 4, 2, [200, 200, 200]);
    const boxed = await loadImageTensor(tmp.file('wide-solid.png'), { ...RAW, width: 4, height: 4, resize: 'shorter-side', crop: 'none', channels: 'gray' });
    // The image becomes 4×2 inside 4×4: two rows of 200, two of black padding.
    assert.deepEqual(Array.from(boxed.data).sort((a, b) => a - b), [...Array(8).fill(0), ...Array(8).fill(200)]);
  });

  it('reports corrupt, truncated, missing and folder paths as one sentence naming the file', async () => {
    fs.writeFileSync(tmp.file('text.png'), 'this is not a PNG');
    fs.writeFileSync(tmp.file('empty.png'), '');
    const jpeg = await sharp(Buffer.alloc(64 * 64 * 3, 90), { raw: { width: 64, height: 64, channels: 3 } }).jpeg().toBuffer();
    fs.writeFileSync(tmp.file('cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    const cases: [string, RegExp][] = [
      [tmp.file('text.png'), /^text\.png: is not a readable image: [^\n]*unsupported image format\.$/],
      [tmp.file('cut.jpg'), /^cut\.jpg: is not a readable image: [^\n]*\.$/],
      [tmp.file('nope.png'), /^nope\.png: cannot be read: no such file\.$/],
      [tmp.file('empty.png'), /^empty\.png: is empty \(0 bytes\), not an image\.$/],
      [tmp.dir, /: cannot be read: it is a folder\.$/],
    ];
    for (const [file, pattern] of cases) {
      await assert.rejects(loadImageTensor(file, RAW), (err: unknown) => {
        assert.ok(err instanceof DatasetError, String(err));
        assert.match(err.message, pattern);
        return true;
      });
    }
  });

  it('refuses an unusable spec before touching the file', async () => {
    await assert.rejects(loadImageTensor(tmp.file('four.png'), { ...RAW, std: [0] }), /^RangeError: Preprocessing settings are not usable: std must not be 0\.$/);
  });
});
