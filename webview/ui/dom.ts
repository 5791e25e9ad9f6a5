/**
 * A small typed element builder: the page is plain DOM, no framework. Children may be given as
 * arrays: a table of a model's million inputs must not be spread into a call, which throws
 * "Maximum call stack size exceeded" past ~100k arguments (issue 13).
 */

type Child = Node | string | number | null | undefined | false;
type Children = Child | readonly Child[];
type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Children[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: Children[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: Children[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Children[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else if (child !== null && child !== undefined && child !== false) parent.appendChild(typeof child === 'object' ? child as Node : document.createTextNode(String(child)));
  }
}

/** `parent.replaceChildren(...children)` for lists of any length. */
export function replaceAll(parent: Element, children: readonly Children[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Text that ellipsizes when too long and shows the whole text on hover. */
export function clipped(text: string, className = ''): HTMLSpanElement {
  return h('span', { class: `clip ${className}`.trim(), title: text }, text);
}

/** A codicon glyph (decorative: hidden from screen readers). */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}
