/**
 * A tab whose code is a chunk loaded the first time the tab is needed (scripts/build.mjs splits the
 * Run, Evaluate and Quantize tabs out of the page's first script, so the graph draws sooner:
 * docs/opening-a-model.md). The shell sees a Tab at once; until the chunk is in, it shows a progress
 * ring, and what the page asks of the tab waits for it (`ready`), in the order asked.
 */
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { h, icon } from '../ui/dom';
import type { Tab } from './appShell';

export class LazyTab<T extends Tab> implements Tab {
  readonly element: HTMLElement;
  /** The tab itself, once its chunk is loaded and it is made. */
  readonly ready: Promise<T>;
  private tab: T | null = null;
  private shownBeforeReady = false;
  private disposed = false;

  constructor(label: string, make: () => Promise<T>) {
    this.element = h('div', { class: 'lazy-tab' }, h('vscode-progress-ring', { 'aria-label': `Loading ${label}` }));
    this.ready = make();
    this.ready.then(
      (tab) => {
        if (this.disposed) return tab.dispose?.();
        this.tab = tab;
        this.element.replaceChildren(tab.element);
        if (this.shownBeforeReady) tab.shown?.();
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        this.element.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', {}, `The ${label} tab could not be loaded: ${reason}`)));
      },
    );
  }

  shown(): void {
    if (this.tab) this.tab.shown?.();
    else this.shownBeforeReady = true;
  }

  retheme(): void {
    this.tab?.retheme?.();
  }

  dispose(): void {
    this.disposed = true;
    this.tab?.dispose?.();
  }
}
