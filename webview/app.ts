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
import { EvalPanel } from './eval/evalPanel';
import { GraphTab, type GraphState } from './graph/graphTab';
import type { LayoutClient } from './graph/layoutClient';
import { ModelTab } from './model/modelTab';
import { modelName } from './model/modelOverview';
import { QuantizePanel } from './quantize/quantizePanel';
import { RunPanel } from './run/runPanel';
import { ExplainSection } from './explain/explainSection';
import { EvalExplainPane } from './explain/evalExplain';
import type { ExplainPort } from './shell/ports';

/** The explanations the Run and Evaluate tabs host (webview/explain/). */
const EXPLAIN: ExplainPort = {
  runSection: (host) => new ExplainSection(host),
  evalPane: (channel, report) => new EvalExplainPane(channel, report),
};
import { AppShell, type TabId } from './shell/appShell';
import type { HostChannel } from './shell/hostChannel';
import { h, icon } from './ui/dom';

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
      onRendered: (items) => host.onRendered(items),
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
        { id: 'run', label: 'Run', codicon: 'play', create: () => new RunPanel({ channel, payload, graph: graphPort, explain: EXPLAIN }) },
        { id: 'evaluate', label: 'Evaluate', codicon: 'checklist', create: () => new EvalPanel({ channel, explain: EXPLAIN }) },
        { id: 'quantize', label: 'Quantize', codicon: 'package', create: () => new QuantizePanel({ channel, graph: graphPort }) },
      ],
    });
    // The graph lays out from the start, whichever tab is shown (the host waits for its first frame).
    this.shell.tab('graph');
    this.element = this.shell.element;
  }

  setSummary(summary: ViewSummary): void {
    this.model.setSummary(summary);
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
      case 'showTab':
        this.shell.show(message.tab);
        if (message.tab === 'run' && message.section) this.shell.tab<RunPanel>('run').showSection(message.section);
        if (message.tab === 'evaluate' && message.view) this.shell.tab<EvalPanel>('evaluate').showView(message.view);
        return;
      case 'robustness':
        this.shell.show('evaluate');
        this.shell.tab<EvalPanel>('evaluate').showRobustness(message.result);
        return;
      case 'drift':
        this.shell.show('evaluate');
        this.shell.tab<EvalPanel>('evaluate').showDrift(message.result);
        return;
      case 'quantization':
        this.shell.show('quantize');
        this.shell.tab<QuantizePanel>('quantize').showPushed(message.result);
        return;
      case 'evaluation':
        this.shell.show('evaluate');
        this.shell.tab<EvalPanel>('evaluate').showPushed(message.result);
        return;
    }
  }

  dispose(): void {
    this.shell.dispose();
  }

  private save(): void {
    this.host.saveState({ modelHash: this.modelHash, tab: this.shell.currentTab, graph: this.graphState });
  }
}
