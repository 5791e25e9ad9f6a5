/**
 * Issue 13, item 2: label files beside a model or dataset (`labels.txt`, `<stem>.labels.txt`,
 * `classes.txt`, `synset.txt`) are read under the folder-file rules — regular files inside the
 * folder, no link out, no device, a size cap — and a list whose count is not the model's class
 * count is not applied, which the Run tab, the CLI and evaluation reports say.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findClassNames } from '../../../src/core/data/labels';
import { findModelLabels } from '../../../src/core/modelLabels';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { OPTIONS, random, ROOT, softmaxModel, useRuntime } from '../../fixtures/runtimeModels';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

describe('security: label files (issue 13, item 2)', function () {
  this.timeout(120_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let outside: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('onnx-lens-sec-labels-');
    outside = makeTempDir('onnx-lens-sec-private-');
    fs.writeFileSync(path.join(outside.dir, 'private.txt'), 'alice:secret\nbob:hunter2\nroot:x\n');
  });
  after(() => {
    tmp.cleanup();
    outside.cleanup();
  });
  const folder = () => fs.mkdtempSync(path.join(tmp.dir, 'case-'));

  it('does not follow a labels.txt that links to a private file outside the folder, and says why', () => {
    const dir = folder();
    fs.symlinkSync(path.join(outside.dir, 'private.txt'), path.join(dir, 'labels.txt'));
    const lookup = findModelLabels(path.join(dir, 'm.onnx'), []);
    assert.equal(lookup.found, null);
    assert.match(lookup.note ?? '', /the labels file at 'labels\.txt' is a link that leads outside the folder, which is refused/);
    assert.equal(findClassNames(path.join(dir, 'data.csv'))?.names.length ?? 0, 0);
  });

  it('does not read a labels.txt that is /dev/zero (link) or a FIFO (it would block), and stops at the size cap', () => {
    const dir = folder();
    fs.symlinkSync('/dev/zero', path.join(dir, 'labels.txt'));
    spawnSync('mkfifo', [path.join(dir, 'classes.txt')]);
    fs.writeFileSync(path.join(dir, 'synset.txt'), 'x\n'.repeat(3 << 20));
    // A read of /dev/zero or the FIFO would never return: the test would fail on its timeout.
    const lookup = findModelLabels(path.join(dir, 'm.onnx'), []);
    assert.equal(lookup.found, null);
    assert.match(lookup.note ?? '', /leads outside the folder/);
    const fifo = fs.mkdtempSync(path.join(tmp.dir, 'fifo-'));
    spawnSync('mkfifo', [path.join(fifo, 'labels.txt')]);
    assert.match(findModelLabels(path.join(fifo, 'm.onnx'), []).note ?? '', /device, pipe or socket/);
    const big = fs.mkdtempSync(path.join(tmp.dir, 'big-'));
    fs.writeFileSync(path.join(big, 'labels.txt'), 'x\n'.repeat(3 << 20));
    assert.match(findModelLabels(path.join(big, 'm.onnx'), []).note ?? '', /more than the \d+ allowed/);
  });

  it('applies a list only when its count is the class count, else says so; a matching file further down is used', () => {
    const dir = folder();
    fs.writeFileSync(path.join(dir, 'labels.txt'), Array.from({ length: 10 }, (_, i) => `digit ${i}`).join('\n'));
    const wrong = findModelLabels(path.join(dir, 'm.onnx'), [], 1000);
    assert.equal(wrong.found, null);
    assert.equal(wrong.note, 'labels.txt has 10 class names but there are 1000 classes, so the names are not used');
    fs.writeFileSync(path.join(dir, 'synset.txt'), Array.from({ length: 1000 }, (_, i) => `n${i}`).join('\n'));
    assert.equal(findModelLabels(path.join(dir, 'm.onnx'), [], 1000).found?.source, 'synset.txt');
    assert.equal(findModelLabels(path.join(dir, 'm.onnx'), [{ key: 'names', value: '["a","b"]' }], 2).found?.source, "metadata 'names'");
    assert.equal(findClassNames(path.join(dir, 'd.csv'), undefined, 1000)?.source, 'synset.txt');
    assert.match(findClassNames(path.join(dir, 'd.csv'), undefined, 7)?.note ?? '', /labels\.txt has 10 class names but there are 7 classes/);
  });

  describe('where labels are shown', () => {
    const env = useRuntime('sec-labels');
    it('Run: top-k of a 3-class model beside a 10-name labels.txt carries no names and the reason (signature too)', async () => {
      const dir = fs.mkdtempSync(path.join(env.dir, 'run-'));
      fs.writeFileSync(path.join(dir, 'labels.txt'), Array.from({ length: 10 }, (_, i) => String(i)).join('\n'));
      const file = softmaxModel(dir);
      const sig = await env.rpc.request('signature', { model: file, options: OPTIONS });
      assert.equal(sig.labels, null);
      assert.match(sig.labelNote ?? '', /labels\.txt has 10 class names but there are 3 classes/);
      const result = await env.rpc.request('run', { model: file, options: OPTIONS, inputs: [{ name: 'logits', dims: [1, 3], source: random(3, -2, 2) }] });
      const out = result.outputs.find((o) => o.name === 'scores')!;
      assert.equal(out.topK!.length, 3);
      assert.ok(out.topK!.every((k) => k.label === undefined));
      assert.match(out.labelNote ?? '', /not used/);
      const cli = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), 'run', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, /class names not shown: labels\.txt has 10 class names but there are 3 classes, so the names are not used/);
    });

    it('eval: a labels.txt beside the data whose count is not the class count is not used, and the report says so', () => {
      const dir = fs.mkdtempSync(path.join(env.dir, 'eval-'));
      const data = path.join(dir, 'digits-test.csv');
      fs.copyFileSync(path.join(ROOT, 'media/sample/digits-test.csv'), data);
      fs.writeFileSync(path.join(dir, 'labels.txt'), 'cat\ndog\nbird\n');
      const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), 'eval', path.join(ROOT, 'media/sample/digits-mlp.onnx'), '--data', data, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { warnings: string[]; report: { data: { classNamesSource: string | null } } };
      assert.ok(out.warnings.includes('Class names of the data: labels.txt has 3 class names but there are 10 classes, so the names are not used.'), out.warnings.join(' | '));
      assert.notEqual(out.report.data.classNamesSource, 'labels.txt');
    });
  });
});
