/**
 * The model editor's webview: shows a ModelSummary pushed by the host, then (once the graph's
 * structure arrives) the tabbed page of app.ts.
 * States (on `body[data-state]`): loading → ready | error, and back to loading on reload.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
// The kit's stylesheets first: each tab's own rules come after them and refine them.
import './ui/ui.css';
import './ui/kit.css';
import './ui/tensor/tensor.css';
import './shell/shell.css';
import './graph/graph.css';
import type { ViewSummary } from '../src/shared/modelSummary';
import type { OpenTimeline } from '../src/shared/openTimeline';
import type { HostPushMessage } from '../src/shared/protocol';
import { h, icon } from './ui/dom';
import { App, type AppState } from './app';
import { LayoutClient } from './graph/layoutClient';
import { PagePreviews } from './graph/pagePreviews';
import { unpackGraph } from './graph/packedGraph';
import { decodeGraphDetails, decodeGraphPayload } from '../src/shared/payloadCodec';
import { HostChannel, hostClock } from './shell/hostChannel';
import { summaryParts } from './model/modelTab';
import { modelName } from './model/modelOverview';
import { vscodeApi } from './shell/vscodeApi';

/** What the page keeps across hide/show (the webview is torn down when hidden). */
interface PersistedState {
  scrollY: number;
  /** The tabbed page's state (tab, selection, viewport, expanded groups, panels), for one model. */
  app?: AppState;
}

type PageState = 'loading' | 'ready' | 'error';

const root = document.getElementById('app') as HTMLElement;
/** The worker bundle sits next to this module. */
const workerUrl = root.dataset.workerUrl ?? new URL('layoutWorker.js', import.meta.url).href;
const api = vscodeApi<PersistedState>();
const channel = new HostChannel(api, show);
/** Scroll position to restore once content is back (the webview is rebuilt after being hidden). */
let pendingScroll = api.getState()?.scrollY ?? 0;
let app: App | null = null;

function setPage(state: PageState, ...content: (HTMLElement | null)[]): void {
  // A first view's picture stays over "loading" (the page's own first state): the graph comes next.
  if (state !== 'loading') previews.dismiss();
  document.body.dataset.state = state;
  document.body.dataset.view = 'summary';
  app?.dispose();
  app = null;
  root.replaceChildren(...content.filter((node): node is HTMLElement => node !== null));
}

function text(selector: string): string | undefined {
  return root.querySelector(selector)?.textContent ?? undefined;
}

function reportRendered(state: 'ready' | 'error', graphItems?: number): void {
  channel.rendered({
    graphItems,
    state,
    modelName: text('[data-testid="model-name"]'),
    nodeCountText: text('[data-testid="node-count"]'),
    errorText: text('[data-testid="error"]'),
    problemCount: root.querySelectorAll('[data-testid="problem"]').length,
  });
}

function restoreScroll(): void {
  if (pendingScroll > 0) window.scrollTo(0, pendingScroll);
  pendingScroll = 0;
}

function showLoading(fileName: string): void {
  setPage(
    'loading',
    h(
      'div',
      { class: 'loading', role: 'status' },
      h('vscode-progress-ring', { 'aria-label': 'Loading' }),
      h('span', {}, `Reading ${fileName}…`),
    ),
  );
}

function showSummary(summary: ViewSummary): void {
  setPage('ready', ...summaryParts(summary));
  restoreScroll();
  reportRendered('ready');
}

/** Started while the page waits for its graph, so the worker is up when the graph arrives. */
let prestarted: Promise<LayoutClient> | null = LayoutClient.start(workerUrl);
prestarted.catch(() => undefined); // a failure is reported by the graph page that takes it
/** The prestarted worker once it is up: the graph is handed to it before this thread decodes its own copy. */
let prestartedClient: LayoutClient | null = null;
prestarted.then((client) => (prestartedClient = client), () => undefined);
let lastGraphItems: number | undefined;
/** The model's view drawn from a snapshot while the page builds itself, and the snapshots kept for the next page. */
const previews = new PagePreviews(channel);
/** A first open's first view, laid out by the analysis process, come ahead of the graph: its layout worker takes it. */
let firstLayout: string | undefined;

