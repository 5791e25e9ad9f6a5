import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { BatchBuilder, readAhead } from '../../../src/core/data/batching';
import { encodeIdx } from '../../../src/core/data/idx';
import { encodeNpy } from '../../../src/core/data/npy';
import { encodeNpz } from '../../../src/core/data/npz';
import { sniffDataset } from '../../../src/core/data/sniff';
import { rejectsWith, writeText } from '../../fixtures/data/datasets';
import { makeTempDir } from '../../fixtures/data/tempDir';

describe('data/sniff', () => {
  const tmp = makeTempDir('sniff');
  after(() => tmp.cleanup());
  const npy = encodeNpy({ dtype: 'uint8', shape: [1], data: new Uint8Array(1) });
  const idx = encodeIdx({ dtype: 'uint8', shape: [1, 2, 2], data: new Uint8Array(4) });

  it('goes by extension first', async () => {
    const cases: [string, string | Uint8Array, string, boolean][] = [
      ['a.csv', 'x,label\n1,0\n', 'csv', false],
      ['a.tsv', 'x\tlabel\n', 'tsv', false],
      ['a.ndjson', '{"x":1}\n', 'jsonl', false],
      ['a.npy', npy, 'npy', false],
      ['a.npz', encodeNpz({ x: { dtype: 'uint8', shape: [1], data: new Uint8Array(1) } }), 'npz', false],
      ['train-images-idx3-ubyte', idx, 'idx', false],
      ['train-images-idx3-ubyte.gz', zlib.gzipSync(idx), 'idx', true],
    ];
    for (const [name, content, format, gzip] of cases) {
      fs.writeFileSync(tmp.file(name), content);
      assert.deepEqual(await sniffDataset(tmp.file(name)), { format, gzip, size: fs.statSync(tmp.file(name)).size }, name);
    }
    assert.equal((await sniffDataset(tmp.dir)).format, 'image-folder');
  });

  it('looks at the content when the extension says nothing', async () => {
    const cases: [string, string | Uint8Array, string][] = [
      ['np.bin', npy, 'npy'],
      ['z.dat', encodeNpz({}), 'npz'],
      ['mnist', idx, 'idx'],
      ['mnist-gz', zlib.gzipSync(idx), 'idx'],
      ['rows.txt', '\n{"a": 1, "label": 0}\n', 'jsonl'],
      ['table.txt', 'a,b\n1,2\n', 'csv'],
      ['table.dat', 'a\tb\n1\t2\n', 'tsv'],
    ];
    for (const [name, content, format] of cases) {
      fs.writeFileSync(tmp.file(name), content);
      assert.equal((await sniffDataset(tmp.file(name))).format, format, name);
    }
  });

  it('says plainly what it cannot read', async () => {
    fs.writeFileSync(tmp.file('blob.bin'), Uint8Array.from([0xff, 0xfe, 0, 1, 2, 200, 201]));
    await rejectsWith(sniffDataset(tmp.file('blob.bin')), /^blob\.bin: is binary data in no format ONNX Lens reads as a dataset \(CSV, TSV, JSON Lines, \.npy, \.npz, IDX or a folder of class sub-folders of images\)\.$/);
    await rejectsWith(sniffDataset(writeText(tmp.file('doc.json'), '[1, 2, 3]')), 'doc.json: is a JSON document; datasets must be JSON Lines (one object per line, .jsonl).');
    fs.writeFileSync(tmp.file('rows.csv.gz'), zlib.gzipSync('a,b\n1,2\n'));
    await rejectsWith(sniffDataset(tmp.file('rows.csv.gz')), 'rows.csv.gz: is gzip-compressed; only IDX files are read compressed, so decompress it first.');
    await rejectsWith(sniffDataset(writeText(tmp.file('empty.csv'), '')), 'empty.csv: is empty (0 bytes).');
    await rejectsWith(sniffDataset(tmp.file('nothing.csv')), 'nothing.csv: cannot be read: no such file.');
  });
});

describe('data/batching', () => {
  async function* counting(n: number, log: string[], failAt = -1) {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`produce ${i}`);
        await new Promise((r) => setImmediate(r));
        if (i === failAt) throw new Error(`item ${i} failed`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }

  it('reads ahead of the consumer, in order', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const i of readAhead(counting(5, log), 2)) {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`consume ${i}`);
      seen.push(i);
    }
    assert.deepEqual(seen, [0, 1, 2, 3, 4]);
    assert.ok(log.indexOf('produce 2') < log.indexOf('consume 0'), log.join(', '));
    assert.ok(log.indexOf('closed') < log.indexOf('consume 4'), 'the producer finished ahead of the consumer');
  });

  it('surfaces a producer error when the consumer reaches it, and closes the producer when the consumer stops', async () => {
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const i of readAhead(counting(5, [], 2), 3)) seen.push(i);
      })(),
      /item 2 failed/,
    );
    assert.deepEqual(seen, [0, 1]);
    const log: string[] = [];
    for await (const i of readAhead(counting(100, log), 2)) if (i === 1) break;
    assert.equal(log[log.length - 1], 'closed');
    assert.ok(log.filter((l) => l.startsWith('produce')).length <= 4);
  });

  it('throws an AbortError once the signal aborts', async () => {
    const controller = new AbortController();
    await assert.rejects(
      (async () => {
        for await (const i of readAhead(counting(10, []), 2, controller.signal)) if (i === 1) controller.abort();
      })(),
      { name: 'AbortError' },
    );
  });

  it('hands out fresh arrays per batch and a short last batch', () => {
    const b = new BatchBuilder({ batchSize: 2, featureCount: 1, labelKind: 'class', sources: true });
    for (let i = 0; i < 3; i++) {
      b.features[b.offset()] = i;
      b.commit(i * 10, i + 2, i);
    }
    const batches = b.end(99);
    assert.deepEqual(batches.map((x) => [x.size, x.rowIndex, Array.from(x.features), Array.from(x.labels!), x.sources, x.bytesRead]), [
      [2, 0, [0, 1], [0, 10], [2, 3], 1],
      [1, 2, [2], [20], [4], 99],
    ]);
    assert.notEqual(batches[0].features.buffer, batches[1].features.buffer);
    assert.throws(() => new BatchBuilder({ batchSize: 0, featureCount: 1, labelKind: null, sources: false }), /Batch size must be a whole number ≥ 1, not 0/);
  });
});
