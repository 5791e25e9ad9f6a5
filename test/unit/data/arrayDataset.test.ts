import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { openDataset } from '../../../src/core/data/dataset';
import { encodeIdx, readIdx } from '../../../src/core/data/idx';
import type { NdArray } from '../../../src/core/data/ndarray';
import { encodeNpy } from '../../../src/core/data/npy';
import { encodeNpz } from '../../../src/core/data/npz';
import { labelNamesFor } from '../../../src/core/data/pairing';
import { collect, failsReading, rejectsWith, writeIdxPair } from '../../fixtures/data/datasets';
import { requireNumpy, runNumpy } from '../../fixtures/data/numpy';
import { makeTempDir } from '../../fixtures/data/tempDir';

function range<T = number>(n: number, f: (i: number) => T = (i) => i as T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

describe('data/arrayDataset', () => {
  const tmp = makeTempDir('arrays');
  after(() => tmp.cleanup());
  const save = (name: string, a: NdArray, endian: 'little' | 'big' = 'little') => {
    fs.mkdirSync(tmp.file(name.split('/').slice(0, -1).join('/') || '.'), { recursive: true });
    fs.writeFileSync(tmp.file(name), encodeNpy(a, { endian }));
    return tmp.file(name);
  };
  const x5x3: NdArray = { dtype: 'float32', shape: [5, 3], data: Float32Array.from(range(15, (i) => i / 2)) };
  const y5: NdArray = { dtype: 'int64', shape: [5], data: BigInt64Array.from(range(5, (i) => BigInt(i % 3))) };

  describe('.npy pairs', () => {
    it('pairs x_test.npy with y_test.npy and streams samples in batches', async () => {
      save('pair/x_test.npy', x5x3);
      save('pair/y_test.npy', y5);
      const r = await openDataset(tmp.file('pair/x_test.npy'));
      assert.equal(r.format, 'npy');
      assert.deepEqual(r.columns, [{ name: 'x', shape: [3], size: 3 }]);
      assert.equal(r.numSamples, 5);
      assert.equal(r.labelKind, 'class', 'int64 labels are classes');
      const all = await collect(r, 2);
      assert.deepEqual(all.sizes, [2, 2, 1]);
      assert.deepEqual(all.features, range(5, (s) => range(3, (j) => (s * 3 + j) / 2)));
      assert.deepEqual(all.labels, [0, 1, 2, 0, 1]);
      assert.equal(all.batches[0].sources, undefined);
      assert.equal(all.batches[2].bytesRead, r.totalBytes);
    });

    it('reads big-endian and integer inputs, [N, 1] float labels as values, and an explicit labels path', async () => {
      save('be/inputs.npy', { dtype: 'int16', shape: [2, 2, 2], data: Int16Array.from([1, -2, 3, -4, 5, -6, 7, -8]) }, 'big');
      save('be/targets.npy', { dtype: 'float64', shape: [2, 1], data: Float64Array.from([0.5, -1.5]) });
      const r = await openDataset(tmp.file('be/inputs.npy'));
      assert.deepEqual(r.columns[0].shape, [2, 2]);
      assert.equal(r.labelKind, 'value');
      const all = await collect(r, 8);
      assert.deepEqual(all.features, [[1, -2, 3, -4], [5, -6, 7, -8]]);
      assert.deepEqual(all.labels, [0.5, -1.5]);
      save('be/other.npy', { dtype: 'uint8', shape: [2], data: Uint8Array.from([1, 0]) });
      const explicit = await collect(await openDataset(tmp.file('be/inputs.npy'), { labelsPath: tmp.file('be/other.npy') }), 8);
      assert.deepEqual(explicit.labels, [1, 0]);
    });

    it('names the labels file a dataset is paired with, for the usual spellings', () => {
      assert.deepEqual(labelNamesFor('x_test'), ['y_test']);
      assert.deepEqual(labelNamesFor('X_train'), ['y_train', 'Y_train']);
      assert.deepEqual(labelNamesFor('t10k-images-idx3-ubyte'), ['t10k-labels-idx1-ubyte']);
      assert.deepEqual(labelNamesFor('test_inputs'), ['test_labels', 'test_targets']);
      assert.deepEqual(labelNamesFor('weights'), []);
    });

    it('reads files numpy wrote', async function () {
      requireNumpy();
      runNumpy("np.save(sys.argv[1], np.arange(12, dtype='>f8').reshape(4, 3)); np.save(sys.argv[2], np.array([3, 1, 4, 1], dtype=np.uint8))", [tmp.file('X.npy'), tmp.file('y.npy')]);
      const all = await collect(await openDataset(tmp.file('X.npy'), { numClasses: 5 }), 3);
      assert.deepEqual(all.features[3], [9, 10, 11]);
      assert.deepEqual(all.labels, [3, 1, 4, 1]);
    });

    it('rejects missing or mismatched labels and truncated data, naming the file', async () => {
      save('lone/features.npy', x5x3);
      await rejectsWith(openDataset(tmp.file('lone/features.npy')), 'features.npy: has no labels file beside it (such as labels.npy); name the labels file, or read it without labels.');
      assert.equal((await openDataset(tmp.file('lone/features.npy'), { labelColumn: null })).labelColumn, null);
      save('short/x.npy', x5x3);
      save('short/y.npy', { dtype: 'int64', shape: [4], data: new BigInt64Array(4) });
      await rejectsWith(openDataset(tmp.file('short/x.npy')), 'y.npy: has 4 labels but x.npy has 5 samples.');
      save('wide/x.npy', x5x3);
      save('wide/y.npy', { dtype: 'int64', shape: [5, 2], data: new BigInt64Array(10) });
      await rejectsWith(openDataset(tmp.file('wide/x.npy')), 'y.npy: holds labels of shape (5, 2); one label per sample, shape (5,), is needed.');
      save('range/x.npy', x5x3);
      save('range/y.npy', y5);
      await failsReading(await openDataset(tmp.file('range/x.npy'), { numClasses: 2 }), 'y.npy, row 3: 2 is not a class index from 0 to 1.');
      const cut = encodeNpy(x5x3);
      fs.mkdirSync(tmp.file('cut'), { recursive: true });
      fs.writeFileSync(tmp.file('cut/x.npy'), cut.subarray(0, cut.length - 10));
      save('cut/y.npy', y5);
      await failsReading(await openDataset(tmp.file('cut/x.npy')), 'x.npy: is truncated: it ends inside the data its header announces (5 samples).', 2);
    });
  });

  describe('.npz', () => {
    it('finds the inputs and labels arrays by their usual keys, stored or deflated', async () => {
      for (const compress of [false, true]) {
        const file = tmp.file(`d${compress ? 'c' : ''}.npz`);
        fs.writeFileSync(file, encodeNpz({ meta: { dtype: 'int8', shape: [1], data: new Int8Array(1) }, X: x5x3, labels: y5 }, compress));
        const r = await openDataset(file);
        assert.equal(r.format, 'npz');
        assert.deepEqual([r.columns[0].name, r.labelColumn], ['X', 'labels']);
        const all = await collect(r, 4);
        assert.deepEqual(all.features[4], [6, 6.5, 7]);
        assert.deepEqual(all.labels, [0, 1, 2, 0, 1]);
      }
    });

    it('asks which split to use when keys are ambiguous, and pairs x_test with y_test once told', async () => {
      const file = tmp.file('keras.npz');
      fs.writeFileSync(file, encodeNpz({ x_train: x5x3, y_train: y5, x_test: x5x3, y_test: y5 }));
      await rejectsWith(openDataset(file), 'keras.npz: holds the arrays x_train, y_train, x_test, y_test and none of them is named x, inputs, data, images or features; choose the inputs array.');
      const r = await openDataset(file, { inputKey: 'x_test' });
      assert.equal(r.labelColumn, 'y_test');
      await rejectsWith(openDataset(file, { inputKey: 'x_test', labelColumn: 'z' }), "keras.npz: holds the arrays x_train, y_train, x_test, y_test and none is named 'z'; choose the labels array.");
      fs.writeFileSync(tmp.file('mismatch.npz'), encodeNpz({ x: x5x3, y: { dtype: 'int64', shape: [2], data: new BigInt64Array(2) } }));
      await rejectsWith(openDataset(tmp.file('mismatch.npz')), "mismatch.npz, column y: has 2 labels but 'x' has 5 samples.");
    });
  });

  describe('IDX (MNIST format)', () => {
    const images = Uint8Array.from(range(3 * 4 * 4, (i) => (i * 7) % 256));
    const labels = Uint8Array.from([7, 2, 1]);

    for (const gzip of [false, true]) {
      it(`pairs ${gzip ? 'gzipped ' : ''}images and labels files by name and streams the images`, async () => {
        const dir = tmp.file(gzip ? 'idx-gz' : 'idx');
        const files = writeIdxPair(dir, 't10k', images, labels, 4, 4, gzip);
        const r = await openDataset(files.images, { numClasses: 10 });
        assert.equal(r.format, 'idx');
        assert.deepEqual(r.columns, [{ name: 'image', shape: [4, 4], size: 16 }]);
        assert.equal(r.numSamples, 3);
        const all = await collect(r, 2);
        assert.deepEqual(all.sizes, [2, 1]);
        assert.deepEqual(all.features[1], Array.from(images.subarray(16, 32)));
        assert.deepEqual(all.labels, [7, 2, 1]);
        assert.equal(all.batches[1].bytesRead, fs.statSync(files.images).size);
      });
    }

    it('decodes every IDX element type, big-endian', async () => {
      const file = tmp.file('types.idx');
      for (const a of [
        { dtype: 'int8', shape: [2], data: Int8Array.from([-1, 2]) },
        { dtype: 'int16', shape: [2], data: Int16Array.from([-300, 2]) },
        { dtype: 'int32', shape: [1, 2], data: Int32Array.from([-70000, 2]) },
        { dtype: 'float32', shape: [2], data: Float32Array.from([1.5, -2]) },
        { dtype: 'float64', shape: [2], data: Float64Array.from([Math.PI, -2]) },
      ] as NdArray[]) {
        fs.writeFileSync(file, encodeIdx(a));
        const back = await readIdx(file);
        assert.deepEqual([back.dtype, back.shape, Array.from(back.data as Float64Array)], [a.dtype, a.shape, Array.from(a.data as Float64Array)]);
      }
    });

    it('rejects a wrong magic number, truncated data, a corrupt gzip stream and a labels count mismatch', async () => {
      const dir = tmp.file('idx-bad');
      const files = writeIdxPair(dir, 'train', images, labels, 4, 4, false);
      fs.writeFileSync(files.images, Buffer.concat([Buffer.from([0, 0, 0x42, 3]), fs.readFileSync(files.images).subarray(4)]));
      await rejectsWith(openDataset(files.images, { format: 'idx' }), 'train-images-idx3-ubyte: is not an IDX file (its magic number is 00 00 42 03, expected 00 00 <type 08-0e> <1-4 dims>).');
      const good = encodeIdx({ dtype: 'uint8', shape: [3, 4, 4], data: images });
      fs.writeFileSync(files.images, good.subarray(0, good.length - 5));
      await failsReading(await openDataset(files.images), 'train-images-idx3-ubyte: is truncated: it ends inside the data its header announces (3 samples).', 1);
      const gz = writeIdxPair(tmp.file('idx-badgz'), 'train', images, labels, 4, 4, true);
      const packed = fs.readFileSync(gz.images);
      fs.writeFileSync(gz.images, packed.subarray(0, packed.length - 12));
      await failsReading(await openDataset(gz.images), /^train-images-idx3-ubyte\.gz: is not valid gzip data: unexpected end of file\.$/, 1);
      fs.writeFileSync(files.images, good);
      fs.writeFileSync(files.labels, zlib.gunzipSync(zlib.gzipSync(encodeIdx({ dtype: 'uint8', shape: [2], data: labels.subarray(0, 2) }))));
      await rejectsWith(openDataset(files.images), 'train-labels-idx1-ubyte: has 2 labels but train-images-idx3-ubyte has 3 samples.');
    });
  });

  describe('Fashion-MNIST from Debian (dataset-fashion-mnist, installed by .ci/run)', () => {
    const FASHION = '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';

    it('streams the 10k test images with their labels: 1000 per class, pixels as numpy reads them', async function () {
      assert.ok(fs.existsSync(FASHION), `${FASHION} is missing: apt-get install dataset-fashion-mnist (.ci/run does)`);
      this.timeout(30_000);
      const r = await openDataset(FASHION, { numClasses: 10 });
      assert.deepEqual([r.numSamples, r.columns[0].shape, r.labelKind], [10_000, [28, 28], 'class']);
      const counts = new Array<number>(10).fill(0);
      let firstSum = 0;
      for await (const b of r.batches(1000)) {
        if (b.rowIndex === 0) firstSum = b.features.subarray(0, 784).reduce((a, v) => a + v, 0);
        for (const l of b.labels!) counts[l]++;
      }
      assert.deepEqual(counts, new Array(10).fill(1000));
      requireNumpy();
      const sum = runNumpy("import gzip\nd = gzip.open(sys.argv[1]).read()\nprint(int(np.frombuffer(d, np.uint8, 784, 16).sum()))", [FASHION]);
      assert.equal(firstSum, Number(sum));
    });
  });
});
