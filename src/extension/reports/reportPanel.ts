/**
 * Reports open inside VS Code, in a webview panel, not through `openExternal` on a `file://` URL:
 * in browser-based VS Code (code-server, Codespaces) that opens nothing — the file is on the
 * server, not where the browser runs — and left the window unresponsive. The HTML report is one
 * standalone file (src/core/report/evalHtml.ts: data, script, styles and font inlined), so the
 * panel serves its text with a CSP of its own: the report's inline script gets a nonce, nothing can
 * be fetched, and the panel may read only the report's folder (`localResourceRoots`). It follows
 * VS Code's theme (webview/report/main.ts). In Restricted Mode scripts stay off: a report in an
 * untrusted folder is anyone's HTML, and its no-script fallback (the headline table) still shows.
 * A JSON report opens as text.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const REPORT_VIEW_TYPE = 'onnxLens.report';

const panels = new Map<string, vscode.WebviewPanel>();

/** The report's HTML with the panel's CSP in place of its own, and the nonce on its inline scripts. */
export function reportPanelHtml(html: string, cspSource: string, nonce: string): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline' ${cspSource}; img-src data: ${cspSource}; font-src data: ${cspSource}`;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp}">`;
  const withoutCsp = html.replace(/<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/gi, '');
  const withCsp = /<head[^>]*>/i.test(withoutCsp) ? withoutCsp.replace(/<head[^>]*>/i, (head) => `${head}\n${meta}`) : `${meta}\n${withoutCsp}`;
  return withCsp.replace(/<script(?=[\s>])/gi, `<script nonce="${nonce}"`);
}

/** The page's <title> (what the report calls itself), for the panel's tab. */
function reportTitle(html: string): string | undefined {
  const raw = /<title>([^<]{1,200})<\/title>/i.exec(html)?.[1];
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return raw?.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]).trim() || undefined;
}

/**
 * Opens a saved report: an HTML report in a panel of its own (one per file, revealed when open),
 * anything else (the JSON report) as a text document. Throws one sentence when the file is gone.
 */
export async function openReport(file: string): Promise<void> {
  const abs = path.resolve(file);
  let html: string;
  try {
    if (!/\.html?$/i.test(abs)) {
      await vscode.window.showTextDocument(vscode.Uri.file(abs), { preview: true });
      return;
    }
    html = await fs.promises.readFile(abs, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : String((error as Error).message ?? error).split('\n')[0];
    throw new Error(`${path.basename(abs)}: the report cannot be opened: ${why}.`);
  }
  let panel = panels.get(abs);
  if (panel) {
    panel.reveal();
  } else {
    const folder = vscode.Uri.file(path.dirname(abs));
    panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, reportTitle(html) ?? path.basename(abs), vscode.ViewColumn.Active, {
      enableScripts: vscode.workspace.isTrusted,
      enableFindWidget: true,
      localResourceRoots: [folder],
    });
    const extension = vscode.extensions.getExtension('onnx-lens.onnx-lens');
    if (extension) panel.iconPath = vscode.Uri.joinPath(extension.extensionUri, 'media', 'icon.png');
    panels.set(abs, panel);
    const opened = panel;
    opened.onDidDispose(() => panels.delete(abs));
  }
  panel.webview.html = reportPanelHtml(html, panel.webview.cspSource, randomBytes(16).toString('base64'));
}

/** The HTML report panels open now, by file (tests). */
export function openReportPanels(): string[] {
  return [...panels.keys()];
}
