/**
 * The diff editor's webview (src/extension/diff/diffPanel.ts): waits for the two graphs and the
 * diff, then shows diffPage.ts. States on `body[data-state]`: loading → ready | error.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '../ui/ui.css';
import '../ui/kit.css';
import '../graph/graph.css';
import './diff.css';
import type { DiffMode, DiffPageMessage, DiffPushMessage } from '../../src/shared/diffView';
import { h, icon } from '../ui/dom';
import { vscodeApi } from '../shell/vscodeApi';
import { DiffPage } from './diffPage';

const root = document.getElementById('app') as HTMLElement;
const workerUrl = root.dataset.workerUrl ?? new URL('../layoutWorker.js', import.meta.url).href;
/** Kept across reloads of the webview: the mode the user chose. */
interface DiffPageState {
  mode?: DiffMode;
}
const api = vscodeApi<DiffPageState>();
const rememberMode = (mode: DiffMode) => api.setState({ ...api.getState(), mode });
const post = (m: DiffPageMessage) => api.postMessage(m);
let page: DiffPage | null = null;

function show(state: 'loading' | 'ready' | 'error', ...content: HTMLElement[]): void {
  document.body.dataset.state = state;
  page?.dispose();
  page = null;
  root.replaceChildren(...content);
}

window.addEventListener('message', (event: MessageEvent<DiffPushMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'diffLoading':
      show('loading', h('div', { class: 'loading', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), h('span', {}, `Comparing ${m.a} with ${m.b}…`)));
      break;
    case 'diffError':
      show('error', h('div', { class: 'banner error', role: 'alert', 'data-testid': 'error' }, icon('error'), h('span', {}, m.message)));
      post({ type: 'diffRendered', headline: m.message, selected: null, colouredChanged: 0, mode: api.getState()?.mode ?? 'sideBySide', overlay: null });
      break;
    case 'diffData': {
      const next = new DiffPage(m.data, { a: m.graphA, b: m.graphB, overlay: m.graphOverlay }, { post, workerUrl, mode: api.getState()?.mode ?? 'sideBySide', rememberMode });
      show('ready', next.element);
      page = next;
      break;
    }
    case 'behaviourProgress':
      page?.behaviourProgress(m.message);
      break;
    case 'behaviour':
      page?.showBehaviour(m.behaviour);
      break;
    case 'behaviourError':
      page?.showBehaviour(null, m.message);
      break;
    case 'setMode':
      page?.setMode(m.mode === 'toggle' ? (page.currentMode === 'overlay' ? 'sideBySide' : 'overlay') : m.mode);
      break;
  }
});

post({ type: 'ready' });
