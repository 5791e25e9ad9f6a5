import type * as vscode from 'vscode';
import type { ViewSummary } from '../shared/modelSummary';
import type { DiffViewReport } from './diff/diffPanel';
import type { HostMethod, ParamsOf, RenderedMessage, ResultOf, SelectionMessage } from '../shared/protocol';

/** What one model view shows, as the host knows it and as the webview reported it. */
export interface ModelViewReport {
  /** The summary the host sent to this view last, if the model loaded. */
  summary?: ViewSummary;
  /** The one-sentence error the host sent to this view last, if the model did not load. */
  error?: string;
  /** The graph payload the host posted to this view last (after the summary), in brief. */
  graph?: { nodeCount: number; valueCount: number; groupCount: number; modelHash: string; problems: number };
  /** The webview's last `selection` notification. */
  selection?: Omit<SelectionMessage, 'type'>;
  /** True once the webview has reported rendering the host's latest push. */
  rendered: boolean;
  /** The webview's own report of its DOM (node count text, error text, ...). */
  shown?: Omit<RenderedMessage, 'type'>;
  /** How many renders this view has reported in its lifetime (increments on reload). */
  renderCount: number;
}

/**
 * Returned by `activate()`. Integration tests use it to see through the webview boundary;
 * it changes nothing in the editor.
 */
export interface OnnxLensApi {
  /** How long `activate()` itself took, ms (VS Code's own figure adds loading the bundle). */
  activateMs: number;
  /** The folder VS Code writes the "ONNX Lens" log into (`ONNX Lens.log`). */
  logUri: vscode.Uri;
  /** How many analysis and runtime processes have been started so far (activation starts none). */
  processesStarted(): { analysis: number; runtime: number };
  /**
   * Resolves when some open view of `uri` has rendered more than `afterRenderCount` times,
   * with that view's report; after `timeoutMs`, resolves with the best report so far and
   * `rendered: false` (or an empty report when no view of `uri` exists).
   */
  waitForModelView(uri: vscode.Uri, timeoutMs?: number, afterRenderCount?: number): Promise<ModelViewReport>;
  /** Reports of every open view of `uri` (one per editor tab), in the order they were opened. */
  modelViews(uri: vscode.Uri): ModelViewReport[];
  /**
   * Calls a request handler of the first open view of `uri`, exactly as the webview's request
   * would (same handlers, same model); rejects with the sentence the webview would get.
   */
  request<M extends HostMethod>(uri: vscode.Uri, method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** The markdown ONNX Lens's hover shows at `position` of `document` (undefined: no hover). */
  hoverMarkdown(document: vscode.TextDocument, position: vscode.Position): Promise<string | undefined>;
  /** The status bar item's text and tooltip, or undefined while it is hidden. */
  statusBar(): { text: string; tooltip: string } | undefined;
  /** Every open ONNX Lens diff: its two sides, the report and what its page drew. */
  diffViews(): DiffViewReport[];
  /** The active ONNX Lens editor's file and last selection, or undefined when none is active. */
  activeModel(): { uri: vscode.Uri; loaded: boolean; selection?: Omit<SelectionMessage, 'type'> } | undefined;
}