/**
 * The tabbed page becomes the page as soon as the graph's structure arrives; the summary (already
 * shown when it came first, as in the dev harness) moves into its Model tab.
 */
function showGraph(graph: ArrayBuffer, timeline: OpenTimeline, firstView: string | undefined): void {
  // The worker decodes the graph, builds its hierarchy and looks up a saved layout (or takes the
  // first view the analysis process laid out) while this thread decodes its copy and builds the
  // page (on a 100k-node graph, each side's share is hundreds of milliseconds; one after the other
  // they were on the way to the first frame).
  const restored = api.getState()?.app ?? null;
  if (prestarted && prestartedClient) prestartedClient.init(graph, restored?.graph ? { modelHash: restored.modelHash, expanded: restored.graph.expanded } : undefined, firstView);
  // Names are decoded when the page is idle after the first frame (the first frame reads a few,
  // from their blocks: payloadCodec's nodeName/valueName), not before it: 100–250 ms at 100k nodes.
  const payload = decodeGraphPayload(graph, { lazyNames: true });
  let summary: HTMLElement | null = null;
  if (document.body.dataset.state === 'ready' && !app) {
    summary = h('div', { class: 'summary' });
    summary.replaceChildren(...Array.from(root.children));
  }
  app?.dispose();
  document.body.dataset.state = 'ready';
  document.body.dataset.view = 'graph';
  const layout = prestarted ?? LayoutClient.start(workerUrl);
  prestarted = null;
  prestartedClient = null;
  lastGraphItems = undefined;
  app = new App(payload, graph, summary, {
    channel,
    layout,
    saveState: (state) => {
      api.setState({ ...(api.getState() ?? { scrollY: 0 }), app: state });
      previews.keepSavedView(() => {
        const saved = api.getState()?.app;
        const snapshot = saved?.graph ? app?.graphSnapshot(saved.graph) : null;
        return saved && snapshot ? { state: saved, snapshot } : null;
      });
    },
    onRendered: (graphItems) => {
      previews.dismiss();
      // Decoded now, in idle time, so that the first click or search does not wait for them.
      if (lastGraphItems === undefined) requestIdleCallback(() => void (payload.nodeNames.length + payload.valueNames.length), { timeout: 2000 });
      lastGraphItems = graphItems;
      reportRendered('ready', graphItems);
    },
    keepFirstView: (canvas, rect) => previews.keepFirstView(canvas, rect),
  }, restored, timeline);
  root.replaceChildren(app.element);
}

/** The summary for the page: the Model tab once a graph is shown, else the page itself. */
function summaryArrived(summary: ViewSummary, details: ArrayBuffer | undefined): void {
  if (!app) {
    showSummary(summary);
    return;
  }
  if (details) app.applyGraphDetails(decodeGraphDetails(details));
  app.setSummary(summary);
  reportRendered('ready', lastGraphItems);
}

function showError(fileName: string, message: string): void {
  const retryStatus = h('span', { class: 'retry-status', role: 'status' });
  const retry = h('vscode-button', { secondary: true, icon: 'refresh' }, 'Try again');
  retry.addEventListener('click', () => {
    retryStatus.textContent = '';
    channel.request('reload', {}).catch((error: unknown) => {
      retryStatus.textContent = error instanceof Error ? error.message : String(error);
    });
  });
  setPage(
    'error',
    h('header', { class: 'model-header' }, h('h1', { class: 'model-name' }, icon('symbol-structure'), modelName(fileName))),
    h(
      'div',
      { class: 'banner error', role: 'alert' },
      icon('error'),
      h('span', { class: 'banner-text', 'data-testid': 'error' }, message),
    ),
    h('div', { class: 'error-actions' }, retry, retryStatus),
  );
  reportRendered('error');
}

