/**
 * The search box (Ctrl/Cmd+F) and its results list: nodes, values and op types. Choosing a node
 * reveals it; a value shows "producer / consumers" buttons; an op type highlights its nodes.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import { h, icon, replaceAll } from '../ui/dom';
import { searchInput, type TextField } from '../ui/controls';
import { consumersOf, producersOf } from '../../src/core/graphLayout/consumers';
import { buildSearchIndex, search, type SearchHit, type SearchIndex } from './search';

export interface SearchActions {
  revealNode(node: number): void;
  showValue(value: number): void;
  highlightNodes(nodes: number[], reveal: boolean): void;
}

const SHOWN = 100;

export class SearchBox {
  readonly element: HTMLElement;
  readonly input: TextField;
  private readonly list: HTMLElement;
  private index: SearchIndex | null = null;
  private hits: SearchHit[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly payload: GraphPayload,
    private readonly actions: SearchActions,
  ) {
    this.input = searchInput({
      class: 'search-input',
      placeholder: 'Search nodes, ops, values (Ctrl+F)',
      'aria-label': 'Search the graph',
      'data-testid': 'search-input',
    });
    const glass = icon('search');
    glass.slot = 'content-before';
    this.input.append(glass);
    this.list = h('ul', { class: 'search-results', role: 'listbox', hidden: true });
    this.element = h('div', { class: 'search' }, this.input, this.list);
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), 80);
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('focus', () => this.hits.length && (this.list.hidden = false));
    document.addEventListener('pointerdown', (e) => {
      if (!this.element.contains(e.target as Node)) this.list.hidden = true;
    });
  }

  focus(): void {
    this.input.focus();
    (this.input as TextField & { wrappedElement?: HTMLInputElement }).wrappedElement?.select();
  }

  private run(): void {
    const query = this.input.value.trim();
    if (!query) {
      this.hits = [];
      this.list.hidden = true;
      return;
    }
    this.index ??= buildSearchIndex(this.payload);
    this.hits = search(this.index, query, 500);
    this.active = this.hits.length ? 0 : -1;
    this.renderList();
  }

  private renderList(): void {
    const items = this.hits.slice(0, SHOWN).map((hit, i) => {
      const li = h(
        'li',
        { class: `search-result${i === this.active ? ' active' : ''}`, role: 'option', 'data-testid': 'search-result', 'aria-selected': i === this.active ? 'true' : 'false' },
        icon(hit.kind === 'node' ? 'symbol-method' : hit.kind === 'op' ? 'symbol-class' : 'symbol-variable'),
        h('span', { class: 'hit-label', title: hit.label }, hit.label),
        h('span', { class: 'hit-detail', title: hit.detail }, hit.detail),
      );
      li.addEventListener('pointerdown', (e) => e.preventDefault());
      li.addEventListener('click', () => this.choose(i));
      if (hit.kind === 'value') li.append(this.valueButtons(hit.index));
      return li;
    });
    if (this.hits.length === 0) items.push(h('li', { class: 'search-empty' }, 'No matches.'));
    else if (this.hits.length > SHOWN) items.push(h('li', { class: 'search-empty' }, `${this.hits.length - SHOWN}+ more: refine the query.`));
    replaceAll(this.list, items);
    this.list.hidden = false;
  }

  private valueButtons(value: number): HTMLElement {
    const producers = producersOf(this.payload, value);
    const consumers = consumersOf(this.payload, value);
    const button = (label: string, nodes: number[]) => {
      const b = h('button', { class: 'chip', type: 'button', disabled: nodes.length === 0, title: `${label} of this value` }, `${label} (${nodes.length})`);
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        this.list.hidden = true;
        if (nodes.length === 1) this.actions.revealNode(nodes[0]);
        this.actions.highlightNodes(nodes, nodes.length !== 1);
      });
      return b;
    };
    return h('span', { class: 'hit-actions' }, button('producer', producers), button('consumers', consumers));
  }

  private choose(i: number): void {
    const hit = this.hits[i];
    if (!hit) return;
    this.list.hidden = true;
    if (hit.kind === 'node') this.actions.revealNode(hit.index);
    else if (hit.kind === 'value') this.actions.showValue(hit.index);
    else {
      const nodes: number[] = [];
      for (let n = 0; n < this.payload.nodeCount; n++) if (this.payload.nodeOp[n] === hit.index) nodes.push(n);
      this.actions.highlightNodes(nodes, true);
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!this.hits.length) return;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + Math.min(this.hits.length, SHOWN)) % Math.min(this.hits.length, SHOWN);
      this.renderList();
      this.list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      clearTimeout(this.timer);
      if (!this.hits.length) this.run();
      this.choose(Math.max(0, this.active));
    } else if (e.key === 'Escape') {
      this.list.hidden = true;
      this.input.blur();
    } else return;
    e.preventDefault();
  }
}
