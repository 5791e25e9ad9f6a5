import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vm from 'node:vm';
// parse5: the WHATWG HTML parsing algorithm, as browsers run it (here via @vscode/vsce's cheerio).
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { escapeHtml, renderEvalHtml, reportScriptPath, REPORT_DATA_ID, scriptSafeJs, scriptSafeJson } from '../../../src/core/report/evalHtml';
import type { EvalReport } from '../../../src/shared/evalReport';
import { Gen, labels, logits } from '../metrics/cases';
import { classificationReport } from './reportFixture';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(node: Node, tag: string, out: Element[] = []): Element[] {
  if ('tagName' in node && (tag === '*' || node.tagName === tag)) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, tag, out);
  // <template> and <noscript> contents are parsed as children here (scripting off).
  return out;
}

function text(el: Element): string {
  return el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
}

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

/** A report whose strings try every way out of a <script> element. */
function hostileReport(): EvalReport {
  const g = new Gen(31);
  const y = labels(g, 60, [0, 1, 2]);
  const report = classificationReport(y, logits(g, y, 3), 3, ['</script><script>alert(1)</script>', '<!-- <script>', 'ok & "quoted" \u2028 line']);
  report.model.path = '/models/<img src=x onerror=alert(1)> & "model".onnx';
  report.warnings = ['</SCRIPT >', '<!--', ']]>'];
  return report;
}

describe('eval view: standalone HTML report', () => {
  const script = 'window.__ran = ["</script>", "<!--", /<\\/script/i.source, `</Script>`].join("|");';
  const html = renderEvalHtml(hostileReport(), script);
  const doc = parse(html, { scriptingEnabled: false });

  it('parses as one document with exactly the data and the code script', () => {
    const scripts = elements(doc, 'script');
    assert.equal(scripts.length, 2);
    assert.equal(attr(scripts[0], 'type'), 'application/json');
    assert.equal(attr(scripts[0], 'id'), REPORT_DATA_ID);
    assert.equal(attr(scripts[1], 'type'), undefined);
  });

  it('embeds the report so JSON.parse gives it back unchanged, however hostile its strings', () => {
    const embedded = JSON.parse(text(elements(doc, 'script')[0]));
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(hostileReport())));
    assert.equal(embedded.data.classNames[0], '</script><script>alert(1)</script>');
  });

  it('inlines the script so it means the same once </script and <!-- are escaped', () => {
    const inlined = text(elements(doc, 'script')[1]);
    assert.ok(!/<\/script/i.test(inlined) && !inlined.includes('<!--'));
    const run = (code: string) => {
      const sandbox: { window: { __ran?: string } } = { window: {} };
      vm.runInNewContext(code, sandbox);
      return sandbox.window.__ran;
    };
    assert.equal(run(inlined), run(script));
    assert.equal(scriptSafeJs('a</script>b<!--c'), 'a<\\/script>b<\\!--c');
  });

  it('escapes the title and metadata, and loads nothing from the network', () => {
    const title = text(elements(doc, 'title')[0]);
    assert.equal(title, '<img src=x onerror=alert(1)> & "model".onnx on test.csv — ONNX Lens evaluation');
    const csp = elements(doc, 'meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy');
    assert.match(attr(csp!, 'content') ?? '', /default-src 'none'/);
    for (const tag of ['link', 'img', 'iframe', 'object']) assert.equal(elements(doc, tag).length, 0, `no <${tag}>: no markup from the report reached the page`);
    const all = elements(doc, '*');
    assert.ok(all.length > 5);
    for (const el of all) assert.ok(!el.attrs.some((a) => a.name === 'src' || a.name === 'href' || a.name.startsWith('on')), `<${el.tagName}> loads or runs nothing`);
  });

  it('keeps the headline metrics readable without JavaScript', () => {
    const noscript = elements(doc, 'noscript')[0];
    assert.ok(noscript);
    assert.match(html, /<noscript>[\s\S]*<th>accuracy<\/th>/);
  });

  it('makes JSON and text safe for their places', () => {
    assert.equal(scriptSafeJson({ s: '</script>' }), '{"s":"\\u003c/script>"}');
    assert.equal(JSON.parse(scriptSafeJson({ s: '\u2028<' })).s, '\u2028<');
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('finds the report script next to the running bundle', () => {
    assert.equal(reportScriptPath('/ext/dist'), path.join('/ext/dist', 'report', 'report.js'));
  });
});
