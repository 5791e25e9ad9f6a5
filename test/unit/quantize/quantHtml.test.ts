/**
 * The standalone HTML page of a quantization report: parses as browsers parse it, carries the
 * report unchanged however hostile its strings, fetches nothing, and the real report script (the
 * built dist/report/report.js) is what it inlines.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { QuantReport } from '../../../src/shared/quantReport';
import { REPORT_DATA_ID } from '../../../src/core/report/evalHtml';
import { renderQuantHtml, saveQuantization } from '../../../src/core/report/quantHtml';
import { makeTempDir } from '../../fixtures/onnxBuilder';
import { requireFile } from '../../fixtures/prerequisites';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function elements(node: Node, tag: string, out: Element[] = []): Element[] {
  if ('tagName' in node && (tag === '*' || node.tagName === tag)) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, tag, out);
  return out;
}
const text = (el: Element) => el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

/** A pruned-and-compared report whose strings try every way out of a <script> element. */
export function hostileQuantReport(): QuantReport {
  const evil = '</script><script>alert(1)</script>';
  return {
    schema: 'onnx-lens.quant/1',
    createdAt: '2024-05-01T12:00:00.000Z',
    tool: { name: 'onnx-lens', version: '0.1.0' },
    model: { path: '/models/<img src=x onerror=alert(1)> & "m".onnx', bytes: 4000 },
    output: { path: '/models/<!-- out.onnx', bytes: 1200, dataFile: null, dataBytes: 0, referencedDataBytes: 0 },
    settings: { mode: 'dynamic', perChannel: true, excludeNodes: [evil] },
    size: { before: 4000, after: 1200, ratio: 0.3 },
    nodes: [{ node: evil, opType: 'Gemm', precision: 'int8', scheme: 'dynamic int8 <b>', bytesBefore: 4000, bytesAfter: 1000, outputs: ['y'] }],
    skipped: [{ node: '<!--', opType: 'MatMul', reason: 'excluded by name ]]> \u2028' }],
    summary: { rewritten: 1, skipped: 1, byPrecision: { int8: 1 }, byOpType: { Gemm: 1 } },
    warnings: ['</SCRIPT >'],
    timing: { totalMs: 120, rewriteMs: 10, writeMs: 5, calibrationMs: null, sensitivityMs: null, compareMs: 50 },
    calibration: null,
    sensitivity: null,
    comparison: {
      data: null, source: 'random', samples: 32,
      outputs: [{ output: 'y', kind: 'values', scores: true, top1: null, rows: 32, maxAbsError: 0.01, meanAbsError: 0.001, relativeError: 0.002 }],
      headline: { output: 'y', kind: 'values', scores: true, top1: null, rows: 32, maxAbsError: 0.01, meanAbsError: 0.001, relativeError: 0.002 },
      nodes: [{ node: evil, opType: 'Gemm', precision: 'int8', value: 'y', sqnrDb: 38.5, cosine: 0.9999, maxAbsError: 0.01 }],
      accuracy: null,
    },
    accuracy: null,
    latency: { before: { mean: 1, p50: 1, p90: 1.2, p99: 1.5, runs: 100 }, after: { mean: 0.6, p50: 0.6, p90: 0.7, p99: 0.9, runs: 100 }, ratio: 0.6, batch: 1 },
  };
}

describe('quantize view: standalone HTML report', () => {
  const script = 'window.__ran = "</script><!--";';
  const html = renderQuantHtml(hostileQuantReport(), script);
  const doc = parse(html, { scriptingEnabled: false });

  it('parses as one document with exactly the data and the code script', () => {
    const scripts = elements(doc, 'script');
    assert.equal(scripts.length, 2);
    assert.equal(attr(scripts[0], 'type'), 'application/json');
    assert.equal(attr(scripts[0], 'id'), REPORT_DATA_ID);
    assert.equal(attr(scripts[1], 'type'), undefined);
    assert.ok(!/<\/script/i.test(text(scripts[1])) && !text(scripts[1]).includes('<!--'));
    assert.equal(attr(elements(doc, 'div').find((d) => attr(d, 'id') === 'app')!, 'data-testid'), 'quant-report-page');
  });

  it('embeds the report so JSON.parse gives it back unchanged, however hostile its strings', () => {
    const embedded = JSON.parse(text(elements(doc, 'script')[0])) as QuantReport;
    assert.deepEqual(embedded, JSON.parse(JSON.stringify(hostileQuantReport())));
    assert.equal(embedded.schema, 'onnx-lens.quant/1');
    assert.equal(embedded.nodes[0].node, '</script><script>alert(1)</script>');
  });

  it('escapes the title and the no-script table, and loads nothing from the network', () => {
    assert.equal(text(elements(doc, 'title')[0]), '<img src=x onerror=alert(1)> & "m".onnx → <!-- out.onnx — ONNX Lens quantization');
    const csp = elements(doc, 'meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy');
    assert.match(attr(csp!, 'content') ?? '', /default-src 'none'/);
    for (const tag of ['link', 'img', 'iframe', 'object', 'b']) assert.equal(elements(doc, tag).length, 0, `no <${tag}>: no markup from the report reached the page`);
    for (const el of elements(doc, '*')) assert.ok(!el.attrs.some((a) => a.name === 'src' || a.name === 'href' || a.name.startsWith('on')), `<${el.tagName}> loads or runs nothing`);
    assert.match(html, /<noscript>[\s\S]*<th>Size<\/th><td>4000 → 1200 bytes \(0\.300×\)<\/td>/);
  });

  it('is saved next to its JSON in a reports folder', () => {
    const tmp = makeTempDir('onnx-lens-quant-html-');
    try {
      const saved = saveQuantization(tmp.dir, hostileQuantReport(), script);
      assert.equal(saved.html, saved.json.replace(/\.json$/, '.html'));
      assert.deepEqual(JSON.parse(fs.readFileSync(saved.json, 'utf8')), JSON.parse(JSON.stringify(hostileQuantReport())));
      assert.equal(fs.readFileSync(saved.html, 'utf8'), html);
    } finally {
      tmp.cleanup();
    }
  });

  it('the built report script knows quantization reports and fetches nothing', function () {
    const built = requireFile(path.join(__dirname, '..', '..', '..', 'dist', 'report', 'report.js'), 'npm run build (npm test builds before the unit tests)');
    const code = fs.readFileSync(built, 'utf8');
    assert.match(code, /onnx-lens\.quant\//);
    assert.ok(!/https?:\/\/(?!www\.w3\.org)[^"'\s]*\.(js|css|woff2?|ttf|png|svg)\b/.test(code), 'no external resource URL');
  });
});
