/** A small typed element builder: the page is plain DOM, no framework. */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Text that ellipsizes when too long and shows the whole text on hover. */
export function clipped(text: string, className = ''): HTMLSpanElement {
  return h('span', { class: `clip ${className}`.trim(), title: text }, text);
}

/**
 * A saved report's path as a link: a click asks the host to open it (an HTML report in a panel,
 * JSON as text) through the `[data-open-report]` handler the model page installs (webview/main.ts).
 */
export function reportLink(file: string, className = ''): HTMLAnchorElement {
  return h('a', { class: `clip report-link ${className}`.trim(), href: '#', title: `Open ${file}`, 'data-open-report': file }, file);
}

/** A codicon glyph (decorative: hidden from screen readers). */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}
