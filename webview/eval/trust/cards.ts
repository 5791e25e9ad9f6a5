/** Small pieces the trust views share: a metric card like the evaluation's headline cards, and a section. */
import { h, icon } from '../../ui/dom';

export function card(label: string, value: string, sub: string | null, attrs: Record<string, string> = {}): HTMLElement {
  return h('div', { class: 'eval-metric', ...attrs },
    h('div', { class: 'eval-metric-label' }, label),
    h('div', { class: 'eval-metric-value' }, value),
    sub ? h('div', { class: 'eval-metric-ci muted' }, sub) : null);
}

export function cards(...items: (HTMLElement | null)[]): HTMLElement {
  return h('div', { class: 'eval-headline trust-headline' }, ...items);
}

/** A section of a trust view: heading with a codicon, a muted one-line explanation, then content. */
export function trustSection(id: string, title: string, codicon: string, blurb: string, ...content: (HTMLElement | null)[]): HTMLElement {
  return h('section', { class: 'run-section eval-section', id: `trust-${id}`, 'data-section': id },
    h('h2', { class: 'run-section-title' }, icon(codicon), title),
    blurb ? h('p', { class: 'muted run-blurb' }, blurb) : null,
    ...content);
}

export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(digits)}%`);
export const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '–' : x.toFixed(digits));
