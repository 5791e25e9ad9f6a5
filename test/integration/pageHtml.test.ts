// The model and diff pages' HTML as the host writes it (src/extension/webviewHtml.ts), built with a
// real webview: the model page's boot script comes first and owns the early work (the layout
// worker's start, `ready`, the VS Code API), every script carries the page's nonce, and the CSP
// is unchanged. The e2e tests open real pages; this says why one that broke would be slower.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { modelWebviewHtml } from '../../src/extension/webviewHtml';
import type { FirstView } from '../../src/extension/firstViews';
import { activateApi } from './modelEditorHelpers';

function scripts(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
}

describe('ONNX Lens page HTML', () => {
  let extensionUri: vscode.Uri;
  let panel: vscode.WebviewPanel;
  before(async () => {
    extensionUri = (await activateApi()).extension.extensionUri;
    panel = vscode.window.createWebviewPanel('onnxLens.htmlTest', 'html test', vscode.ViewColumn.One, { enableScripts: true });
  });
  after(() => panel.dispose());

  it("starts the model page with its boot script: ready, the worker and the API, before any of the page's files", () => {
    const html = modelWebviewHtml(panel.webview, extensionUri, 'm.onnx', 'main');
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce, 'the CSP names a nonce');
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    const boot = head.indexOf('<script');
    assert.ok(boot > 0 && boot < head.indexOf('<link'), 'the boot script comes before the first link');
    const bootText = head.slice(boot, head.indexOf('</script>', boot));
    for (const part of ["postMessage({ type: 'ready' })", 'window.__onnxLensEarly', 'window.__onnxLensWorker', 'acquireVsCodeApi()', 'layoutWorker.js']) {
      assert.ok(bootText.includes(part), `the boot script has ${part}`);
    }
    assert.ok(!html.includes('rel="preload" as="fetch"'), 'the worker script is fetched by the boot script, not preloaded as well');
    for (const tag of scripts(html)) assert.ok(tag.includes(`nonce="${nonce}"`), `${tag} carries the nonce`);
    assert.match(html, /script-src 'nonce-[^']+'; /, 'scripts only with the nonce');
  });

  it('lets the picture page read the state through the API the boot script acquired, once', () => {
    const view: FirstView = {
      structureKey: 'k', rect: { left: 0, top: 40, width: 800, height: 600 }, page: { width: 800, height: 640 }, devicePixelRatio: 1, themeId: 'Default Dark Modern', pngBase64: 'iVBORw0KGgo=',
    };
    const html = modelWebviewHtml(panel.webview, extensionUri, 'm.onnx', 'main', view);
    assert.strictEqual([...html.matchAll(/acquireVsCodeApi\(\)/g)].length, 1, 'acquired by the boot script only');
    assert.ok(html.indexOf('acquireVsCodeApi()') < html.indexOf('first-view'), 'before the picture script reads it');
  });

  it('leaves the diff page to say ready itself, with the worker script preloaded', () => {
    const html = modelWebviewHtml(panel.webview, extensionUri, 'a ↔ b', 'diff/diffMain');
    assert.ok(!html.includes('__onnxLensEarly'), 'no boot script');
    assert.ok(html.includes('rel="preload" as="fetch"'), 'the worker script is preloaded');
  });
});
