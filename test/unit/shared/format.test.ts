import * as assert from 'node:assert/strict';
import { renderSummary } from '../../../src/cli/inspect';
import { summaryMarkdown } from '../../../src/extension/hover/hoverMarkdown';
import { formatBytes, formatCompact, formatInteger, formatMs, formatOpsets, formatOpsetsShort, formatUs } from '../../../src/shared/format';
import * as webviewFormat from '../../../webview/format';
import * as path from 'node:path';
import { summarizeModelFile } from '../../../src/core/modelAnalysis';

describe('numbers for people (one formatter for the CLI, the host and the webview)', () => {
  it('prints sizes in binary units with three significant digits', () => {
    assert.deepEqual([0, 512, 1536, 28_774, 2.5 * 2 ** 20, 1.2 * 2 ** 40].map(formatBytes), ['0 B', '512 B', '1.5 KiB', '28.1 KiB', '2.5 MiB', '1.2 TiB']);
  });

  it('prints counts with SI prefixes and three significant digits, exact below a thousand', () => {
    assert.deepEqual([0, 999, 6_700, 6_730, 28_100, 1_234_567, 3.5e9, 2e12].map(formatCompact), ['0', '999', '6.7 k', '6.73 k', '28.1 k', '1.23 M', '3.5 G', '2 T']);
    assert.equal(formatInteger(1_234_567), '1,234,567');
  });

  it('prints times at a precision that suits their size', () => {
    assert.deepEqual([0.1421, 1.9432, 23.44, 512.4, 1234.4].map(formatMs), ['0.142 ms', '1.94 ms', '23.4 ms', '512 ms', '1,234 ms']);
    assert.deepEqual([12.44, 512.4, 2850, 12_500_000].map(formatUs), ['12.4 µs', '512 µs', '2.85 ms', '12.5 s']);
  });

  it('prints opsets with the default domain first, long and short', () => {
    assert.deepEqual(formatOpsets({ 'com.microsoft': 1, '': 17 }), ['ai.onnx 17', 'com.microsoft 1']);
    assert.equal(formatOpsetsShort({ 'com.microsoft': 1, '': 17 }), 'opset 17, com.microsoft 1');
    assert.equal(formatOpsetsShort({ 'ai.onnx.ml': 3 }), 'ai.onnx.ml 3');
    assert.equal(formatOpsetsShort({}), 'no opset');
  });

  it('gives non-finite values one placeholder instead of "NaN k"', () => {
    assert.deepEqual([NaN, Infinity].map(formatCompact), ['–', '–']);
    assert.equal(formatBytes(NaN), '–');
    assert.equal(formatMs(Infinity), '–');
  });

  it('is the very same functions in the webview', () => {
    assert.equal(webviewFormat.formatBytes, formatBytes);
    assert.equal(webviewFormat.formatCompact, formatCompact);
    assert.equal(webviewFormat.formatMs, formatMs);
    assert.equal(webviewFormat.formatOpsets, formatOpsets);
  });

  it('prints the sample model alike in the CLI and the hover ("6.7 k", KiB, "opset 17")', async () => {
    const s = await summarizeModelFile(path.join(__dirname, '../../../media/sample/digits-mlp.onnx'));
    const [params, size] = [formatCompact(s.parameterCount), formatBytes(s.fileBytes)];
    assert.match(params, /^[\d.]+ k$/);
    const cli = renderSummary(s);
    assert.ok(cli.includes(` ${params} (${formatInteger(s.parameterCount)}) in `), cli);
    assert.ok(cli.includes(`${size} · IR`) && cli.includes(`opsets ${formatOpsets(s.opsets).join(', ')}`), cli);
    const hover = summaryMarkdown(s.path, s).replace(/\\/g, '');
    assert.ok(hover.includes(`${formatOpsetsShort(s.opsets)} · ${params} parameters · ${size}`), hover);
  });
});
