/**
 * The model page once its graph is in: the shell (webview/shell/) with one tab per feature, wired
 * here and only here — the Graph tab is the GraphPort the Run and Quantize tabs use, the Model tab
 * holds the summary — and the host's pushes routed to the tab they concern.
 */
import type { ViewSummary } from '../src/shared/modelSummary';
import type { GraphPayload } from '../src/shared/graphPayload';
import type { OpenTimeline } from '../src/shared/openTimeline';
import type { GraphDetails } from '../src/shared/payloadCodec';
import type { HostPushMessage } from '../src/shared/protocol';
import type { ViewSnapshot } from './graph/viewSnapshot';
import { GraphTab, type GraphState } from './graph/graphTab';
import type { LayoutClient } from './graph/layoutClient';
import { ModelTab } from './model/modelTab';
import { modelName } from './model/modelOverview';
import { AppShell, type Tab, type TabId } from './shell/appShell';
import type { HostChannel } from './shell/hostChannel';
import { LazyTab } from './shell/lazyTab';
import { h, icon } from './ui/dom';
import type { EvalPanel, QuantizePanel, RunPanel } from './tabs';

/** The Run, Evaluate and Quantize tabs' chunk (webview/tabs.ts), loaded once. */
let tabsChunk: Promise<typeof import('./tabs')> | undefined;
const loadTabs = () => (tabsChunk ??= import('./tabs'));

/** What the page keeps for one model across hide/show of the editor. */
export interface AppState {
  modelHash: string;
  tab: TabId;
  graph: GraphState | null;
}

export interface AppHost {
  channel: HostChannel;
  layout: Promise<LayoutClient>;
  saveState(state: AppState): void;
  onRendered(graphItems: number): void;
  /** See GraphTabHost.keepFirstView. */
  keepFirstView?(canvas: HTMLCanvasElement, rect: DOMRect): void;
}

export class App {
  readonly element: HTMLElement;
  private readonly shell: AppShell;
  private readonly graph: GraphTab;
  private readonly model: ModelTab;
  private graphState: GraphState | null;
  private readonly modelHash: string;

  /** `summary`: the summary page shown before the graph came (it moves into the Model tab), or null. */
  constructor(payload: GraphPayload, graph: ArrayBuffer, summary: HTMLElement | null, private readonly host: AppHost, restored: AppState | null, timeline: OpenTimeline) {
    this.modelHash = payload.modelHash;
    const state = restored?.modelHash === payload.modelHash ? restored : null;
    this.graphState = state?.graph ?? null;
    this.model = new ModelTab(summary);
    this.graph = new GraphTab(payload, graph, {
      channel: host.channel,
      layout: host.layout,
      activate: () => this.shell.show('graph'),
      saveState: (s) => {
        this.graphState = s;
        this.save();
      },
      onRendered: (items) => {
        host.onRendered(items);
        // Once the graph is drawn, the other tabs' chunk loads while the user looks at it, so the
        // first switch to Run, Evaluate or Quantize does not wait for it.
        requestIdleCallback(() => void loadTabs(), { timeout: 2000 });
      },
      keepFirstView: host.keepFirstView,
    }, this.graphState, timeline);
    const channel = host.channel;
    const graphPort = this.graph;
    this.shell = new AppShell({
      brand: h('div', { class: 'shell-brand' }, h('div', { class: 'bar-title' }, icon('symbol-structure'), modelName(payload.fileName)), ...this.graph.stats),
      notice: this.graph.problemsLine,
      initial: state?.tab ?? 'graph',
      onTabChange: () => this.save(),
      tabs: [
        { id: 'graph', label: 'Graph', codicon: 'type-hierarchy', create: () => this.graph, tools: this.graph.tools, fill: true },
        { id: 'model', label: 'Model', codicon: 'info', create: () => this.model },
        { id: 'run', label: 'Run', codicon: 'play', create: () => new LazyTab('Run', () => loadTabs().then((m) => new m.RunPanel({ channel, payload, graph: graphPort, explain: m.EXPLAIN }))) },
        { id: 'evaluate', label: 'Evaluate', codicon: 'checklist', create: () => new LazyTab('Evaluate', () => loadTabs().then((m) => new m.EvalPanel({ channel, explain: m.EXPLAIN }))) },
        { id: 'quantize', label: 'Quantize', codicon: 'package', create: () => new LazyTab('Quantize', () => loadTabs().then((m) => new m.QuantizePanel({ channel, graph: graphPort }))) },
      ],
    });
    // The graph lays out from the start, whichever tab is shown (the host waits for its first frame).
    this.shell.tab('graph');
    this.element = this.shell.element;
  }

  setSummary(summary: ViewSummary): void {
    this.model.setSummary(summary);
  }

  /** What the graph canvas shows now, while the Graph tab is shown and its view is `saved`'s; else null. */
  graphSnapshot(saved: GraphState): ViewSnapshot | null {
    return this.shell.currentTab === 'graph' ? this.graph.snapshot(saved) : null;
  }

  applyGraphDetails(details: GraphDetails): void {
    this.graph.applyGraphDetails(details);
  }

  /** Host pushes after the graph: each to the tab it concerns (`progress` goes to its request in HostChannel). */
  handle(message: HostPushMessage): void {
    switch (message.type) {
      case 'revealNode':
      case 'overlay':
      case 'exportGraph':
        this.graph.handle(message);
        return;
      case 'showTab': {
        this.shell.show(message.tab);
        const { section, view } = message;
        if (message.tab === 'run' && section) void this.lazy<RunPanel>('run').then((run) => run.showSection(section));
        if (message.tab === 'evaluate' && view) void this.lazy<EvalPanel>('evaluate').then((evaluate) => evaluate.showView(view));
        return;
      }
      case 'robustness':
        this.shell.show('evaluate');
        void this.lazy<EvalPanel>('evaluate').then((evaluate) => evaluate.showRobustness(message.result));
        return;
      case 'drift':
        this.shell.show('evaluate');
        void this.lazy<EvalPanel>('evaluate').then((evaluate) => evaluate.showDrift(message.result));
        return;
      case 'quantization':
        this.shell.show('quantize');
        void this.lazy<QuantizePanel>('quantize').then((quantize) => quantize.showPushed(message.result));
        return;
      case 'evaluation':
        this.shell.show('evaluate');
        void this.lazy<EvalPanel>('evaluate').then((evaluate) => evaluate.showPushed(message.result));
        return;
    }
  }

  dispose(): void {
    this.shell.dispose();
  }

  /** A lazily loaded tab (made now if it was not yet), once its chunk is in. */
  private lazy<T extends Tab>(id: TabId): Promise<T> {
    return this.shell.tab<LazyTab<T>>(id).ready;
  }

  private save(): void {
    this.host.saveState({ modelHash: this.modelHash, tab: this.shell.currentTab, graph: this.graphState });
  }
}
