import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { openByteReader } from '../../../src/core/data/byteReader';
import { makeTempDir } from '../../fixtures/data/tempDir';

/** 2.5 MB of seeded bytes: more than two of the reader's 1 MB file reads. */
function bytes(n = 2_500_000): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('data/byteReader', () => {
  const tmp = makeTempDir('byte-reader');
  after(() => tmp.cleanup());
  const data = bytes();
  const raw = tmp.file('data.bin');
  const gz = tmp.file('data.bin.gz');
  fs.writeFileSync(raw, data);
  fs.writeFileSync(gz, zlib.gzipSync(data));

  for (const gzip of [false, true]) {
    it(`returns the file's bytes in order across its reads and window refills${gzip ? ', through gunzip' : ''}`, async () => {
      const reader = openByteReader(gzip ? gz : raw, { gzip });
      // Sizes that end inside, exactly at and across the 1 MB window, and one larger than it.
      const sizes = [7, 1_048_569, 1, 300_000, 1_100_000];
      let at = 0;
      for (const n of sizes) {
        const view = await reader.readExactView(n, 'the test data');
        assert.deepEqual(view, data.subarray(at, at + n), `bytes ${at}–${at + n}`);
        at += n;
      }
      const rest = await reader.readView(4 << 20);
      assert.equal(rest.length, data.length - at, 'the end comes as a short read');
      assert.deepEqual(rest, data.subarray(at));
      assert.equal((await reader.readView(10)).length, 0);
      assert.equal(reader.fileBytesRead, fs.statSync(gzip ? gz : raw).size);
      reader.close();
    });
  }

  it('gives `read` an array of its own, which later reads do not overwrite', async () => {
    const reader = openByteReader(raw);
    const first = await reader.read(100);
    // Views are only valid until the next read: these refill the window over the first bytes.
    for (let i = 0; i < 24; i++) await reader.readView(100_000);
    assert.deepEqual(first, data.subarray(0, 100));
    reader.close();
  });

  it('starts a raw file at an offset, and asks for the next chunk while the current one is consumed', async () => {
    // The module object byteReader.ts reads `read` from (a namespace import copies nothing).
    const nodeFs = require('node:fs') as typeof fs;
    const original = nodeFs.read;
    const positions: number[] = [];
    (nodeFs as { read: unknown }).read = (...args: unknown[]) => {
      positions.push(args[4] as number);
      return (original as (...a: unknown[]) => void)(...args);
    };
    try {
      const reader = openByteReader(raw, { offset: 5 });
      assert.deepEqual(await reader.readExactView(10, 'the test data'), data.subarray(5, 15));
      assert.deepEqual(positions, [5 + (1 << 20)], 'the first chunk is read at once, the second already asked for');
      assert.deepEqual(await reader.readExactView(1 << 20, 'the test data'), data.subarray(15, 15 + (1 << 20)), 'a read across two chunks');
      assert.deepEqual(positions, [5 + (1 << 20), 5 + (2 << 20)]);
      reader.close();
    } finally {
      (nodeFs as { read: unknown }).read = original;
    }
  });

  it('closes with a chunk still being read, and the next reader is not disturbed by it', async () => {
    for (let i = 0; i < 3; i++) {
      const early = openByteReader(raw);
      await early.readView(100); // the second chunk is now in flight
      early.close();
      const next = openByteReader(raw, { offset: 1_000_000 });
      const got: number[] = [];
      for (let at = 1_000_000; at < data.length; at += 250_000) got.push(...(await next.readView(250_000)).subarray(0, 3));
      const want: number[] = [];
      for (let at = 1_000_000; at < data.length; at += 250_000) want.push(...data.subarray(at, at + 3));
      assert.deepEqual(got, want);
      next.close();
    }
  });

  it('names the file when it is missing or ends early', async () => {
    const missing = openByteReader(tmp.file('missing.bin'));
    await assert.rejects(missing.read(4), { message: 'missing.bin: cannot be read: no such file.' });
    missing.close();
    const short = openByteReader(raw);
    await assert.rejects(short.readExactView(3_000_000, 'the data its header announces'), (err: Error) => {
      assert.equal(err.message, 'data.bin: is truncated: it ends inside the data its header announces.');
      return true;
    });
    short.close();
  });
});
