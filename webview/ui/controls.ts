/**
 * Form pieces every tab uses, VS Code's own controls (@vscode-elements/elements): labelled fields,
 * text and number fields (vscode-textfield), selects (vscode-single-select), checkboxes, buttons,
 * link buttons, the one error banner, share bars and section headings. The fields keep their
 * value in `.value` like native inputs and fire `input` and `change`; end-to-end tests fill the
 * native input inside a field's shadow DOM (`[data-testid="…"] input`).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import './kit.css';
import { h, icon } from './dom';

type Attrs = Record<string, string | number | boolean | undefined>;

/** A label around its control, so a click on the text focuses it and screen readers name it. */
export function field(label: string, control: HTMLElement, extra: Attrs = {}): HTMLLabelElement {
  const element = h('label', { class: 'run-field', ...extra }, h('span', { class: 'run-field-label' }, label), control);
  // The control's own input (inside its shadow DOM) is named by its `label` property.
  const named = control as HTMLElement & { label?: string };
  if (named.label === '') named.label = label;
  return element;
}

/** A vscode-textfield: `value` is its text, like an input's. */
export type TextField = HTMLElement & { value: string; label: string; disabled: boolean };

/** Attributes the textfield takes as properties (its inner input gets them; `step: 'any'` survives as a string). */
const FIELD_PROPS = new Set(['min', 'max', 'step', 'placeholder', 'type']);

function textField(type: 'text' | 'number' | 'search', value: string, attrs: Attrs): TextField {
  const plain: Attrs = {};
  const props: Record<string, unknown> = { type };
  for (const [name, v] of Object.entries(attrs)) (FIELD_PROPS.has(name) ? props : plain)[name] = v;
  const element = h('vscode-textfield', { class: 'run-input', ...plain }) as TextField;
  Object.assign(element, props);
  element.value = value;
  element.label = String(attrs['aria-label'] ?? '');
  return element;
}

export function numberInput(value: number, attrs: Attrs = {}): TextField {
  return textField('number', String(value), attrs);
}

export function textInput(value: string, attrs: Attrs = {}): TextField {
  return textField('text', value, { spellcheck: 'false', ...attrs });
}

export function searchInput(attrs: Attrs = {}): TextField {
  return textField('search', '', { spellcheck: 'false', ...attrs });
}

export interface Choice<T extends string> {
  value: T;
  label: string;
}

type SelectElement = HTMLElement & { value: string; label: string; disabled: boolean };

/**
 * A vscode-single-select whose value is known at once: the element learns its options when they
 * are slotted (after it is connected and rendered), so the chosen value is kept here too.
 */
export class Select<T extends string> {
  readonly element: SelectElement;
  private current: T;
  private choices: readonly Choice<T>[] = [];

  constructor(options: readonly Choice<T>[], value: T, attrs: Attrs = {}) {
    this.element = h('vscode-single-select', { class: 'run-select', ...attrs }) as SelectElement;
    this.element.label = String(attrs['aria-label'] ?? '');
    this.current = value;
    this.setOptions(options, value);
    this.element.addEventListener('change', () => (this.current = this.element.value as T));
  }

  get value(): T {
    return this.current;
  }

  /** Chooses `value` when it is one of the options (else nothing changes). */
  set value(value: T) {
    if (!this.choices.some((c) => c.value === value)) return;
    this.current = value;
    this.element.value = value;
  }

  /** Replaces the options; `value` (or the first option) is chosen. */
  setOptions(options: readonly Choice<T>[], value: T | undefined = options[0]?.value): void {
    this.choices = options;
    this.current = options.some((o) => o.value === value) ? value! : (options[0]?.value ?? ('' as T));
    this.element.replaceChildren(...options.map((o) => h('vscode-option', { value: o.value, selected: o.value === this.current }, o.label)));
    this.element.value = this.current;
  }

  /** Calls `listener` with the new value when the user chooses another option. */
  onChange(listener: (value: T) => void): void {
    this.element.addEventListener('change', () => listener(this.current));
  }
}

export type Checkbox = HTMLElement & { checked: boolean };

export function checkbox(label: string, checked: boolean, attrs: Attrs = {}): Checkbox {
  const element = h('vscode-checkbox', { label, ...attrs }) as Checkbox;
  element.checked = checked;
  return element;
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

/** An icon-only button for a toolbar (the header's tools, beside a field); `title` names it. */
export function iconButton(codicon: string, title: string, onClick: () => void, attrs: Attrs = {}): HTMLElement {
  const b = h('vscode-toolbar-button', { icon: codicon, title, ...attrs });
  (b as HTMLElement & { label: string }).label = title;
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
