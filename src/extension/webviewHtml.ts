import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

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

/**
 * The webview's HTML: a strict CSP (scripts only with a fresh nonce, no eval, no inline styles
 * except nonce'd ones, resources only from the extension) and the bundled app, an ES module: the
 * chunks it imports inherit its nonce, and those it imports at once are preloaded beside it.
 */
/** `entry`: the page's bundle in dist/webview (main: the model editor; diff/diffMain: the diff editor). */
export function modelWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, entry = 'main'): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', ...segments));
  const folder = path.posix.dirname(entry);
  const pageAsset = (file: string) => asset('webview', ...path.posix.join(folder, file).split('/'));
  const { styles, preload } = pageAssets(extensionUri, entry);
  // Fetched as text by the page (LayoutClient.start) once its script runs; preloaded, it loads beside
  // the page's own files instead of after them (a small model's graph is there before it otherwise).
  const workerUrl = asset('webview', 'layoutWorker.js');
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
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('codicons', 'codicon.css')}" id="vscode-codicon-stylesheet" nonce="${nonce}">
${styles.map((file) => `  <link rel="stylesheet" href="${pageAsset(file)}" nonce="${nonce}">\n`).join('')}${preload.map((file) => `  <link rel="modulepreload" href="${pageAsset(file)}" nonce="${nonce}">\n`).join('')}
  <link rel="preload" as="fetch" crossorigin href="${workerUrl}" nonce="${nonce}">
  <title>${escapeAttribute(title)}</title>
</head>
<body data-state="loading">
  <div id="app" data-file-name="${escapeAttribute(title)}" data-worker-url="${workerUrl}"></div>
  <script nonce="${nonce}" src="${asset('webview', `${entry}.js`)}" type="module"></script>
</body>
</html>`;
}
