/** The hover card over the graph, placed beside the pointer inside the canvas. Text only (textContent). */
import { h } from '../ui/dom';
import type { TooltipContent } from './tooltipContent';

export class GraphTooltip {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'graph-tooltip', role: 'tooltip', 'data-testid': 'graph-tooltip', hidden: true });
  }

  /** Shows the card for `content` near (x, y), CSS px inside `bounds` (the canvas's size). */
  show(content: TooltipContent, x: number, y: number, bounds: { width: number; height: number }): void {
    this.element.replaceChildren(
      h('div', { class: 'tooltip-title' }, content.title),
      h('div', { class: 'tooltip-subtitle mono' }, content.subtitle),
      ...(content.rows.length ? [h('table', { class: 'tooltip-rows' }, ...content.rows.map(([k, v]) => h('tr', {}, h('td', { class: 'muted' }, k), h('td', { class: 'mono' }, v))))] : []),
      ...(content.note ? [h('div', { class: 'tooltip-note muted' }, content.note)] : []),
    );
    this.element.hidden = false;
    const w = this.element.offsetWidth, hh = this.element.offsetHeight;
    const left = x + 14 + w > bounds.width ? Math.max(4, x - 14 - w) : x + 14;
    const top = y + 16 + hh > bounds.height ? Math.max(4, y - 12 - hh) : y + 16;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
