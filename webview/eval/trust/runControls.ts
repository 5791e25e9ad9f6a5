/**
 * Run and Cancel for a trust view's long request, with the progress bar its `progress` pushes
 * drive, a status line and the one error banner: the Robustness and Drift views each hold one.
 * `body[data-<name>-state]` = idle | running | done | error, for tests and the view's styles.
 */
import type { HostMethod, ParamsOf, ResultOf } from '../../../src/shared/protocol';
import type { HostChannel } from '../../shell/hostChannel';
import { startAction, type RunningAction } from '../../shell/action';
import { h } from '../../ui/dom';
import { ProgressLine } from '../../ui/progress';
import { button, errorMessage, ErrorBanner, setDisabled } from '../../ui/controls';

export class RunControls {
  readonly element: HTMLElement;
  private readonly runButton: HTMLElement;
  private readonly cancelButton: HTMLElement;
  private readonly status: HTMLElement;
  private readonly progress: ProgressLine;
  private readonly slot: HTMLElement;
  private readonly errors = new ErrorBanner();
  private running: RunningAction | null = null;
  private readonly busyListeners: ((busy: boolean) => void)[] = [];

  constructor(private readonly name: string, label: string, codicon: string, title: string, onRun: () => void) {
    this.errors.element.dataset.testid = `${name}-error`;
    this.runButton = button(label, onRun, { icon: codicon, testid: `${name}-run`, title });
    this.cancelButton = button('Cancel', () => this.cancel(), { icon: 'close', secondary: true, testid: `${name}-cancel` });
    setDisabled(this.cancelButton, true);
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': `${name}-status` });
    this.progress = new ProgressLine(`${label} progress`, `${name}-progress`);
    this.slot = h('div', { class: 'run-action-error' });
    this.element = h('div', {}, h('div', { class: 'run-actions' }, this.runButton, this.cancelButton, this.status), this.progress.element, this.slot);
    this.setState('idle');
  }

  onBusy(listener: (busy: boolean) => void): void {
    this.busyListeners.push(listener);
  }

  get busy(): boolean {
    return this.running !== null;
  }

  start<M extends HostMethod>(channel: HostChannel, method: M, params: ParamsOf<M>, done: (result: ResultOf<M>) => string): void {
    if (this.running) return;
    this.errors.clear();
    this.setState('running');
    this.setBusy(true);
    this.progress.start();
    this.status.textContent = '';
    this.running = startAction({
      channel,
      end: (outcome) => {
        if (outcome === 'done' || outcome === 'idle') this.setState(outcome);
        else this.showError(errorMessage(outcome.error));
      },
    }, method, params, {
      slot: this.slot,
      status: this.status,
      progress: (m) => this.progress.set(m.done, m.total, m.message),
      done: (result) => (this.status.textContent = done(result)),
      settled: () => {
        this.running = null;
        this.progress.hide();
        this.setBusy(false);
      },
    });
  }

  showError(message: string): void {
    this.errors.show(message, this.slot);
    this.setState('error');
  }

  clearError(): void {
    this.errors.clear();
  }

  private cancel(): void {
    if (!this.running) return;
    this.progress.say('Cancelling…');
    this.running.cancel();
  }

  private setBusy(busy: boolean): void {
    setDisabled(this.runButton, busy);
    setDisabled(this.cancelButton, !busy);
    for (const l of this.busyListeners) l(busy);
  }

  private setState(state: 'idle' | 'running' | 'done' | 'error'): void {
    document.body.dataset[`${this.name}State`] = state;
  }
}
