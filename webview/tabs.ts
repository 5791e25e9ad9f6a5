/**
 * The tabs loaded on first use: one chunk (scripts/build.mjs) holding the Run, Evaluate and
 * Quantize tabs, the explanations they host, and Chart.js, none of which the graph's first frame
 * needs. Imported only by `import()` from app.ts.
 */
import { EvalPanel } from './eval/evalPanel';
import { QuantizePanel } from './quantize/quantizePanel';
import { RunPanel } from './run/runPanel';
import { ExplainSection } from './explain/explainSection';
import { EvalExplainPane } from './explain/evalExplain';
import type { ExplainPort } from './shell/ports';

export { EvalPanel, QuantizePanel, RunPanel };

/** The explanations the Run and Evaluate tabs host (webview/explain/). */
export const EXPLAIN: ExplainPort = {
  runSection: (host) => new ExplainSection(host),
  evalPane: (channel, report) => new EvalExplainPane(channel, report),
};
