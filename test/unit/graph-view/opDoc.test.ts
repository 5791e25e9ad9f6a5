import * as assert from 'node:assert/strict';
import { ONNX_DOCS_BASE, resolveDocLink } from '../../../webview/graph/docLinks';

describe('operator docs links', () => {
  it('points the schemas\' relative links into the ONNX docs and keeps http(s) links', () => {
    assert.equal(resolveDocLink('Broadcasting.md'), `${ONNX_DOCS_BASE}Broadcasting.md`);
    assert.equal(resolveDocLink('IR.md#attributes'), `${ONNX_DOCS_BASE}IR.md#attributes`);
    assert.equal(resolveDocLink('https://arxiv.org/abs/1506.02025'), 'https://arxiv.org/abs/1506.02025');
  });

  it('drops links that are not http(s)', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vscode://file/etc/passwd', 'file:///etc/passwd']) assert.equal(resolveDocLink(bad), null, bad);
  });
});
