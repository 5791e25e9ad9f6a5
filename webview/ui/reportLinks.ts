/**
 * Saved reports (JSON, standalone HTML) as links: a click asks the host to open the file (an
 * HTML report in a panel, JSON as text) through the `[data-open-report]` handler the model page
 * installs (webview/main.ts).
 */
import { h, icon } from './dom';

/** A saved report's path as a link that opens it in VS Code. */
export function reportLink(file: string, className = ''): HTMLAnchorElement {
  return h('a', { class: `clip report-link ${className}`.trim(), href: '#', title: `Open ${file}`, 'data-open-report': file }, file);
}

/** Where the JSON and HTML reports were written (or why they were not). */
export function savedPaths(saved: { json: string; html: string } | null, what: 'evaluation' | 'quantization' | 'robustness' | 'drift' = 'evaluation'): HTMLElement {
  const testid = what === 'evaluation' ? 'eval-saved' : what === 'quantization' ? 'quant-saved' : `${what === 'robustness' ? 'robust' : 'drift'}-saved`;
  if (!saved) return h('p', { class: 'muted eval-saved', 'data-testid': testid }, `The report was not saved (open a folder to keep ${what} reports).`);
  return h('div', { class: 'eval-saved', 'data-testid': testid },
    h('span', { class: 'muted' }, 'Saved: '),
    h('span', { class: 'eval-saved-item' }, icon('file-code'), reportLink(saved.json, 'mono eval-saved-json')),
    h('span', { class: 'eval-saved-item' }, icon('globe'), reportLink(saved.html, 'mono eval-saved-html')));
}
