import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FirstViewStore, isFirstViewPlace, MAX_PICTURE_BYTES } from '../../../src/extension/firstViews';
import type { FirstViewPlace } from '../../../src/shared/protocol';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const place: FirstViewPlace = {
  structureKey: '2|9|412345|0badc0de12345678',
  rect: { left: 0, top: 35.5, width: 1011, height: 640 },
  page: { width: 1280, height: 675 },
  devicePixelRatio: 1,
  themeId: 'Default Dark+',
};

describe('pictures of first views kept by the host (src/extension/firstViews.ts)', () => {
  let dir: string;
  let model: string;
  let store: FirstViewStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-views-'));
    model = path.join(dir, 'model.onnx');
    fs.writeFileSync(model, 'model bytes');
    store = new FirstViewStore(path.join(dir, 'store'), '1.2.3', 3);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pictures = () => fs.readdirSync(path.join(dir, 'store')).filter((n) => n.endsWith('.json')).map((n) => path.join(dir, 'store', n));

  it('gives out where the last page drew its graph canvas, after a restart too', async () => {
    assert.equal(store.lastGeometry(), null, 'none before a picture');
    await store.put(model, place, PNG);
    const geometry = { rect: place.rect, page: place.page };
    assert.deepEqual(store.lastGeometry(), geometry);
    assert.deepEqual(new FirstViewStore(path.join(dir, 'store'), '1.2.3').lastGeometry(), geometry, 'read back from its file');
    fs.writeFileSync(path.join(dir, 'store', 'last-geometry'), '{"rect":{"left":0,"top":0,"width":-5,"height":9},"page":{}}');
    assert.equal(new FirstViewStore(path.join(dir, 'store'), '1.2.3').lastGeometry(), null, 'a damaged file gives none');
  });

  it('gives back what was put, with the PNG as base64, and leaves the model alone', async () => {
    assert.equal(store.get(model), undefined, 'nothing before a put');
    const before = fs.statSync(model);
    await store.put(model, place, PNG);
    assert.deepEqual(store.get(model), { ...place, pngBase64: Buffer.from(PNG).toString('base64') });
    assert.equal(new FirstViewStore(path.join(dir, 'store'), '1.2.4').get(model), undefined, 'another version of the extension may draw it otherwise');
    const after = fs.statSync(model);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(fs.readFileSync(model, 'utf8'), 'model bytes');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'store')).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  });

  it('gives nothing once the model file changed (size or modification time) or is gone', async () => {
    await store.put(model, place, PNG);
    fs.writeFileSync(model, 'other bytes');
    assert.equal(store.get(model), undefined, 'same size, new modification time');
    await store.put(model, place, PNG);
    fs.appendFileSync(model, '!');
    const t = new Date(Date.now() - 5000);
    fs.utimesSync(model, t, t);
    assert.equal(store.get(model), undefined, 'another size');
    fs.rmSync(model);
    assert.equal(store.get(model), undefined, 'gone');
  });

  it('gives nothing for a damaged or tampered entry (its values go into the page HTML)', async () => {
    await store.put(model, place, PNG);
    const [name] = fs.readdirSync(path.join(dir, 'store'));
    const file = path.join(dir, 'store', name);
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    const variants = [
      '{ not json',
      JSON.stringify({ ...good, version: 0 }),
      JSON.stringify({ ...good, pngBase64: '"><script>alert(1)</script>' }),
      JSON.stringify({ ...good, structureKey: 'a"b' }),
      JSON.stringify({ ...good, themeId: '</script>' }),
      JSON.stringify({ ...good, page: { width: '1280', height: 675 } }),
      JSON.stringify({ ...good, rect: { ...good.rect, left: null } }),
      JSON.stringify({ ...good, model: { ...good.model, path: '/elsewhere.onnx' } }),
    ];
    for (const text of variants) {
      fs.writeFileSync(file, text);
      assert.equal(store.get(model), undefined, text.slice(0, 80));
    }
    fs.writeFileSync(file, JSON.stringify(good));
    assert.ok(store.get(model), 'the good entry reads back');
  });

  it('refuses what is not a PNG or not a place, and skips pictures over the size limit', async () => {
    await assert.rejects(store.put(model, place, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])), /not a PNG/);
    await assert.rejects(store.put(model, { ...place, devicePixelRatio: -1 }, PNG), /malformed/);
    const big = new Uint8Array(MAX_PICTURE_BYTES + 1);
    big.set(PNG);
    await store.put(model, place, big);
    assert.equal(store.get(model), undefined);
    assert.equal(isFirstViewPlace({ ...place, rect: { left: 0, top: 0, width: 0, height: 10 } }), false, 'an empty canvas');
    assert.equal(isFirstViewPlace(place), true);
  });

  it('keeps the most recently used pictures', async () => {
    const models = ['a', 'b', 'c', 'd'].map((n) => path.join(dir, `${n}.onnx`));
    for (const [i, m] of models.entries()) {
      fs.writeFileSync(m, m);
      await store.put(m, place, PNG);
      // Modification times a second apart: the order does not depend on the file system's clock resolution.
      const file = pictures().find((f) => fs.statSync(f).mtimeMs > Date.now() - 60_000);
      if (file) fs.utimesSync(file, new Date(Date.now() - 100_000 + i * 1000), new Date(Date.now() - 100_000 + i * 1000));
    }
    assert.equal(pictures().length, 3, 'three kept');
    assert.equal(store.get(models[0]), undefined, 'the oldest went');
    assert.ok(store.get(models[3]));
  });
});
