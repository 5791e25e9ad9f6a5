/**
 * Operator documentation (the ONNX schemas' doc strings, which are markdown) as HTML, safely:
 * markdown-it with raw HTML off, then DOMPurify, then every link checked — relative links
 * ("Broadcasting.md") point into the ONNX docs on GitHub, anything that is not http(s) loses its
 * href. VS Code opens a webview's http(s) links in the browser.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { resolveDocLink } from './docLinks';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** The sanitized HTML of a markdown doc string. */
export function docHtml(doc: string): string {
  const html = DOMPurify.sanitize(markdown.render(doc), { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'img', 'form', 'input'] });
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const a of template.content.querySelectorAll('a')) {
    const href = resolveDocLink(a.getAttribute('href') ?? '');
    if (href) {
      a.setAttribute('href', href);
      a.setAttribute('title', href);
    } else a.removeAttribute('href');
  }
  return template.innerHTML;
}
