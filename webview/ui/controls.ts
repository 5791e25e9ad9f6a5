/**
 * Small form pieces the Run tab shares: labelled fields, native inputs and selects styled like
 * VS Code's (Playwright can fill and select them directly), buttons, and the one error banner.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { h, icon } from './dom';

type Attrs = Record<string, string | number | boolean | undefined>;

/** A label around its control, so a click on the text focuses it and screen readers name it. */
export function field(label: string, control: HTMLElement, extra: Attrs = {}): HTMLLabelElement {
  return h('label', { class: 'run-field', ...extra }, h('span', { class: 'run-field-label' }, label), control);
}

export function numberInput(value: number, attrs: Attrs = {}): HTMLInputElement {
  const input = h('input', { class: 'run-input', type: 'number', value: String(value), ...attrs });
  return input;
}

export function textInput(value: string, attrs: Attrs = {}): HTMLInputElement {
  return h('input', { class: 'run-input', type: 'text', value, spellcheck: 'false', ...attrs });
}

export function selectInput<T extends string>(options: readonly { value: T; label: string }[], value: T, attrs: Attrs = {}): HTMLSelectElement {
  const select = h('select', { class: 'run-select', ...attrs }, ...options.map((o) => h('option', { value: o.value }, o.label)));
  select.value = value;
  return select;
}

export interface ButtonOptions {
  icon?: string;
  secondary?: boolean;
  testid?: string;
  title?: string;
}

/** A VS Code button; `onClick` runs on click and on Enter/Space (vscode-button handles keys). */
export function button(label: string, onClick: () => void, opts: ButtonOptions = {}): HTMLElement {
  const b = h('vscode-button', { icon: opts.icon, secondary: opts.secondary, 'data-testid': opts.testid, title: opts.title }, label);
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

export function setDisabled(element: HTMLElement, disabled: boolean): void {
  element.toggleAttribute('disabled', disabled);
  element.setAttribute('aria-disabled', String(disabled));
}

/** A link-styled button (show in graph, pick a row). */
export function linkButton(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { class: 'link', type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The panel's one error banner (`data-testid="run-error"`): shown right after the control that
 * caused it (an input row, a Run/Start button), moved there by the next error, removed by `clear`.
 * One banner at a time keeps the message next to the action the user just took.
 */
export class ErrorBanner {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;

  constructor() {
    this.text = h('span', { class: 'banner-text' });
    this.element = h('div', { class: 'banner error run-error', role: 'alert', 'data-testid': 'run-error' }, icon('error'), this.text);
  }

  /** Shows `message` as the last child of `slot`. */
  show(message: string, slot: HTMLElement): void {
    this.text.textContent = message;
    slot.append(this.element);
  }

  clear(): void {
    this.element.remove();
  }

  get shown(): boolean {
    return this.element.isConnected;
  }
}

/** A bar for a share in 0–1 (kernel time, sparsity, a class score), with optional text after it. */
export function shareBar(fraction: number, text?: string): HTMLElement {
  const bar = h('span', { class: 'share-fill' });
  bar.style.setProperty('--share', String(Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0));
  return h('span', { class: 'share' }, h('span', { class: 'share-track', 'aria-hidden': 'true' }, bar), text === undefined ? null : h('span', { class: 'mono share-text' }, text));
}

/** A Run-tab section: heading with a codicon, a muted one-line explanation, then content. */
export function section(id: string, title: string, codicon: string, blurb: string, ...content: (HTMLElement | null)[]): HTMLElement {
  return h('section', { class: 'run-section', id: `run-${id}`, 'data-section': id },
    h('h2', { class: 'run-section-title' }, icon(codicon), title),
    blurb ? h('p', { class: 'muted run-blurb' }, blurb) : null,
    ...content);
}
