/**
 * A tensor's values a page at a time (never the whole tensor at once): the first page now, the
 * next on "Show more", a status line saying how many of how many are shown. The details panel's
 * initializer values and the Run tab's values tables use it.
 */
import { button, errorMessage, setDisabled } from './controls';
import { h, icon } from './dom';
import { formatInteger } from '../format';

export interface PagerOptions {
  total: number;
  pageSize: number;
  /** `count` values from `offset`. */
  fetch(offset: number, count: number): Promise<Float64Array>;
  /** Shows a page that arrived (values from `offset`). */
  show(values: Float64Array, offset: number): void;
  /** How the order is described after the count: "(row-major)". */
  order: string;
  /** False once the page the pager lives on is gone or replaced: late pages are dropped. */
  current?(): boolean;
}

/** The footer (status and "Show more"); the first page is fetched at once. */
export function pager(o: PagerOptions): HTMLElement {
  const status = h('span', { class: 'muted tensor-values-status' });
  let loaded = 0;
  const more = button('Show more', () => load(), { secondary: true });
  more.classList.add('tensor-values-more');
  const load = () => {
    setDisabled(more, true);
    o.fetch(loaded, o.pageSize).then(
      (values) => {
        if (o.current && !o.current()) return;
        o.show(values, loaded);
        loaded += values.length;
        status.textContent = `${formatInteger(loaded)} of ${formatInteger(o.total)} values ${o.order}`;
        more.hidden = loaded >= o.total || values.length === 0;
        setDisabled(more, false);
      },
      (e: unknown) => {
        if (o.current && !o.current()) return;
        status.replaceChildren(h('span', { class: 'banner-text error-text' }, icon('error'), ` ${errorMessage(e)}`));
        more.hidden = true;
      },
    );
  };
  load();
  return h('div', { class: 'tensor-values-footer' }, status, more);
}
