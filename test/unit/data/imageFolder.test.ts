import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openDataset } from '../../../src/core/data/dataset';
import { loadImageTensor } from '../../../src/core/data/image';
import type { PreprocessSpec } from '../../../src/shared/datasetTypes';
import { collect, failsReading, rejectsWith, writeText } from '../../fixtures/data/datasets';
import { writeSolid } from '../../fixtures/data/images';
import { makeTempDir } from '../../fixtures/data/tempDir';

const SPEC: PreprocessSpec = { width: 4, height: 4, resize: 'stretch', crop: 'none', layout: 'NCHW', channels: 'rgb', scale: 1 / 255, mean: [0.5], std: [0.5] };

describe('data/imageFolder', () => {
  const tmp = makeTempDir('images');
  after(() => tmp.cleanup());

  before(async () => {
    // Classes sort by code point: 'Zebra' < 'cat' < 'dog'.
    await writeSolid(tmp.file('pets/dog/b.png'), 8, 6, [200, 10, 10]);
    await writeSolid(tmp.file('pets/dog/a.jpg'), 5, 5, [10, 200, 10], 'jpeg');
    await writeSolid(tmp.file('pets/cat/nested/c.webp'), 4, 4, [10, 10, 200], 'webp');
    await writeSolid(tmp.file('pets/Zebra/z.gif'), 3, 7, [255, 255, 255], 'gif');
    writeText(tmp.file('pets/cat/notes.txt'), 'not an image');
    writeText(tmp.file('pets/.hidden/x.png'), 'hidden folders are skipped');
  });

  it('takes classes from sorted sub-folder names and decodes every image with the spec', async () => {
    const r = await openDataset(tmp.file('pets'), { preprocess: SPEC });
    assert.equal(r.format, 'image-folder');
    assert.deepEqual(r.classNames, ['Zebra', 'cat', 'dog']);
    assert.equal(r.classNamesSource, 'folder names');
    assert.deepEqual(r.columns, [{ name: 'image', shape: [3, 4, 4], size: 48 }]);
    assert.equal(r.numSamples, 4);
    assert.deepEqual(r.preprocess, SPEC);
    const all = await collect(r, 3);
    assert.deepEqual(all.sizes, [3, 1]);
    assert.deepEqual(all.labels, [0, 1, 2, 2]);
    assert.deepEqual(all.sources, ['pets/Zebra/z.gif', 'pets/cat/nested/c.webp', 'pets/dog/a.jpg', 'pets/dog/b.png'].map((p) => tmp.file(p)));
    for (let i = 0; i < 4; i++) {
      const single = await loadImageTensor(all.sources[i] as string, SPEC);
      assert.deepEqual(all.features[i], Array.from(single.data), `sample ${i} equals loadImageTensor`);
    }
    assert.ok(Math.abs(all.features[3][0] - (200 / 255 - 0.5) / 0.5) < 1e-6);
    assert.equal(all.batches[1].bytesRead, r.totalBytes);
  });

  it('uses the default 224×224 RGB preprocessing when none is given', async () => {
    const r = await openDataset(tmp.file('pets'));
    assert.deepEqual(r.columns[0].shape, [3, 224, 224]);
  });

  it('names the image that cannot be decoded', async () => {
    await writeSolid(tmp.file('broken/a/ok.png'), 2, 2, [1, 2, 3]);
    writeText(tmp.file('broken/b/bad.png'), 'garbage');
    await failsReading(await openDataset(tmp.file('broken'), { preprocess: SPEC }), 'bad.png: is not a readable image: Input file contains unsupported image format.', 1);
  });

  it('rejects folders without class sub-folders or without images, and unusable settings', async () => {
    fs.mkdirSync(tmp.file('flat'), { recursive: true });
    await writeSolid(tmp.file('flat/x.png'), 2, 2, [1, 2, 3]);
    await rejectsWith(openDataset(tmp.file('flat')), 'flat: has no sub-folders; an image dataset needs one sub-folder of images per class.');
    writeText(tmp.file('textonly/a/readme.md'), '#');
    await rejectsWith(openDataset(tmp.file('textonly')), /^textonly: has no images \(\.png, \.jpg, .*\) in its class sub-folders\.$/);
    await assert.rejects(openDataset(tmp.file('pets'), { preprocess: { ...SPEC, width: 0 } }), /^RangeError: Preprocessing settings are not usable: width must be/);
    await rejectsWith(openDataset(tmp.file('pets/dog/b.png')), 'b.png: is a single image; choose the folder that holds one sub-folder of images per class.');
  });

  it('stops with an AbortError between images', async () => {
    const r = await openDataset(tmp.file('pets'), { preprocess: SPEC });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(collect(r, 1, controller.signal), { name: 'AbortError' });
  });
});
