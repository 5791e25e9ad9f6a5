/**
 * The model page's inline first script after its boot script (bundled to
 * dist/webview/firstViewLoader.js; src/extension/webviewHtml.ts puts it, with its data, into the
 * page's HTML). The page links none of its own files: VS Code shows a webview's frame at its load
 * event (or 200 ms after it wrote the page), holds the host's messages until then, and linked
 * stylesheets and scripts hold that event back until the page's script has nearly run. This
 * script adds the files once the event has fired, and meanwhile shows the model's first view
 * (docs/opening-a-model.md, steps 2, 5 and 8):
 *
 * - a reopen: the picture of the model's first view the host kept (src/extension/firstViews.ts), an
 *   `<img class="first-view">` in the HTML, shown only in a page of the size, pixel ratio and theme
 *   it was taken in;
 * - a first open: the first view the analysis process laid out, drawn as soon as the host's
 *   `firstLayout` push comes, where the last page had its graph canvas, only into a page of that
 *   page's size, and only while the page's script is not up (which then draws it itself).
 *
 * Neither shows in a page with saved state (a page VS Code makes anew for a hidden editor shows its
 * saved view). While one shows, the page behind it stays hidden (`graph-previewing`); the page's
 * script takes it as its preview (graphPreview.ts).
 */
import type { FirstViewLoaderData, HostPushMessage } from '../../src/shared/protocol';
import { drawPreview, firstViewSnapshot } from './previewCanvas';
import { fitsPage } from './viewSnapshot';

declare global {
  interface Window {
    /** When this script drew a first open's first view (`performance.timeOrigin + now()`): the page's script marks it on the host's clock. */
    __onnxLensFirstViewDrawn?: number;
  }
}

const script = document.currentScript as HTMLScriptElement;
const data = JSON.parse((script.previousElementSibling as HTMLElement).textContent ?? '') as FirstViewLoaderData;
const add = (tag: string, attributes: Record<string, string>) => document.head.append(Object.assign(document.createElement(tag), { nonce: script.nonce }, attributes));
// The files are added in any case: a first view that cannot be shown is dropped, never the page.
addEventListener('load', () => {
  data.files.styles.forEach((href, i) => add('link', { rel: 'stylesheet', href, ...(i === 0 ? { id: 'vscode-codicon-stylesheet' } : {}) }));
  data.files.modules.forEach((href) => add('link', { rel: 'modulepreload', href }));
  add('script', { type: 'module', src: data.files.entry });
}, { once: true });

/** Whether the page has saved state: the page's PersistedState (webview/main.ts) keeps the graph page's under `app`; the boot script acquired the API. */
function restored(): boolean {
  return Boolean((window.__onnxLensVsCodeApi?.getState() as { app?: unknown } | undefined)?.app);
}

/** The boot script keeps the host's messages until the page's script takes them (HostChannel.listen). */
const pageScriptUp = () => window.__onnxLensEarly === undefined;

const picture = document.querySelector<HTMLImageElement>('img.first-view');
if (picture) {
  const fits = (() => {
    try {
      const { page, devicePixelRatio: ratio, themeId } = data.picture!;
      return !restored() && innerWidth === page.width && innerHeight === page.height && devicePixelRatio === ratio && (document.body.dataset.vscodeThemeId ?? '') === themeId;
    } catch {
      return false;
    }
  })();
  if (fits) document.body.classList.add('graph-previewing');
  else picture.remove();
} else {
  const drawFirstLayout = (event: MessageEvent<HostPushMessage>) => {
    const message = event.data;
    if (message?.type !== 'firstLayout') return;
    removeEventListener('message', drawFirstLayout);
    if (pageScriptUp() || !message.place || restored()) return;
    try {
      const snapshot = firstViewSnapshot(message.layout, message.place);
      if (!snapshot || !fitsPage(snapshot, { width: innerWidth, height: innerHeight })) return;
      const canvas = drawPreview(snapshot);
      canvas.classList.add('first-view');
      script.after(canvas);
      document.body.classList.add('graph-previewing');
      window.__onnxLensFirstViewDrawn = performance.timeOrigin + performance.now();
    } catch {
      // Not drawn: the graph view's own first frame comes as before.
    }
  };
  addEventListener('message', drawFirstLayout);
}
