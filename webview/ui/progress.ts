/**
 * The progress line of a long action (benchmark, evaluation, explanation): VS Code's progress bar
 * fed by the host's `progress` pushes, with the push's sentence beside it; hidden when idle.
 */
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { h } from './dom';

export class ProgressLine {
  readonly element: HTMLElement;
  private readonly bar: HTMLElement & { value?: number; max: number };
  private readonly text: HTMLElement;

  constructor(label: string, testid: string) {
    this.bar = h('vscode-progress-bar', { 'aria-label': label, max: 1 }) as HTMLElement & { value?: number; max: number };
    this.text = h('span', { class: 'muted' });
    this.element = h('div', { class: 'run-progress', 'data-testid': testid, hidden: true }, this.bar, this.text);
  }

  /** Shows the line at 0 of `total` with `message`. */
  start(total = 1, message = 'Starting…'): void {
    this.set(0, total, message);
    this.element.hidden = false;
  }

  set(done: number, total: number, message: string): void {
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
    this.text.textContent = message;
  }

  /** The message while a cancel is on its way. */
  say(message: string): void {
    this.text.textContent = message;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
