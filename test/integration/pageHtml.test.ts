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

  it("starts the model page with its boot script: ready, the worker and the API, and links none of the page's files", () => {
    const html = modelWebviewHtml(panel.webview, extensionUri, 'm.onnx', 'main');
    const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
    assert.ok(nonce, 'the CSP names a nonce');
    const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
    const boot = head.indexOf('<script');
    assert.ok(boot > 0, 'the boot script is in the head');
    const bootText = head.slice(boot, head.indexOf('</script>', boot));
    for (const part of ["postMessage({ type: 'ready' })", 'window.__onnxLensEarly', 'window.__onnxLensWorker', 'acquireVsCodeApi()', 'layoutWorker.js']) {
      assert.ok(bootText.includes(part), `the boot script has ${part}`);
    }
    assert.ok(!/<link\b/.test(html), 'no file linked: the frame shows at once, and the first-view loader adds them on its load event');
    for (const tag of scripts(html)) assert.ok(tag.includes(`nonce="${nonce}"`), `${tag} carries the nonce`);
    assert.match(html, /script-src 'nonce-[^']+'; /, 'scripts only with the nonce');
  });

  const picture: FirstView = {
    structureKey: 'k', rect: { left: 0, top: 40, width: 800, height: 600 }, page: { width: 800, height: 640 }, devicePixelRatio: 1, themeId: 'Default Dark Modern', pngBase64: 'iVBORw0KGgo=',
  };

  it('lets the picture page read the state through the API the boot script acquired, once', () => {
    const html = modelWebviewHtml(panel.webview, extensionUri, 'm.onnx', 'main', picture);
    assert.strictEqual([...html.matchAll(/acquireVsCodeApi\(\)/g)].length, 1, 'acquired by the boot script only');
    assert.ok(html.indexOf('acquireVsCodeApi()') < html.indexOf('first-view'), 'before the picture script reads it');
  });

  for (const [what, firstView] of [['a first open', undefined], ["a reopen, with its first view's picture", picture]] as const) {
    it(`gives the model page of ${what} the first-view loader, right after its data`, () => {
      const html = modelWebviewHtml(panel.webview, extensionUri, 'm.onnx', 'main', firstView);
      const body = html.slice(html.indexOf('<body'));
      const data = /<script type="application\/json"[^>]*>([^<]*)<\/script>\s*<script nonce="[^"]+">/.exec(body);
      assert.ok(data, 'the loader comes right after its data');
      const parsed = JSON.parse(data[1]) as { files: { styles: string[]; entry: string }; picture?: unknown };
      assert.ok(parsed.files.entry.endsWith('main.js') && parsed.files.styles[0].endsWith('codicon.css'), "the page's files, the codicons' first");
      assert.deepEqual(parsed.picture, firstView ? { page: firstView.page, devicePixelRatio: 1, themeId: 'Default Dark Modern' } : undefined);
      const start = data.index + data[0].length;
      const loader = body.slice(start, body.indexOf('</script>', start));
      for (const part of ['__onnxLensFirstViewDrawn', 'graph-previewing', 'firstLayout']) assert.ok(loader.includes(part), `the loader is the bundled first-view loader (${part})`);
      assert.strictEqual(body.includes('<img class="first-view"'), Boolean(firstView));
    });
  }

  it('leaves the diff page to say ready itself, with the worker script preloaded', () => {
    const html = modelWebviewHtml(panel.webview, extensionUri, 'a ↔ b', 'diff/diffMain');
    assert.ok(!html.includes('__onnxLensEarly'), 'no boot script');
    assert.ok(html.includes('rel="preload" as="fetch"'), 'the worker script is preloaded');
  });
});
