/**
 * The timeline of opening a model, from the click to the first frame of the graph, across the
 * three processes it passes through: the analysis process, the extension host and the webview.
 *
 * Every mark is on one clock, `performance.timeOrigin + performance.now()` read in the process
 * that records it: milliseconds since the Unix epoch with sub-millisecond resolution. Node and
 * Chromium both derive `timeOrigin` from the system clock, so marks taken on one machine by
 * different processes can be subtracted (the benchmark, bench/openEndToEnd.bench.mjs, checks the
 * order). The marks travel with the data they describe: the analysis process returns its own with
 * the model, the host adds its and sends them along with the graph, and the webview adds the last
 * ones and exposes the whole timeline (`window.__onnxLensPerf.timeline`) and reports it back to
 * the host in its `rendered` message.
 *
 * Types and one clock function only: imported by every bundle.
 */

/** The phases in the order they happen when a model is opened, each the moment it ended. */
export const OPEN_PHASES = [
  /** Host: VS Code asked the custom editor provider for the document (click → here is VS Code's own work). */
  'documentOpened',
  /** Host: the custom editor (webview panel) was resolved. */
  'editorResolved',
  /** Host: the analysis process was asked to open the model. */
  'analysisRequested',
  /** Analysis process: the request arrived (host → child IPC). */
  'analysisStarted',
  /** Analysis process: the file was read (the ModelProto's structure decoded, tensors left in place). */
  'modelRead',
  /** Analysis process: the graph (values, producers, scopes, topological order) was built. */
  'graphBuilt',
  /** Analysis process: the graph payload for the webview was built (structure only). */
  'payloadBuilt',
  /** Analysis process: shapes, parameters and MACs were inferred. */
  'shapesInferred',
  /** Analysis process: the summary was built and everything encoded for the host. */
  'resultEncoded',
  /** Host: the analysis result arrived (child → host IPC, decoded). */
  'resultReceived',
  /** Host: the webview's script reported `ready`. */
  'webviewReady',
  /** Host: the graph was handed to `webview.postMessage`. */
  'graphPosted',
  /** Webview: the graph message arrived (host → webview). */
  'graphReceived',
  /** Webview: the layout of the first view came back from the layout worker. */
  'layoutDone',
  /** Webview: the first frame of the graph was drawn. */
  'firstFrame',
] as const;

export type OpenPhase = (typeof OPEN_PHASES)[number];

/** Marks by phase, in milliseconds on the shared clock; phases that did not happen are absent. */
export type OpenTimeline = Partial<Record<OpenPhase, number>>;

/** Now, on the clock every process shares (see the module comment). */
export function clockNow(): number {
  return performance.timeOrigin + performance.now();
}
