/**
 * The Run tab: created the first time the tab is shown (only then is onnxruntime asked for the
 * model's signature), kept across tab switches. Mounts the sections — inputs and session options
 * with Run and the outputs, activations, benchmark, profile — and gives them one RunContext: the
 * checked setup (saved for the model on every action), one action at a time, `body[data-run-state]`
 * (idle | running | done | error, for the last action), errors shown next to their cause, and
 * `progress` pushes routed by request id.
 */
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import './run.css';
import type { GraphPayload } from '../../src/shared/graphPayload';
import { PROVIDER_NAMES } from '../../src/shared/runtimeTypes';
import type { RuntimeSignature, ShowTabMessage } from '../../src/shared/protocol';
import { h } from '../ui/dom';
import type { Tab } from '../shell/appShell';
import type { ExplainPort, GraphPort } from '../shell/ports';
import type { HostChannel } from '../shell/hostChannel';
import { ActivationsView } from './activationsView';
import { BenchmarkView } from './benchmarkView';
import { RUN_REQUEST_MS, type RunContext, type RunState } from './context';
import { button, errorMessage, ErrorBanner, section, setDisabled } from '../ui/controls';
import { InputEditor } from './inputEditor';
import { formatMs } from '../format';
import { OutputsView } from './outputsView';
import { ProfileView } from './profileView';
import { sessionOptionsEditor } from './sessionOptions';
import { initialState, inputOfError, setupProblems, toRunSetup, type SetupState } from './setup';

export type RunSection = NonNullable<ShowTabMessage['section']>;

export interface RunPanelHost {
  channel: HostChannel;
  payload: GraphPayload;
  /** The Graph tab: its selection is what "Capture selection" captures; "Show in graph" and the Time overlay go there. */
  graph: GraphPort;
  /** The Explain section (webview/explain/, built by the app). */
  explain: ExplainPort;
}

interface Sections {
  signature: RuntimeSignature;
  state: SetupState;
  inputs: InputEditor;
  runButton: HTMLElement;
  runStatus: HTMLElement;
  runNote: HTMLElement;
  providerNote: HTMLElement;
  runErrorSlot: HTMLElement;
  outputs: OutputsView;
  explain: ReturnType<ExplainPort['runSection']>;
  activations: ActivationsView;
  benchmark: BenchmarkView;
  profile: ProfileView;
}

const SECTIONS: { id: RunSection; label: string }[] = [
  { id: 'run', label: 'Run' },
  { id: 'explain', label: 'Explain' },
  { id: 'activations', label: 'Activations' },
  { id: 'benchmark', label: 'Benchmark' },
  { id: 'profile', label: 'Profile' },
];

/** The explained output's class names: the model's labels, else indices when its last dim is a class count. */
function classNames(signature: RuntimeSignature): string[] | null {
  if (signature.labels) return signature.labels;
  const dims = signature.outputs.find((o) => o.elemType.startsWith('float'))?.dims ?? [];
  const classes = dims[dims.length - 1];
  return typeof classes === 'number' && classes > 1 && classes <= 1000 ? Array.from({ length: classes }, (_, i) => String(i)) : null;
}

export class RunPanel implements Tab {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly errors = new ErrorBanner();
  private readonly stopSelection: () => void;
  private sections: Sections | null = null;
  private pendingSection: RunSection | null = null;
  private busy = false;

  constructor(private readonly host: RunPanelHost) {
    this.body = h('div', { class: 'run-body' });
    this.element = h('div', { class: 'shell-page run-panel', 'data-testid': 'run-panel', 'data-state': 'loading' }, this.body);
    document.body.dataset.runState = 'idle';
    this.stopSelection = host.graph.onSelectionChange(() => this.sections?.activations.selectionChanged());
    this.load();
  }

  dispose(): void {
    this.stopSelection();
  }

  /** Scrolls to a section; 'benchmark' and 'profile' also start (once the signature is in). */
  showSection(section: RunSection): void {
    if (!this.sections) {
      this.pendingSection = section;
      return;
    }
    this.element.querySelector(`#run-${section}`)?.scrollIntoView({ block: 'start' });
    if (section === 'benchmark') this.sections.benchmark.start();
    if (section === 'profile') this.sections.profile.start();
  }

