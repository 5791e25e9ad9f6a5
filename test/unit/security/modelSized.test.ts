/**
 * Issue 13, item 10: nothing recurses per node or spreads a model-sized list into a call. A cycle
 * through 200k nodes, 1M graph inputs and a node with 200k inputs go through the reader, graph,
 * shapes, summary, payload, node details, the CLI's text output and the graph view's hierarchy
 * without "Maximum call stack size exceeded".
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeModel } from '../../../src/core/modelAnalysis';
import { buildGraphPayload } from '../../../src/core/graph/payload';
import { nodeDetails } from '../../../src/core/nodeDetails';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { renderSummary } from '../../../src/cli/inspect';
import { table } from '../../../src/cli/format';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { cycleModel, manyInputsModel, wideNodeModel } from '../../fixtures/stressModels';
import { ROOT } from '../../fixtures/runtimeModels';
import { countTag, withFakeDocument } from '../../fixtures/fakeDom';
import { computeScene } from '../../../src/core/graphLayout/computeScene';
import { buildHierarchy, defaultExpanded } from '../../../src/core/graphLayout/hierarchy';

describe('security: model-sized lists never overflow the stack (issue 13, item 10)', function () {
  this.timeout(300_000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('onnx-lens-sec-big-');
  });
  after(() => tmp.cleanup());

  const analyse = (bytes: Uint8Array, name: string) => {
    const model = readModelBytes(bytes, name, tmp.dir);
    const a = analyzeModel(model, name);
    const payload = buildGraphPayload(a, name, `test:${name}`);
    return { ...a, payload };
  };

  it('a cycle through 200,000 nodes is one problem sentence, not a stack overflow', () => {
    const { summary, payload, graph } = analyse(cycleModel(200_000), 'ring.onnx');
    assert.equal(summary.nodeCount, 200_000);
    const cycle = summary.problems.find((p) => /cycle/.test(p.message));
    assert.ok(cycle, JSON.stringify(summary.problems.slice(0, 3)));
    assert.match(cycle.message, /200000 node\(s\) wait on each other's outputs/);
    assert.equal(graph.order.length, 200_000);
    assert.ok(payload.nodeNames.length === 200_000);
    assert.ok(renderSummary(summary).includes('cycle'));
    const h = buildHierarchy(payload);
    const scene = computeScene(payload, h, defaultExpanded(h));
    assert.ok(scene.itemCount > 0);
  });

  it('a table of 1,000,000 rows (the CLI prints every input)', () => {
    assert.equal(table(Array.from({ length: 1_000_000 }, (_, i) => [`r${i}`, 'x'])).split('\n').length, 1_000_000);
  });

  it("the Model tab's inputs table of 150,000 inputs is built without spreading them (and shows the first 2,000)", () => {
    const { summary } = analyse(manyInputsModel(150_000), 'wide.onnx');
    // webview code under a fake DOM (only element building runs); required, not imported: the
    // unit tests' tsconfig has no DOM types.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { inputsAndOutputs } = require('../../../webview/model/modelSections') as { inputsAndOutputs(s: unknown): unknown };
    const rows = withFakeDocument(() => countTag(inputsAndOutputs(summary), 'tr'));
    assert.equal(rows, 2000 + 1 + 2, 'the first 2,000 inputs and the output, plus the two header rows');
  });

  it('a node with 150,000 inputs: shapes, MACs and its details panel', () => {
    const bytes = wideNodeModel(150_000);
    const model = readModelBytes(bytes, 'sum.onnx', tmp.dir);
    const a = analyzeModel(model, 'sum.onnx');
    assert.deepEqual(a.summary.outputs[0].shape, [2]);
    const payload = buildGraphPayload(a, 'sum.onnx', 'test:sum');
    const details = nodeDetails(a, 0, new Map(payload.valueNames.map((n, i) => [n, i])));
    assert.equal(details.inputs.length, 150_000);
  });

  it('onnx-lens inspect prints the 200k-node cycle as one line on stderr (exit 1) and the 1M-input model as text', () => {
    const ring = path.join(tmp.dir, 'ring.onnx');
    fs.writeFileSync(ring, cycleModel(200_000));
    const cli = (file: string) => spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli.ts'), 'inspect', file], { cwd: ROOT, encoding: 'utf8', timeout: 240_000, maxBuffer: 1 << 28 });
    const r = cli(ring);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^onnx-lens: .*ring\.onnx: the graph has a cycle: 200000 node\(s\)[^\n]*\n$/);
    const wide = path.join(tmp.dir, 'wide.onnx');
    fs.writeFileSync(wide, manyInputsModel(1_000_000));
    const w = cli(wide);
    assert.equal(w.status, 0, w.stderr.slice(0, 2000));
    assert.ok(w.stdout.includes('x999999'));
  });
});
