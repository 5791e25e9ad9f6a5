import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DatasetError } from '../../../src/core/data/errors';
import { float32ToFloat16Bits } from '../../../src/core/data/float16';
import { arrayCtor, type NdArray } from '../../../src/core/data/ndarray';
import type { NumericDtype } from '../../../src/shared/tensorTypes';
import { encodeNpy, parseNpy, readNpy } from '../../../src/core/data/npy';
import { encodeNpz, npzKeys, parseNpz, readNpz } from '../../../src/core/data/npz';
import { requireNumpy, runNumpy } from '../../fixtures/data/numpy';
import { makeTempDir } from '../../fixtures/data/tempDir';

const DTYPES: NumericDtype[] = ['float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool'];

/** Values that exercise each dtype's edges and survive a round trip exactly. */
function sampleValues(dtype: NumericDtype, n: number): NdArray['data'] {
  const Ctor = arrayCtor(dtype);
  const out = new Ctor(n);
  const edges: Record<NumericDtype, (number | bigint)[]> = {
    float16: [0, -0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, Infinity, -Infinity, NaN],
    float32: [0, -0, 1.5, -3.4028234663852886e38, 1.401298464324817e-45, Infinity, NaN, Math.fround(0.1)],
    float64: [0, -0, Math.PI, -1e308, 5e-324, Infinity, NaN, 0.1],
    int8: [-128, 127, 0, -1],
    int16: [-32768, 32767, 0, -1],
    int32: [-2147483648, 2147483647, 0, -1],
    int64: [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n],
    uint8: [0, 255, 1],
    uint16: [0, 65535, 1],
    uint32: [0, 4294967295, 1],
    uint64: [0n, 2n ** 64n - 1n, 2n ** 53n + 1n],
    bool: [0, 1],
  };
  const e = edges[dtype];
  for (let i = 0; i < n; i++) (out as unknown as (number | bigint)[])[i] = i < e.length ? e[i] : e[i % e.length];
  return out;
}

