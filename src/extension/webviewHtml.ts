import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FirstViewLoaderData } from '../shared/protocol';
import type { FirstView } from './firstViews';

/** Folders a model webview may load from: the bundled app and static media, nothing else. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a page loads besides its entry module, paths relative to the entry's folder (scripts/build.mjs). */
interface PageAssets {
  styles: string[];
  preload: string[];
}

/** The build's manifest for a page split into chunks; a page of one module has its stylesheet only. */
function pageAssets(extensionUri: vscode.Uri, entry: string): PageAssets {
  const manifest = path.join(extensionUri.fsPath, 'dist', 'webview', `${entry}.assets.json`);
  if (!fs.existsSync(manifest)) return { styles: [`${path.posix.basename(entry)}.css`], preload: [] };
  return JSON.parse(fs.readFileSync(manifest, 'utf8')) as PageAssets;
}

/** The page's own files, as webview URLs: linked by its HTML, or added by its first view's loader. */
interface PageFiles {
  /** Stylesheets, the codicons' first (vscode-elements find it by its id). */
  styles: string[];
  /** Chunks the entry imports at once. */
  modules: string[];
  /** The layout worker's script, fetched as text by the page (LayoutClient.start). */
  worker: string;
  entry: string;
}

/** The page's parts: in its head, before its app's element (the picture and the loader) and after it (the script). */
interface PageParts {
  head: string;
  beforeApp: string;
  script: string;
}

/** The diff page's files, linked, the layout worker's script preloaded (it has no boot script to fetch it). */
function linkedFiles(files: PageFiles, nonce: string): PageParts {
  const [codicons, ...styles] = files.styles;
  const worker = `  <link rel="preload" as="fetch" crossorigin href="${files.worker}" nonce="${nonce}">\n`;
  return {
    beforeApp: '',
    head: `  <link rel="stylesheet" href="${codicons}" id="vscode-codicon-stylesheet" nonce="${nonce}">
${styles.map((href) => `  <link rel="stylesheet" href="${href}" nonce="${nonce}">\n`).join('')}${files.modules.map((href) => `  <link rel="modulepreload" href="${href}" nonce="${nonce}">\n`).join('')}${worker}`,
    script: `  <script nonce="${nonce}" src="${files.entry}" type="module"></script>\n`,
  };
}

/**
 * The model page's first script, inline at the top of its head, run as soon as VS Code has written
 * the page, while the page's files load (0.1 s and more through VS Code's resource loader):
 * - it starts the layout worker, which the page's script takes (LayoutClient.start in
 *   webview/graph/layoutClient.ts, whose `startWorker` it repeats): started by that script, the
 *   worker was still starting when the graph came;
 * - it says `ready` and keeps the host's messages until the page's script takes them
 *   (HostChannel.listen in webview/shell/hostChannel.ts): said by that script, `ready` waited for
 *   the page's files, and the graph then made its round trip to the host after them;
 * - it acquires the VS Code API, which a page gets once, and leaves it for the page's script.
 * docs/opening-a-model.md has the figures.
 */
function bootScript(nonce: string, workerUrl: string): string {
  return `  <script nonce="${nonce}">(() => {
    const api = window.__onnxLensVsCodeApi = acquireVsCodeApi();
    const early = window.__onnxLensEarly = [];
    addEventListener('message', (event) => {
      if (window.__onnxLensEarly === early) early.push([event.data, performance.timeOrigin + performance.now()]);
    });
    api.postMessage({ type: 'ready' });
    const worker = window.__onnxLensWorker = fetch(${scriptJson(workerUrl)}).then((response) => {
      if (!response.ok) throw new Error('The layout worker script could not be loaded (' + response.status + ').');
      return response.text();
    }).then((text) => {
      const blobUrl = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      return { worker: new Worker(blobUrl), blobUrl };
    });
    worker.catch(() => undefined); // reported by the page's script, which takes it
  })();</script>
`;
}

/** JSON for an inline script: `<` escaped, so no text in it can close the script. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The model page: it links none of its own files, and its inline first-view loader
 * (webview/graph/firstViewLoader.ts, bundled to dist/webview/firstViewLoader.js) adds them once the
 * page's load event has fired. VS Code keeps a webview's frame hidden until that event (or 200 ms
 * after it wrote the page) and holds the host's messages to the page until then; linked
 * stylesheets and scripts hold the event back until the page's script has nearly run (measured in
 * code-server: a reopen's picture shown 30 ms before the script said `ready`). Without them the
 * frame shows as soon as its HTML is parsed, and the loader can show the model's first view before
 * the page's script: a reopen's picture (src/extension/firstViews.ts), if the page is the one it was
 * taken in, or a first open's first view laid out by the analysis process, drawn as soon as the
 * host's `firstLayout` push comes. The page's script then waits for its stylesheets itself
 * (webview/main.ts). While the first view shows, the page behind it stays hidden
 * (`graph-previewing`, as graph.css does for a drawn preview); the page's script takes it away
 * (webview/graph/graphPreview.ts). docs/opening-a-model.md, steps 5 and 8, has the figures.
 */
