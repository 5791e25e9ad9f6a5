/**
 * The timeline of opening a model, from the click to the first frame of the graph, across the
 * three processes it passes through: the analysis process, the extension host and the webview.
 *
 * Every mark is on one clock, the extension host's `performance.timeOrigin + performance.now()`
 * (milliseconds since the Unix epoch, sub-millisecond resolution). The other processes cannot read
 * it directly, and their own `timeOrigin` comes from the system clock when each started: a clock
 * step in between (seen here: 60 s, on a loaded virtual machine) puts processes minutes apart. So
 * the host passes its clock along: every open request and every push to the webview carries
 * `hostNow`, and the receiver keeps the offset from its own clock ({@link HostClock}). The marks
 * travel with the data they describe: the analysis process returns its own with the model, the
 * host adds its and sends them along with the graph, and the webview adds the last ones and
 * exposes the whole timeline (`window.__onnxLensPerf.timeline`).
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
  /**
   * Analysis process, a first open: the default first view was laid out (src/core/graphLayout/firstView.ts),
   * for the page to draw before it has unpacked the structure.
   */
  'firstViewLaidOut',
  /** Analysis process: the graph payload for the webview was built (structure only). */
  'payloadBuilt',
  /** Analysis process: shapes, parameters and MACs were inferred. */
  'shapesInferred',
  /** Analysis process: the summary was built and everything encoded for the host. */
  'resultEncoded',
  /** Host: the analysis result arrived (child → host IPC, decoded). */
  'resultReceived',
  /**
   * Webview, a reopen: the picture of the model's first view that the host put into the page's
   * HTML (src/extension/firstViews.ts) was painted, before the page's script had loaded (its first
   * contentful paint).
   */
  'firstViewShown',
  /**
   * Host: the page said `ready`: its first, inline script (src/extension/webviewHtml.ts), run as soon
   * as VS Code had written the page, before the page's files are in.
   */
  'webviewReady',
  /** Host: the graph was handed to `webview.postMessage`. */
  'graphPosted',
  /** Webview: the graph message arrived (host → webview), kept by the page's inline script if it came first. */
  'graphReceived',
  /** Webview: the page's own script (webview/main.ts) was up and took the host's messages. */
  'pageScript',
  /**
   * Webview, a first open: the first view the analysis process laid out was drawn
   * (webview/graph/graphPreview.ts) before the structure is unpacked; the graph view's first frame
   * follows, with the same pixels.
   */
  'firstViewDrawn',
  /**
   * Webview, a hidden editor shown again (its page made anew): the view its page last saved,
   * drawn from its snapshot (webview/graph/graphPreview.ts) before the structure is unpacked; the
   * graph view's first frame follows.
   */
  'previewFrame',
  /** Webview: the layout of the first view came back from the layout worker. */
  'layoutDone',
  /** Webview: the first frame of the graph was drawn. */
  'firstFrame',
  /** Webview: the summary and the graph's details (shapes, costs), asked for after the first frame, were shown. */
  'detailsShown',
] as const;

export type OpenPhase = (typeof OPEN_PHASES)[number];

/** Marks by phase, in milliseconds on the shared clock; phases that did not happen are absent. */
export type OpenTimeline = Partial<Record<OpenPhase, number>>;

/** Now, on this process's clock (the host's clock, in the host). */
export function clockNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The host's clock as seen from another process. Each `sync(hostNow, arrived)` (a reading of the
 * host's clock sent in a message, and when the message arrived here) bounds the offset from below:
 * the message took some time to arrive, never negative time, so the largest `hostNow - arrived`
 * seen is the best estimate. `arrived` is now unless the message was kept before it was read (the
 * webview's boot script keeps the host's messages until the page's script is up: read then, they
 * put the offset 0.1 s too low, and every webview mark as early).
 */
export class HostClock {
  private offset = Number.NEGATIVE_INFINITY;

  sync(hostNow: number | undefined, arrived = clockNow()): void {
    if (typeof hostNow === 'number' && Number.isFinite(hostNow)) this.offset = Math.max(this.offset, hostNow - arrived);
  }

  /** Now on the host's clock (this process's own until the first sync). */
  now(): number {
    return this.at(clockNow());
  }

  /** A reading of this process's clock (`clockNow()`) on the host's, with the best offset known now. */
  at(local: number): number {
    return local + (Number.isFinite(this.offset) ? this.offset : 0);
  }
}