function sameValues(actual: ArrayLike<number | bigint>, expected: ArrayLike<number | bigint>): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Object.is(actual[i], expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`);
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DatasetError, `expected DatasetError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('data/npy', () => {
  const tmp = makeTempDir('npy');
  after(() => tmp.cleanup());

  describe('round trip', () => {
    for (const dtype of DTYPES) {
      for (const endian of ['little', 'big'] as const) {
        it(`encodes and parses ${dtype} ${endian}-endian arrays of every rank, in all three format versions`, () => {
          for (const shape of [[], [0], [7], [2, 3, 4]]) {
            const n = shape.reduce((a, b) => a * b, 1);
            const array = { dtype, shape, data: sampleValues(dtype, n) } as NdArray;
            for (const version of [1, 2, 3] as const) {
              const bytes = encodeNpy(array, { endian, version });
              assert.equal(bytes[6], version);
              const back = parseNpy(bytes, 'a.npy');
              assert.equal(back.dtype, dtype);
              assert.deepEqual(back.shape, shape);
              assert.equal(back.data.constructor, array.data.constructor);
              sameValues(back.data, array.data);
            }
          }
        });
      }
    }

    it('pads the header so the data starts on a 64-byte boundary', () => {
      const bytes = encodeNpy({ dtype: 'float32', shape: [3], data: new Float32Array(3) });
      assert.equal((bytes.length - 12) % 64, 0);
      assert.equal(bytes[bytes.length - 12 - 1], 0x0a);
    });

    it('rounds float16 to nearest-even, like numpy', function () {
      requireNumpy();
      const out = JSON.parse(runNumpy(`
rng = np.random.default_rng(1)
v = np.concatenate([rng.standard_normal(2000) * 1000, rng.standard_normal(2000) * 1e-5, np.array([65519, 65520, 1e6, -1e6, 2**-25, 2**-25 * 1.5, 2**-24 * 0.5, 1 + 2**-11, 1 + 3 * 2**-11], dtype=np.float64)]).astype(np.float32)
print(json.dumps({'v': [float(x) for x in v], 'h': [int(x) for x in v.astype(np.float16).view(np.uint16)]}))`));
      for (let i = 0; i < out.v.length; i++) assert.equal(float32ToFloat16Bits(out.v[i]), out.h[i], `value ${out.v[i]}`);
    });
  });

  describe('numpy interop', () => {
    before(function () {
      requireNumpy();
    });

    it('reads what np.save wrote, for every dtype and both byte orders, and writes the same bytes', () => {
      const out = JSON.parse(runNumpy(`
import os
d = sys.argv[1]
res = {}
for kind in ['f2','f4','f8','i1','i2','i4','i8','u1','u2','u4','u8','b1']:
    for order in ['<', '>']:
        dt = np.dtype(order + kind) if kind not in ('i1','u1','b1') else np.dtype(kind)
        a = (np.arange(24) % 7 - (0 if kind[0] in 'ub' else 3)).reshape(2, 3, 4).astype(dt)
        if kind == 'i8': a.flat[0] = -2**62 - 5
        if kind == 'u8': a.flat[0] = 2**63 + 5
        if kind[0] == 'f': a.flat[1] = 0.1
        name = f'{kind}{"be" if order == ">" else "le"}.npy'
        np.save(os.path.join(d, name), a)
        res[name] = [str(x) if kind in ('i8','u8') else (bool(x) if kind == 'b1' else float(x)) for x in a.flat]
print(json.dumps(res))`, [tmp.dir]));
      for (const [name, expected] of Object.entries(out) as [string, (number | string | boolean)[]][]) {
        const file = tmp.file(name);
        const bytes = fs.readFileSync(file);
        const array = parseNpy(bytes, file);
        assert.deepEqual(array.shape, [2, 3, 4], name);
        const want = expected.map((v) => (typeof v === 'string' ? BigInt(v) : typeof v === 'boolean' ? Number(v) : v));
        const got = Array.from(array.data as ArrayLike<number | bigint>);
        if (array.dtype === 'float16' || array.dtype === 'float32') {
          got.forEach((g, i) => assert.ok(Math.abs((g as number) - (want[i] as number)) < 1e-3, `${name}[${i}]`));
        } else {
          assert.deepEqual(got, want, name);
        }
        const endian = name.includes('be') ? 'big' : 'little';
        assert.deepEqual(Buffer.from(encodeNpy(array, { endian })), bytes, `${name}: encodeNpy writes np.save's bytes`);
      }
    });

    it('writes files numpy loads with the same dtype, shape and values', () => {
      for (const dtype of DTYPES) {
        const array = { dtype, shape: [2, 5], data: sampleValues(dtype, 10) } as NdArray;
        fs.writeFileSync(tmp.file(`ours-${dtype}.npy`), encodeNpy(array, { endian: 'big' }));
      }
      const out = JSON.parse(runNumpy(`
import os
res = {}
for f in sorted(os.listdir(sys.argv[1])):
    if f.startswith('ours-'):
        a = np.load(os.path.join(sys.argv[1], f))
        res[f[5:-4]] = {'dtype': a.dtype.name, 'shape': list(a.shape), 'v': [str(x.item()) for x in a.flat]}
print(json.dumps(res))`, [tmp.dir]));
      const numpyNames: Record<string, string> = { bool: 'bool' };
      for (const dtype of DTYPES) {
        assert.equal(out[dtype].dtype, numpyNames[dtype] ?? dtype);
        assert.deepEqual(out[dtype].shape, [2, 5]);
        const ours = Array.from(sampleValues(dtype, 10) as ArrayLike<number | bigint>);
        out[dtype].v.forEach((text: string, i: number) => {
          const v = ours[i];
          if (typeof v === 'bigint') assert.equal(BigInt(text), v);
          else if (dtype === 'bool') assert.equal(text === 'True' ? 1 : 0, v);
          else if (Number.isNaN(v)) assert.equal(text, 'nan');
          else assert.equal(Number(text.replace('inf', 'Infinity')), v);
        });
      }
    });

    it('reads np.savez (stored) and np.savez_compressed (deflated, ZIP64) archives', async () => {
      runNumpy(`
np.savez(sys.argv[1], x=np.arange(6, dtype='>f4').reshape(2, 3), y=np.array([1, 2], dtype=np.int64))
np.savez_compressed(sys.argv[2], images=np.ones((3, 2, 2), dtype=np.uint8), labels=np.array([True, False, True]))`, [tmp.file('plain.npz'), tmp.file('packed.npz')]);
      const plain = await readNpz(tmp.file('plain.npz'));
      assert.deepEqual([...plain.keys()], ['x', 'y']);
      assert.deepEqual(Array.from(plain.get('x')!.data as Float32Array), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(plain.get('y')!.data, new BigInt64Array([1n, 2n]));
      const packed = await readNpz(tmp.file('packed.npz'));
      assert.deepEqual(packed.get('images')!.shape, [3, 2, 2]);
      assert.deepEqual(Array.from(packed.get('labels')!.data as Uint8Array), [1, 0, 1]);
      assert.deepEqual(npzKeys(fs.readFileSync(tmp.file('packed.npz')), 'packed.npz'), ['images', 'labels']);
    });
  });

  describe('npz', () => {
    it('round-trips stored and deflated archives and decodes only the keys asked for', () => {
      for (const compress of [false, true]) {
        const bytes = encodeNpz({ a: { dtype: 'int16', shape: [2], data: new Int16Array([-1, 2]) }, b: { dtype: 'float64', shape: [], data: new Float64Array([0.5]) } }, compress);
        const all = parseNpz(bytes, 'z.npz');
        assert.deepEqual([...all.keys()], ['a', 'b']);
        assert.deepEqual(all.get('b')!.shape, []);
        assert.deepEqual([...parseNpz(bytes, 'z.npz', ['b']).keys()], ['b']);
      }
    });

    it('names the archive and the member when a member is not a valid .npy', () => {
      const good = encodeNpz({ x: { dtype: 'uint8', shape: [4], data: new Uint8Array(4) } });
      // Corrupt the member's magic inside the stored (uncompressed) archive.
      const at = Buffer.from(good).indexOf('NUMPY');
      const bad = good.slice();
      bad[at] = 0x4d;
      rejects(() => parseNpz(bad, '/data/z.npz'), /^z\.npz: member x\.npy is not a \.npy file/);
    });

    it('rejects empty files, non-ZIP files and broken archives', () => {
      rejects(() => parseNpz(new Uint8Array(0), 'e.npz'), /^e\.npz: is empty/);
      rejects(() => parseNpz(new TextEncoder().encode('hello'), 'h.npz'), /^h\.npz: is not a \.npz archive/);
      const cut = encodeNpz({ x: { dtype: 'uint8', shape: [100], data: new Uint8Array(100) } }).slice(0, 60);
      rejects(() => parseNpz(cut, 'cut.npz'), /^cut\.npz: is not a readable \.npz archive/);
    });
  });

  describe('malformed files', () => {
    const good = () => encodeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) });
    const withHeader = (dict: string, data = new Uint8Array(0), version = 1) => {
      const text = new TextEncoder().encode(`${dict}\n`);
      const pre = version === 1 ? 10 : 12;
      const out = new Uint8Array(pre + text.length + data.length);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
      if (version === 1) new DataView(out.buffer).setUint16(8, text.length, true);
      else new DataView(out.buffer).setUint32(8, text.length, true);
      out.set(text, pre);
      out.set(data, pre + text.length);
      return out;
    };

    it('rejects a wrong magic, an empty file and an unknown version, naming the file', () => {
      const bytes = good();
      bytes[1] = 0x41;
      rejects(() => parseNpy(bytes, '/some/dir/x.npy'), /^x\.npy: is not a \.npy file \(it does not start with \\x93NUMPY\)\.$/);
      rejects(() => parseNpy(new Uint8Array(0), 'x.npy'), /^x\.npy: is empty \(0 bytes\), not a \.npy file\.$/);
      const v4 = good();
      v4[6] = 4;
      rejects(() => parseNpy(v4, 'x.npy'), /format version 4\.0, which is not supported/);
    });

    it('rejects a header cut short and data cut short', () => {
      rejects(() => parseNpy(good().slice(0, 40), 'x.npy'), /^x\.npy: is truncated inside its \.npy header \(40 of 128 bytes\)\.$/);
      rejects(() => parseNpy(good().slice(0, 134), 'x.npy'), /^x\.npy: is truncated: its header announces shape \(2, 2\) of float32, 16 bytes of data, but only 6 follow\.$/);
      const long = new Uint8Array(good().length + 3);
      long.set(good());
      rejects(() => parseNpy(long, 'x.npy'), /has 3 unexpected bytes after the 16 bytes of data/);
    });

    it('rejects Fortran order, structured and non-numeric dtypes, and garbled headers', () => {
      rejects(() => parseNpy(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(16)), 'f.npy'), /^f\.npy: is stored in Fortran \(column-major\) order/);
      rejects(() => parseNpy(withHeader("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }"), 's.npy'), /structured \(record\) array/);
      rejects(() => parseNpy(withHeader("{'descr': '<U5', 'fortran_order': False, 'shape': (2,), }"), 'u.npy'), /holds elements of type '<U5', which is not a numeric type/);
      rejects(() => parseNpy(withHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), 'o.npy'), /type '\|O'/);
      rejects(() => parseNpy(withHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }"), 'c.npy'), /type '<c8'/);
      rejects(() => parseNpy(withHeader("{'fortran_order': False, 'shape': (2,), }"), 'd.npy'), /invalid \.npy header \(no 'descr'\)/);
      rejects(() => parseNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), 'd.npy'), /shape entry 'x' is not a size/);
      rejects(() => parseNpy(withHeader('garbage'), 'g.npy'), /invalid \.npy header \(not a dictionary\)/);
    });

    it('accepts headers numpy variants write: Python 2 longs, double quotes, version 2', () => {
      const a = parseNpy(withHeader('{"descr": "<i2", "fortran_order": False, "shape": (2L,), }', new Uint8Array([1, 0, 255, 255]), 2), 'p.npy');
      assert.deepEqual(Array.from(a.data as Int16Array), [1, -1]);
    });

    it('reports a missing file as unreadable', async () => {
      await assert.rejects(readNpy('/nonexistent/q.npy'), /^DatasetError: q\.npy: cannot be read: no such file\.$/);
      await assert.rejects(readNpz('/nonexistent/q.npz'), /cannot be read: no such file/);
    });
  });
});