  retheme(): void {
    this.sections?.outputs.retheme();
    this.sections?.explain.retheme();
    this.sections?.activations.retheme();
    this.sections?.benchmark.retheme();
  }

  private load(): void {
    this.element.dataset.state = 'loading';
    this.body.replaceChildren(h('div', { class: 'loading', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), h('span', {}, 'Starting onnxruntime for this model…')));
    this.host.channel.request('runtimeSignature', {}, RUN_REQUEST_MS).then(
      (signature) => {
        this.mount(signature);
        this.element.dataset.state = 'ready';
        const pending = this.pendingSection;
        this.pendingSection = null;
        if (pending) this.showSection(pending);
      },
      (error: unknown) => {
        this.element.dataset.state = 'error';
        const slot = h('div', { class: 'run-load-error' });
        this.body.replaceChildren(slot, h('div', { class: 'run-actions' }, button('Try again', () => this.load(), { icon: 'refresh', secondary: true })));
        this.errors.show(errorMessage(error), slot);
      },
    );
  }

  private mount(signature: RuntimeSignature): void {
    const state = initialState(signature.inputs, signature.saved, signature.dimHints ?? {}, signature.defaults);
    const ctx = this.context(signature, state);
    const inputs = new InputEditor(signature.inputs, state, this.host.channel, this.errors, signature.datasets ?? []);
    const runButton = button('Run', () => this.run(), { icon: 'play', testid: 'run-button', title: 'Run the model once with these inputs' });
    const runStatus = h('span', { class: 'run-status', role: 'status', 'data-testid': 'run-status' });
    const runNote = h('span', { class: 'muted run-note' });
    // An execution provider that fell back to the CPU is said here, under the run, not only in a notification.
    const providerNote = h('p', { class: 'run-provider-note', role: 'status', 'data-testid': 'provider-note', hidden: true });
    const runErrorSlot = h('div', { class: 'run-action-error' });
    const outputs = new OutputsView(this.host.channel, signature);
    const s: Sections = {
      signature, state, inputs, runButton, runStatus, runNote, providerNote, runErrorSlot, outputs,
      explain: this.host.explain.runSection({
        channel: ctx.channel,
        begin: () => ctx.begin(),
        end: (outcome) => ctx.end(outcome),
        inputs: signature.inputs,
        classes: classNames(signature),
        subject: () => {
          const setup = ctx.takeSetup();
          return setup && { subject: { kind: 'inputs', inputs: setup.inputs }, options: setup.options };
        },
      }),
      activations: new ActivationsView(ctx),
      benchmark: new BenchmarkView(ctx),
      profile: new ProfileView(ctx),
    };
    this.sections = s;
    // Links that scroll to a section: they must not look like the Run button, which runs.
    const nav = h('nav', { class: 'run-nav', 'aria-label': 'Run tab sections' }, h('span', { class: 'muted' }, 'Go to'), ...SECTIONS.map(({ id, label }, i) => {
      const b = h('button', { class: 'link run-jump', type: 'button', title: `Scroll to ${label}`, 'data-testid': `run-jump-${id}` }, label);
      b.addEventListener('click', () => this.element.querySelector(`#run-${id}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
      return i === 0 ? b : [h('span', { class: 'muted', 'aria-hidden': 'true' }, '·'), b];
    }).flat());
    const labels = signature.labels ? `${signature.labels.length} class labels from ${signature.labelSource ?? 'the model'}` : signature.labelNote ? `class names not used: ${signature.labelNote}` : 'no class labels';
    this.body.replaceChildren(
      h('header', { class: 'run-header' }, nav, h('span', { class: 'muted run-runtime', 'data-testid': 'run-runtime' }, `onnxruntime ${signature.ortVersion} (${PROVIDER_NAMES[signature.provider]}) · ${labels}`)),
      section('run', 'Run', 'play', 'Feed each input, run the model once and look at its outputs.',
        inputs.element,
        sessionOptionsEditor(state.options, [...new Set([...signature.providers, state.options.executionProvider ?? 'cpu'])]),
        h('div', { class: 'run-actions' }, runButton, runStatus, runNote),
        providerNote,
        runErrorSlot,
        outputs.element),
      section('explain', 'Explain', 'lightbulb', 'Why this output: which pixels or features raise or lower the score of a class (KernelSHAP, LIME, occlusion, RISE, attention rollout). Reports are saved as JSON and HTML.', s.explain.element),
      section('activations', 'Activations', 'layers', 'Capture intermediate values in one run: every one, or the outputs of the node selected in the graph.', s.activations.element),
      section('benchmark', 'Benchmark', 'dashboard', 'Time repeated runs per configuration. Reports are saved as JSON.', s.benchmark.element),
      section('profile', 'Profile', 'pulse', "onnxruntime's profiler: where the time of a run goes, kernel by kernel.", s.profile.element),
    );
  }

  private context(signature: RuntimeSignature, state: SetupState): RunContext {
    return {
      channel: this.host.channel,
      payload: this.host.payload,
      signature,
      takeSetup: () => this.takeSetup(signature, state),
      begin: () => this.begin(),
      end: (outcome) => this.end(outcome),
      selection: () => this.host.graph.selection(),
      revealNode: (node) => this.host.graph.revealNode(node),
      showOverlay: (channel) => this.host.graph.showOverlay(channel),
    };
  }

  private takeSetup(signature: RuntimeSignature, state: SetupState) {
    if (this.busy) return null;
    const problem = setupProblems(signature.inputs, state)[0];
    if (problem) {
      this.errors.show(problem.message, (problem.input && this.sections?.inputs.errorSlot(problem.input)) || this.sections!.runErrorSlot);
      this.setState('error');
      return null;
    }
    const setup = toRunSetup(signature.inputs, state);
    this.host.channel.request('saveRunSetup', setup).then(
      () => {},
      (e: unknown) => this.sections && (this.sections.runNote.textContent = `The setup was not saved: ${errorMessage(e)}`),
    );
    return setup;
  }

  private begin(): boolean {
    if (this.busy) return false;
    this.busy = true;
    this.errors.clear();
    this.setState('running');
    this.setBusy(true);
    return true;
  }

  private end(outcome: Parameters<RunContext['end']>[0]): void {
    this.busy = false;
    this.setBusy(false);
    if (outcome === 'done' || outcome === 'idle') {
      this.setState(outcome);
      return;
    }
    const message = errorMessage(outcome.error);
    this.errors.show(message, this.slotFor(message) ?? outcome.slot);
    this.setState('error');
  }

  /** The row of the input an error is about, if it is about one. */
  private slotFor(message: string): HTMLElement | null {
    const s = this.sections;
    const input = s && inputOfError(message, s.signature.inputs, s.state.sources);
    return input ? s.inputs.errorSlot(input) : null;
  }

  private setState(state: RunState): void {
    document.body.dataset.runState = state;
  }

  private setBusy(busy: boolean): void {
    const s = this.sections;
    if (!s) return;
    setDisabled(s.runButton, busy);
    s.explain.setBusy(busy);
    s.activations.setBusy(busy);
    s.benchmark.setBusy(busy);
    s.profile.setBusy(busy);
  }

  private run(): void {
    const s = this.sections;
    if (!s) return;
    const setup = this.takeSetup(s.signature, s.state);
    if (!setup || !this.begin()) {
      if (this.errors.shown) this.markStale(s);
      return;
    }
    s.runStatus.replaceChildren(h('vscode-progress-ring', { class: 'inline-ring', 'aria-label': 'Running' }), 'Running…');
    s.runNote.textContent = '';
    this.host.channel.request('runModel', setup, RUN_REQUEST_MS).then(
      (result) => {
        s.runStatus.textContent = `Ran in ${formatMs(result.runMs)} on ${PROVIDER_NAMES[result.provider]}`;
        s.providerNote.hidden = !result.providerNote;
        s.providerNote.replaceChildren(...(result.providerNote ? [h('span', { class: 'codicon codicon-warning' }), ` ${result.providerNote}`] : []));
        s.runNote.textContent = result.sessionMs > 0 ? `(session created in ${formatMs(result.sessionMs)})` : '(cached session)';
        s.outputs.show(result);
        this.end('done');
      },
      (error: unknown) => {
        this.markStale(s);
        this.end({ error, slot: s.runErrorSlot });
      },
    );
  }

  /** After a failed run, the outputs still shown are the previous run's: say so. */
  private markStale(s: Sections): void {
    s.runStatus.textContent = '';
    s.runNote.textContent = s.outputs.element.childElementCount ? 'The outputs below are from the previous run.' : '';
  }
}
