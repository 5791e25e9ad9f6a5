/**
 * The model editor's page once its graph is in: a header (the model's name and figures, one tab
 * per feature — Graph, Model, Run, Evaluate, Quantize — and the current tab's tools on the right)
 * over one panel per tab, as VS Code's own tabs (vscode-tabs). A tab's content is made the first
 * time it is shown (Run starts onnxruntime then) and kept across switches; theme changes reach
 * every tab made so far. The shell knows tabs only by this interface: features never import one
 * another (webview/main.ts and webview/app.ts wire them).
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import './shell.css';
import { h, icon } from '../ui/dom';
import { observeTheme } from '../ui/theme';

export type TabId = 'graph' | 'model' | 'run' | 'evaluate' | 'quantize';

/** A tab's content, made by its TabSpec the first time it is needed. */
export interface Tab {
  readonly element: HTMLElement;
  /** The tab became the visible one. */
  shown?(): void;
  /** VS Code switched theme: canvases and charts re-read their colours. */
  retheme?(): void;
  dispose?(): void;
}

export interface TabSpec {
  id: TabId;
  label: string;
  codicon: string;
  create(): Tab;
  /** Header controls that belong to this tab, shown only while it is (the graph's search and colour-by). */
  tools?: HTMLElement;
  /** The panel fills the page and scrolls nothing itself (the graph canvas); others scroll as a page. */
  fill?: boolean;
}

export interface ShellOptions {
  /** The model's name and figures, left of the tabs. */
  brand: HTMLElement;
  /** A line under the header shown on every tab (the model's structural problems), or null. */
  notice: HTMLElement | null;
  tabs: TabSpec[];
  initial: TabId;
  /** The user (or a host push) switched tabs; persisted with the page state. */
  onTabChange(tab: TabId): void;
}

interface Slot {
  spec: TabSpec;
  header: HTMLElement;
  panel: HTMLElement;
  tab: Tab | null;
}

export class AppShell {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly slots: Slot[];
  /**
   * Refits the header when the page resizes and when its parts do: the tab headers and tools grow
   * as their elements render and the codicon font arrives, after the first fit (measured before
   * them, the Graph tab's last button was cut off at the right edge). A frame later, so that the
   * fit's own changes are not seen inside this observer's delivery (a ResizeObserver loop error).
   */
  private readonly resize = new ResizeObserver(() => {
    if (this.fitQueued) return;
    this.fitQueued = true;
    requestAnimationFrame(() => {
      this.fitQueued = false;
      this.fitHeader();
    });
  });
  private fitQueued = false;
  private current: TabId;
  private readonly stopTheme = observeTheme(() => {
    for (const s of this.slots) s.tab?.retheme?.();
  });

  constructor(private readonly options: ShellOptions) {
    this.slots = options.tabs.map((spec) => ({
      spec,
      header: h('vscode-tab-header', { 'data-testid': `tab-${spec.id}`, title: spec.label }, withSlot(icon(spec.codicon), 'content-before'), h('span', { class: 'shell-tab-label' }, spec.label)),
      panel: h('vscode-tab-panel', { class: `shell-panel${spec.fill ? ' shell-fill' : ''}`, 'data-tab': spec.id, hidden: true }),
      tab: null,
    }));
    const tools = h('div', { slot: 'addons', class: 'shell-tools' }, ...this.slots.map((s) => s.spec.tools ?? null));
    this.tools = tools;
    // Keys typed in the tools (the search box, a select) stay there: vscode-tabs reads arrows and
    // Enter anywhere in its header to move between tabs.
    tools.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Enter') e.stopPropagation();
    });
    this.tabs = h('vscode-tabs', { class: 'shell-tabs' },
      withSlot(options.brand, 'header'),
      ...this.slots.map((s) => s.header),
      tools,
      options.notice,
      ...this.slots.map((s) => s.panel));
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const slot = this.slots[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex];
      if (slot) this.show(slot.spec.id);
    });
    this.element = h('div', { class: 'app-shell' }, this.tabs);
    this.current = options.initial;
    this.show(options.initial, false);
    for (const part of [this.element, options.brand, tools, ...this.slots.map((s) => s.header)]) this.resize.observe(part);
  }

  get currentTab(): TabId {
    return this.current;
  }

  /** Shows a tab (making its content the first time). */
  show(id: TabId, notify = true): void {
    const index = this.slots.findIndex((s) => s.spec.id === id);
    if (index < 0) return;
    this.current = id;
    this.element.dataset.tab = id;
    this.tabs.setAttribute('selected-index', String(index));
    for (const [i, s] of this.slots.entries()) {
      s.panel.hidden = i !== index;
      if (s.spec.tools) s.spec.tools.hidden = i !== index;
    }
    const tab = this.tab(id);
    tab.shown?.();
    this.fitHeader();
    if (notify) this.options.onTabChange(id);
  }

  /**
   * vscode-tabs lays its header out in one row that never wraps: when it is short of room the
   * header drops, in this order, the model's figures, the "Colour by" label, the tabs' names
   * (icons and tooltips stay) — only as much as the current tab's header needs.
   */
  private fitHeader(): void {
    const width = this.element.getBoundingClientRect().width;
    if (width === 0) return;
    const levels = ['', 'stats', 'stats label', 'stats label names'];
    for (const level of levels) {
      this.element.dataset.compact = level;
      const last = this.tools.getBoundingClientRect().width > 0 ? this.tools : this.slots[this.slots.length - 1].header;
      if (last.getBoundingClientRect().right <= this.element.getBoundingClientRect().right + 0.5) return;
    }
  }

  /** The tab's content, made now if it was not yet (a push for a tab not shown so far). */
  tab<T extends Tab = Tab>(id: TabId): T {
    const slot = this.slots.find((s) => s.spec.id === id);
    if (!slot) throw new Error(`no tab ${id}`);
    if (!slot.tab) {
      slot.tab = slot.spec.create();
      slot.panel.append(slot.tab.element);
    }
    return slot.tab as T;
  }

  dispose(): void {
    this.stopTheme();
    this.resize.disconnect();
    for (const s of this.slots) s.tab?.dispose?.();
  }
}

function withSlot(element: HTMLElement, slot: string): HTMLElement {
  element.setAttribute('slot', slot);
  return element;
}
