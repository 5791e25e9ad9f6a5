/**
 * Issue 13, items 7 and 8: the hover's markdown escapes everything from a model (no command
 * links, images or broken-out inline code from a crafted name), and its `.onnx` check runs on
 * the resolved path, not on the literal's text.
 */
import * as assert from 'node:assert/strict';
import { modelPathCandidates, resolveModelPath } from '../../../src/extension/hover/findModelPath';
import { errorMarkdown, escapeMarkdown, inlineCode, openLink, summaryMarkdown, unescapeMarkdown } from '../../../src/extension/hover/hoverMarkdown';
import type { ModelSummary } from '../../../src/shared/modelSummary';

const INJECT = '``]](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) ![x](https://evil.example/p.png) $(alert) <img src=x>';

function hostileSummary(): ModelSummary {
  return {
    inputs: [{ name: `a${INJECT}`, elemType: 'float32', shape: [1, `b${INJECT}`] }],
    outputs: [{ name: '`', elemType: 'float32', shape: null }],
    opsets: { '': 17, [`evil.domain](command:evil)${INJECT}`]: 1 },
    parameterCount: 1, fileBytes: 10, macs: null, macsSymbolicAsOne: false, nodeCount: 1,
  } as unknown as ModelSummary;
}

/** Markdown constructs that could run or fetch something, outside our own open link. */
function dangerous(markdown: string): string[] {
  const found: string[] = [];
  // An unescaped '[' or '!' starts a link or an image; an unescaped '<' raw HTML; '$(' a theme icon.
  for (const m of markdown.matchAll(/(?<!\\)(\[|!\[|<|\$\()/g)) found.push(m[0]);
  return found;
}

describe('security: the hover markdown (issue 13, items 7, 8)', () => {
  it('escapes link, image, HTML and icon syntax in names, dims and opset domains', () => {
    const md = summaryMarkdown('/m/x.onnx', hostileSummary());
    // Outside inline code, nothing unescaped may open a link, an image, HTML or an icon.
    const outsideCode = md.replace(/(`+)[^`]*?(?:`(?!\1)[^`]*?)*\1/g, '');
    assert.deepEqual(dangerous(outsideCode), [], md);
    assert.ok(!/(?<!\\)\]\(command:/.test(outsideCode), md);
    assert.match(md, /evil\\\.domain\\\]\\\(command:evil\\\)/);
  });

  it('keeps inline code closed whatever runs of backticks a name holds', () => {
    for (const text of ['`', '``', 'a`b``c```d', '`lead', 'trail`', INJECT]) {
      const code = inlineCode(text);
      const fence = /^`+/.exec(code)![0];
      assert.ok(!code.slice(fence.length, -fence.length).includes(fence), `${JSON.stringify(text)} → ${code}`);
      assert.ok(code.endsWith(fence));
    }
    assert.equal(inlineCode('input: float32[batch, 64]'), '`input: float32[batch, 64]`');
  });

  it('escapes errors and report text, and the link carries only our command with a closed destination', () => {
    const err = errorMarkdown('/m/x.onnx', `/m/x.onnx: node '${INJECT}' is broken\nsecond line`);
    assert.deepEqual(dangerous(err), []);
    assert.ok(!err.includes('\n'));
    assert.equal(unescapeMarkdown(escapeMarkdown('Last benchmark: p50 1.2 ms (digits-mlp.onnx)')), 'Last benchmark: p50 1.2 ms (digits-mlp.onnx)');
    const link = openLink('onnxLens.openModel', { $mid: 1, scheme: 'file', path: '/tmp/a) [x](command:evil)/m.onnx' });
    assert.match(link, /^\[\$\(type-hierarchy\) Open in ONNX Lens\]\(command:onnxLens\.openModel\?[^()\s]+ "Open the model in the ONNX Lens graph view"\)$/);
  });

  it('checks .onnx on the resolved path: file:///etc/shadow#x.onnx and ?x.onnx resolve to no candidate', () => {
    const ctx = { documentDir: '/work', workspaceFolders: ['/ws'], homeDir: '/home/u' };
    assert.deepEqual(modelPathCandidates('file:///etc/shadow#x.onnx', ctx), []);
    assert.deepEqual(modelPathCandidates('file:///etc/passwd?x.onnx', ctx), []);
    assert.equal(resolveModelPath('file:///etc/shadow#x.onnx', { ...ctx, isFile: () => true }), undefined);
    assert.deepEqual(modelPathCandidates('file:///models/m.onnx', ctx), ['/models/m.onnx']);
    assert.deepEqual(modelPathCandidates('nets/m.ONNX', ctx), ['/work/nets/m.ONNX', '/ws/nets/m.ONNX']);
  });
});
