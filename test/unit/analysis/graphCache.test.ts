import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GraphCache } from '../../../src/analysisProcess/graphCache';

describe('the graph cache (encoded structures of models opened before)', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-graph-cache-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** Stores `name` with `bytes` bytes, its time one second after the previous one (mtimes order the files). */
  function store(cache: GraphCache, name: string, bytes: number, at: number): string {
    const file = cache.store(`hash-${name}`, name, new Uint8Array(bytes));
    fs.utimesSync(file, at, at);
    return file;
  }

  it('keeps the most recently used structures within a byte budget, the newest whatever its size', () => {
    const cache = new GraphCache(folder, { files: 10, bytes: 1000 });
    store(cache, 'a', 400, 1);
    store(cache, 'b', 400, 2);
    assert.ok(cache.lookup('hash-a', 'a'), 'two fit');
    fs.utimesSync(cache.pathFor('hash-a', 'a'), 3, 3); // a used again: b is now the oldest
    store(cache, 'c', 400, 4);
    assert.equal(cache.lookup('hash-b', 'b'), undefined, 'the least recently used one went');
    assert.ok(cache.lookup('hash-a', 'a') && cache.lookup('hash-c', 'c'));
    store(cache, 'huge', 5000, 10);
    assert.ok(cache.lookup('hash-huge', 'huge'), 'the one just stored stays');
    assert.deepEqual(fs.readdirSync(folder).filter((f) => f.endsWith('.graph')).length, 1);
  });

  it('keeps at most the given number of files', () => {
    const cache = new GraphCache(folder, { files: 3, bytes: 1 << 30 });
    for (let i = 0; i < 5; i++) store(cache, `m${i}`, 10, i + 1);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => cache.lookup(`hash-m${i}`, `m${i}`) !== undefined), [false, false, true, true, true]);
  });
});