function loaderHtml(files: PageFiles, nonce: string, loader: string, firstView: FirstView | undefined): PageParts {
  const px = (n: number) => `${Number(n.toFixed(3))}px`;
  const { entry, modules, styles } = files;
  const data: FirstViewLoaderData = { files: { entry, modules, styles } };
  let picture = '';
  // A preview the page's script draws before its stylesheets are in is placed by this rule too (graph.css has it).
  let style = `.first-view, .graph-preview { position: fixed; z-index: 10; pointer-events: none; }
    body.graph-previewing #app { visibility: hidden; }`;
  if (firstView) {
    const { rect, page, devicePixelRatio, themeId, structureKey, pngBase64 } = firstView;
    data.picture = { page, devicePixelRatio, themeId };
    style += `
    img.first-view { left: ${px(rect.left)}; top: ${px(rect.top)}; width: ${px(rect.width)}; height: ${px(rect.height)}; visibility: hidden; }
    body.graph-previewing img.first-view { visibility: visible; }`;
    picture = `  <img class="first-view" data-testid="first-view" alt="" aria-hidden="true" data-structure-key="${escapeAttribute(structureKey)}" src="data:image/png;base64,${pngBase64}">\n`;
  }
  return {
    head: `  <style nonce="${nonce}">${style}</style>\n`,
    script: '',
    beforeApp: `${picture}  <script type="application/json" nonce="${nonce}">${scriptJson(data)}</script>
  <script nonce="${nonce}">${loader}</script>
`,
  };
}

/** The first-view loader's script, read once (17 KB; it goes into the HTML of every model page). */
let loaderScript: string | undefined;
function firstViewLoader(extensionUri: vscode.Uri): string {
  // An inline script ends at the first `</script`, wherever it is: none may be in its text.
  loaderScript ??= fs.readFileSync(path.join(extensionUri.fsPath, 'dist', 'webview', 'firstViewLoader.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return loaderScript;
}

/**
 * The webview's HTML: a strict CSP (scripts only with a fresh nonce, no eval, no inline styles
 * except nonce'd ones, resources only from the extension) and the bundled app, an ES module: the
 * chunks it imports inherit its nonce, and those it imports at once are preloaded beside it. The
 * model page adds them from its first-view loader (loaderHtml), and with `firstView` shows that
 * picture while it loads.
 */
/** `entry`: the page's bundle in dist/webview (main: the model editor; diff/diffMain: the diff editor). */
export function modelWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, entry = 'main', firstView?: FirstView): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...segments)).toString();
  const folder = path.posix.dirname(entry);
  const pageAsset = (file: string) => asset('webview', ...path.posix.join(folder, file).split('/'));
  const { styles, preload } = pageAssets(extensionUri, entry);
  const files: PageFiles = {
    styles: [asset('codicons', 'codicon.css'), ...styles.map(pageAsset)],
    modules: preload.map(pageAsset),
    worker: asset('webview', 'layoutWorker.js'),
    entry: asset('webview', `${entry}.js`),
  };
  const csp = [
    `default-src 'none'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    // The layout worker: fetched from the extension's dist/ (connect-src) and started from a
    // Blob URL, because a Worker cannot be created from the webview resource origin directly.
    `connect-src ${webview.cspSource}`,
    `worker-src blob:`,
  ].join('; ');
  // The model editor's page (webview/main.ts) takes what the boot script started and kept; the
  // diff page says `ready` itself, and preloads the worker's script for later.
  const main = entry === 'main';
  const boot = main ? bootScript(nonce, files.worker) : '';
  const parts = main ? loaderHtml(files, nonce, firstViewLoader(extensionUri), firstView) : linkedFiles(files, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${boot}${parts.head}  <title>${escapeAttribute(title)}</title>
</head>
<body data-state="loading">
${parts.beforeApp}  <div id="app" data-file-name="${escapeAttribute(title)}" data-worker-url="${escapeAttribute(files.worker)}"></div>
${parts.script}</body>
</html>`;
}