/** Pushes are shown in the order they came: a graph being unpacked holds back the pushes behind it. */
let shown: Promise<void> = Promise.resolve();

function show(message: HostPushMessage): void {
  // Drawn at once, not after the pushes before it and the page's stylesheets: it needs neither
  // (the page's HTML places a preview's canvas itself, src/extension/webviewHtml.ts). Its text goes
  // to the layout worker in order, with the graph it belongs to.
  if (message.type === 'firstLayout') previews.firstLayoutArrived(message, api.getState()?.app);
  shown = shown.then(() => render(message)).catch((error: unknown) => {
    // Never leave the page blank: a summary the page cannot draw is reported like a load error.
    const fileName = root.dataset.fileName ?? 'model';
    const reason = error instanceof Error ? error.message : String(error);
    showError(fileName, `${fileName}: the page could not show this model: ${reason}`);
  });
}

async function render(message: HostPushMessage): Promise<void> {
  switch (message.type) {
    case 'loading':
      firstLayout = undefined;
      showLoading(message.fileName);
      return;
    case 'firstLayout':
      firstLayout = message.layout;
      return;
    case 'summary':
      summaryArrived(message.summary, message.details);
      return;
    case 'error':
      showError(message.fileName, message.message);
      return;
    case 'graph': {
      const unpacked = unpackGraph(message.graph);
      const layout = firstLayout;
      firstLayout = undefined;
      previews.graphArrived(message.graph, api.getState()?.app, message.timeline);
      // The graph can come before the layout worker is up (the page says `ready` from its HTML):
      // handed to it before this thread decodes its own copy, it decodes and lays out meanwhile.
      const [graph] = await Promise.all([unpacked, prestarted?.catch(() => undefined)]);
      showGraph(graph, message.timeline, layout);
      return;
    }
    default:
      app?.handle(message);
  }
}

let scrollQueued = false;
window.addEventListener('scroll', () => {
  if (scrollQueued || document.body.dataset.state !== 'ready' || app) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    api.setState({ ...api.getState(), scrollY: Math.round(window.scrollY) } satisfies PersistedState);
  });
});

declare global {
  interface Window {
    /** The host's clock as this page sees it (benchmarks relate the workbench's clock to it). */
    __onnxLensHostNow?: () => number;
  }
}
window.__onnxLensHostNow = () => hostClock.now();

/**
 * Resolves when the page's stylesheets are in. A page showing its first view's picture adds them
 * and this script after its load event (src/extension/webviewHtml.ts), so this script may run
 * first; nothing is shown before they are in, or the graph's canvas would be sized without them.
 */
function stylesheetsLoaded(): Promise<unknown> {
  const pending = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')).filter((link) => !link.sheet);
  return Promise.all(pending.map((link) => new Promise((loaded) => {
    link.addEventListener('load', loaded, { once: true });
    link.addEventListener('error', loaded, { once: true });
  })));
}

// The page's own loading state first; the host's pushes follow in order, those that came before
// this script too (the graph may be here already: the page said `ready` from its HTML).
shown = stylesheetsLoaded().then(() => showLoading(root.dataset.fileName ?? 'model'));
// Saved report paths (ui/reportLinks.ts) open in VS Code: the host shows HTML reports in a panel.
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('[data-open-report]');
  if (!link) return;
  event.preventDefault();
  link.nextElementSibling?.classList.contains('report-link-error') && link.nextElementSibling.remove();
  channel.request('openReport', { path: link.getAttribute('data-open-report') ?? '' }).catch((error: unknown) => {
    link.after(h('span', { class: 'report-link-error', role: 'alert' }, icon('error'), ` ${error instanceof Error ? error.message : String(error)}`));
  });
});

channel.listen();
