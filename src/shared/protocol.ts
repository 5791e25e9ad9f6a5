/**
 * Every message between the extension host and a webview, both ways, in one place.
 *
 * Shape (after microsoft/vscode-hexeditor's shared/protocol.ts):
 *  - Webview → host *notifications* (`ready`, `rendered`) need no answer.
 *  - Webview → host *requests* carry a `requestId` and name a `method` from {@link HostMethods};
 *    the host answers each with exactly one `result` or `requestError`, never silence.
 *  - Host → webview *pushes* (`loading`, `summary`, `error`) are unsolicited: the model view is
 *    driven by them (after `ready`, and again whenever the file changes on disk).
 *
 * Later views (graph, runtime, evaluation) extend this by adding a method to {@link HostMethods}
 * or a member to a push/notification union; the channels on both sides stay as they are.
 *
 * Binary data: VS Code transfers an `ArrayBuffer` inside a posted message without JSON-encoding
 * it, so large payloads (tensor pages) travel as `ArrayBuffer` fields of a `result`, one page per
 * request, never as number arrays. {@link BinaryPage} is the shape such results use.
 *
 * This file is imported by both bundles: keep it free of runtime imports except types.
 */
import type { ViewSummary } from './modelSummary';
import type {
  ActivationsResult, BenchReport, BenchSettings, ExecutionProvider, InputSpec, IoSignature, NumericSummary, ProfileResult, RunResult, SessionOptionsSpec,
} from './runtimeTypes';
import type { EvalReport, EvalTask } from './evalReport';
import type { QuantReport } from './quantReport';
import type { QuantizeSettings } from './quantizeSettings';
import type { OpenTimeline } from './openTimeline';
import type { CANCELLED } from './cancellation';
import type { UncertaintyOptions } from './uncertaintyTypes';
import type { PerturbationKind, RobustReport } from './robustReport';
import type { DriftReport } from './driftReport';
import type { ExplainReport, ExplainSettings, ExplainSubject } from './explainReport';

// ---------------------------------------------------------------------------------------------
// Requests (webview → host, each answered once)

/** A page of raw bytes, e.g. a slice of a tensor's data. `buffer` is transferred, not copied. */
export interface BinaryPage {
  buffer: ArrayBuffer;
  /** Byte offset of `buffer[0]` within the whole payload. */
  offset: number;
  /** Byte length of the whole payload, so the webview knows how many pages remain. */
  totalBytes: number;
}

/**
 * Request methods the host serves: method name → params and result.
 * Add a line here (and a handler in the host) to add a request.
 */
export interface HostMethods {
  /** Re-read the model from disk; every view of it then gets a fresh `loading` + `summary`/`error` push. */
  reload: { params: Record<string, never>; result: { reloaded: true } };
  /** Everything the details panel shows for one main-graph node (index into GraphPayload nodes). */
  nodeDetails: { params: { node: number }; result: NodeDetails };
  /** Statistics and a histogram of an initializer (or Constant output), read lazily from the file. */
  tensorStats: { params: { value: string }; result: TensorStats };
  /** Element values of a stored tensor, paged: elements [offset, offset + count) as float64. */
  tensorPage: { params: { value: string; offset: number; count: number }; result: BinaryPage };

  // Runtime (onnxruntime in the runtime process). Inputs and options come from the Run panel.
  /** The model's inputs/outputs as ORT declares them, class labels, and the run setup saved for this model. */
  runtimeSignature: { params: Record<string, never>; result: RuntimeSignature };
  /** Runs the model once; tensors stay in the runtime process for paging (latest run only). */
  runModel: { params: RunSetup; result: RunResult };
  /** One run with the chosen values (or every data-dependent value) captured as extra outputs. */
  captureActivations: { params: RunSetup & { values: string[] | 'all' }; result: ActivationsResult };
  /** Elements [offset, offset + count) of a tensor of a run, as float64. */
  runTensorPage: { params: { runId: number; name: string; offset: number; count: number }; result: BinaryPage };
  /** The 64-bin histogram of a run's tensor (activation summaries come without one). */
  runTensorHistogram: { params: { runId: number; name: string }; result: { edges: number[]; counts: number[] } };
  /** The sub-tensor at leading indices of a run's tensor (e.g. [0] → C×H×W of an NCHW map), as float32 bytes. */
  runTensorSlab: { params: { runId: number; name: string; leading: number[] }; result: { dims: number[]; buffer: ArrayBuffer } };
  /**
   * "Save as .npy" for a tensor of a run: the host asks where in its own save dialog (the webview
   * never names a file to write) and writes it; `savedTo` is null when the user cancelled.
   */
  saveTensor: { params: { runId: number; name: string; format: 'npy' }; result: { savedTo: string | null } };
  /** Benchmark sweep with progress pushes; the report is also saved as JSON (savedTo, when a folder is open). */
  benchmark: { params: RunSetup & { settings: BenchSettings }; result: { report: BenchReport; savedTo: string | null } };
  /** ORT's profiler over `runs` runs; the host also pushes the per-node time as the 'time' overlay. */
  profile: { params: RunSetup & { runs: number }; result: ProfileResult };
  /** A file dialog for an overlay JSON (docs/overlay-format.md); the overlay is pushed; null when cancelled. */
  loadOverlay: { params: Record<string, never>; result: { label: string; matched: number; unmatched: number } | null };
  /** A file dialog for an input's data; null when the user cancelled. */
  pickInputFile: { params: { input: string; kind: 'npy' | 'json' | 'image' | 'dataset' }; result: { path: string | null } };
  /** Remembers the run setup (inputs, preprocessing, options) for this model across sessions. */
  saveRunSetup: { params: RunSetup; result: { saved: true } };

  // Evaluation (in the runtime process; progress pushes; the report is saved as JSON + HTML).
  /** Evaluates the model on a dataset; `progress` pushes follow the request id. */
  evaluate: { params: EvaluateRequest; result: EvaluationResult };
  /** The newest saved evaluation report of this model (the Evaluate tab shows it on open), or null. */
  latestEvaluation: { params: Record<string, never>; result: EvaluationResult | null };
  /** A file (or image folder) dialog for a dataset; null when cancelled. */
  pickDataset: { params: Record<string, never>; result: { path: string | null } };
  /** A dataset's columns (every one, the label's included) and the label column it would use by itself, for the label-column list. */
  datasetColumns: { params: { data: string }; result: { columns: string[]; label: string | null; format: string } };
  /** Opens where a drill-down sample comes from: the data file at the sample's line, or its image file. */
  openSample: { params: { data: string; source: number | string | null; index: number }; result: { opened: string } };
  /** What some samples of a dataset hold, for drill-down: the row's values, or an image thumbnail. */
  evalSamples: { params: { data: string; samples: { index: number; source: number | string }[] }; result: { samples: EvalSampleView[] } };

  // Quantization (in the runtime process; progress pushes; the report is saved as JSON; the
  // per-node error is pushed as the 'quant-error' overlay).
  /** Quantizes the model into a new file (never the model itself); `progress` pushes follow the request id. */
  quantize: { params: QuantizeRequest; result: QuantizationResult };
  /** The newest saved quantization report of this model (the Quantize tab shows it on open), or null. */
  latestQuantization: { params: Record<string, never>; result: QuantizationResult | null };

  // Explanations (in the runtime process; progress pushes; the report is saved as JSON + HTML).
  /** Explains the Run tab's inputs or a dataset row (or, permutation importance, the model on a dataset). */
  explain: { params: ExplainViewRequest; result: ExplanationResult };

  /** Opens a saved report (a path the host gave in `savedTo`): HTML in a report panel, JSON as text. */
  openReport: { params: { path: string }; result: { opened: true } };

  // Robustness and drift (the Evaluate tab's views; in the runtime process; progress pushes; the
  // reports are saved as JSON + HTML).
  /** A perturbation sweep and an optional black-box attack on labelled data. */
  robust: { params: RobustRequest; result: RobustnessResult };
  /** The newest saved robustness report of this model, or null. */
  latestRobustness: { params: Record<string, never>; result: RobustnessResult | null };
  /** Two datasets compared feature by feature, and this model's outputs on both. */
  drift: { params: DriftRequest; result: DriftResult };
  /** The newest saved drift report of this model, or null. */
  latestDrift: { params: Record<string, never>; result: DriftResult | null };
}

export interface RobustRequest {
  data: string;
  labelColumn?: string | null;
  perturbations: { perturbation: PerturbationKind; severities: number[] }[];
  /** Square Attack: ε a share of the value range, queries per sample, samples attacked. */
  attack?: { eps: number; queries: number; samples?: number };
  /** Only the first n samples. */
  maxSamples?: number;
}

export interface RobustnessResult {
  report: RobustReport;
  savedTo: { json: string; html: string } | null;
}

export interface DriftRequest {
  reference: string;
  current: string;
  labelColumn?: string | null;
}

export interface DriftResult {
  report: DriftReport;
  savedTo: { json: string; html: string } | null;
}

/** An explanation as a tab asks for it: the Run tab's inputs and session options, or a dataset row. */
export interface ExplainViewRequest extends ExplainSettings {
  subject: ExplainSubject;
  /** The Run tab's session options; default the settings'. */
  options?: SessionOptionsSpec;
}

export interface ExplanationResult {
  report: ExplainReport;
  /** Where the report was saved (JSON and standalone HTML), or null when no folder holds reports. */
  savedTo: { json: string; html: string } | null;
}

export interface QuantizeRequest {
  settings: QuantizeSettings;
  /** Absolute output path; omitted: a free `<model>.<tag>.onnx` next to the model. */
  output?: string;
  /** Replace an existing output (the wizard asks first). */
  overwrite?: boolean;
  /** Labelled data for accuracy before/after (and the comparison samples); null: none. */
  evalData?: string | null;
  labelColumn?: string | null;
}

export interface QuantizationResult {
  report: QuantReport;
  /** Where the report was saved (JSON and standalone HTML), or null when no folder holds reports. */
  savedTo: { json: string; html: string } | null;
}

export interface EvaluateRequest {
  /** Dataset file or image folder (absolute path). */
  data: string;
  /** The label column; undefined = 'label' (or the dataset's own); null = no labels (an error for evaluation). */
  labelColumn?: string | null;
  task?: 'auto' | EvalTask;
  batchSize?: number;
  /** A second dataset (e.g. the training split) evaluated the same way, for the over-fitting view. */
  compareData?: string;
  /** Bootstrap resamples for 95% intervals of the headline metrics (0 = none). */
  bootstrap?: number;
  /** Temperature scaling and conformal prediction on a calibration split (the Uncertainty view). */
  uncertainty?: UncertaintyOptions;
}

export interface EvaluationResult {
  report: EvalReport;
  /** Where the report was saved (JSON and standalone HTML), or null when no workspace folder is open. */
  savedTo: { json: string; html: string } | null;
}

/** One sample for drill-down: tabular values (with column names) or an image thumbnail (data: URL). */
export interface EvalSampleView {
  index: number;
  source: number | string;
  columns?: string[];
  values?: number[];
  /** `data:image/png;base64,…`, at most 96 px on a side. */
  thumbnail?: string;
}

/** Everything the Run panel sends for a run: one spec per model input, and session options. */
export interface RunSetup {
  inputs: InputSpec[];
  options: SessionOptionsSpec;
}

export interface RuntimeSignature {
  inputs: IoSignature[];
  outputs: IoSignature[];
  ortVersion: string;
  /** Class names for top-k (model metadata or a labels file next to the model), and where they came from. */
  labels: string[] | null;
  labelSource: string | null;
  /** Why a class-name list beside the model (or in its metadata) was not applied, e.g. the wrong count. */
  labelNote: string | null;
  /** The setup saved by `saveRunSetup` for this model, if any. */
  saved: RunSetup | null;
  /** Sizes the model's metadata gives (src/core/inputs/inputGuess.ts metadataDimHints), for symbolic dims. */
  dimHints: Record<string, number>;
  /** Datasets beside the model (CSV/TSV, JSON Lines, .npy/.npz), most likely first: a row can be the input. */
  datasets: string[];
  /** Session options from the settings (onnxLens.runtime.*), for a model without a saved setup. */
  defaults: SessionOptionsSpec;
  /** The execution providers this platform's onnxruntime offers (CPU always). */
  providers: ExecutionProvider[];
  /** The provider the session runs on, and why not the one asked for when it fell back. */
  provider: ExecutionProvider;
  providerNote?: string;
}

export interface SchemaParam {
  name: string;
  description: string;
  typeStr: string;
  option: 'single' | 'optional' | 'variadic';
}

export interface NodeDetails {
  node: number;
  name: string;
  opType: string;
  domain: string;
  docString: string;
  /** The operator schema resolved for the model's opset, when the op is a known one. */
  schema: null | {
    sinceVersion: number;
    doc: string;
    inputs: SchemaParam[];
    outputs: SchemaParam[];
    attributes: { name: string; type: string; required: boolean; description: string; default?: string }[];
    /** True when the model's opset is newer than the bundled schemas know (the newest known is shown). */
    beyondKnownOpset: boolean;
  };
  /** Attributes as printable values (tensors summarised, graphs as node counts). */
  attributes: { name: string; type: string; value: string }[];
  /** Inputs/outputs with the schema's parameter names when known; valueId indexes GraphPayload values. */
  inputs: { valueId: number; name: string; param: string; elemType: string; shape: string; isInitializer: boolean }[];
  outputs: { valueId: number; name: string; param: string; elemType: string; shape: string }[];
  parameters: number;
  macs: number | null;
  subgraphs: { attribute: string; nodeCount: number }[];
}

export interface TensorStats {
  name: string;
  elemType: string;
  shape: number[];
  elements: number;
  bytes: number;
  /** 'raw', 'typed fields', 'external: weights.bin', 'Constant node'. */
  storage: string;
  /** null for non-numeric tensors (strings). Stored tensors always come with their histogram. */
  numeric: null | (NumericSummary & { histogram: NonNullable<NumericSummary['histogram']> });
}

export type HostMethod = keyof HostMethods;
export type ParamsOf<M extends HostMethod> = HostMethods[M]['params'];
export type ResultOf<M extends HostMethod> = HostMethods[M]['result'];

export type RequestMessage = {
  [M in HostMethod]: { type: 'request'; requestId: number; method: M; params: ParamsOf<M> };
}[HostMethod];

export type ResultMessage = {
  [M in HostMethod]: { type: 'result'; requestId: number; method: M; result: ResultOf<M> };
}[HostMethod];

/** The one reply to a request that failed: `message` is a sentence fit to show the user. */
export interface RequestErrorMessage {
  type: 'requestError';
  requestId: number;
  message: string;
  /** The request was cancelled (src/shared/cancellation.ts): the webview gets a CancelledError, not a failure. */
  code?: typeof CANCELLED;
}

// ---------------------------------------------------------------------------------------------
// Webview → host notifications

/**
 * The page can take pushes: sent by the model page's inline boot script, which keeps them until
 * the page's script is up (src/extension/webviewHtml.ts), or by the page's script itself.
 */
export interface ReadyMessage {
  type: 'ready';
}

/**
 * What the page now shows, sent after every render. The host uses it for the test API
 * (`OnnxLensApi.waitForModelView`) so integration tests can check the whole round trip.
 */
export interface RenderedMessage {
  type: 'rendered';
  state: 'ready' | 'error';
  /** Text of `[data-testid="model-name"]`. */
  modelName?: string;
  /** Text of `[data-testid="node-count"]` (main-graph nodes, a plain integer). */
  nodeCountText?: string;
  /** Text of `[data-testid="error"]`, when a load error is shown. */
  errorText?: string;
  /** How many `problems` banners are shown (errors and warnings found in a loaded model). */
  problemCount: number;
  /** Items (nodes, groups, inputs/outputs) the graph canvas drew last, when the graph view is shown. */
  graphItems?: number;
}

/** The selected node changed (for commands such as "Copy Node Name"); null when nothing is selected. */
export interface SelectionMessage {
  type: 'selection';
  node: number | null;
  nodeName: string | null;
}

/** Answer to an `exportGraph` push: SVG text or PNG bytes of the current view, or why it failed. */
export interface ExportResultMessage {
  type: 'exportResult';
  exportId: number;
  svg?: string;
  png?: ArrayBuffer;
  error?: string;
}

/**
 * Where a page drew its first view, and in what: a later page of the same model shows the picture
 * (FirstViewMessage) only in a page of that size, pixel ratio and colour theme, and only while its
 * structure is the one the picture was drawn from (docs/opening-a-model.md, step 8).
 */
/** Where a page drew its graph canvas. */
export interface FirstViewGeometry {
  /** The graph canvas, in CSS px of the page. */
  rect: { left: number; top: number; width: number; height: number };
  /** The page's `innerWidth` and `innerHeight`. */
  page: { width: number; height: number };
}

export interface FirstViewPlace extends FirstViewGeometry {
  /** The packed structure's key (webview/graph/previewStore.ts `previewKey`). */
  structureKey: string;
  devicePixelRatio: number;
  /** `document.body.dataset.vscodeThemeId` (VS Code sets it on every webview), '' without one. */
  themeId: string;
}

/**
 * What a page that shows the model's first view before its files load gives its inline loader
 * (webview/graph/firstViewLoader.ts), as JSON in its HTML (src/extension/webviewHtml.ts).
 */
export interface FirstViewLoaderData {
  /** The page's own files (stylesheets, the codicons' first; chunks to preload; the entry module), added on its load event. */
  files: { styles: string[]; modules: string[]; entry: string };
  /** A reopen's picture: the page it was taken in. */
  picture?: { page: { width: number; height: number }; devicePixelRatio: number; themeId: string };
}

/**
 * The graph canvas's first frame in a page without saved state, as PNG bytes: the host puts it
 * into the HTML of the model's next page (src/extension/firstViews.ts), which shows it before its
 * script has loaded.
 */
export interface FirstViewMessage extends FirstViewPlace {
  type: 'firstView';
  png: ArrayBuffer;
}

/** Cancel a running request (benchmark, profile, activations); it then ends with a requestError. */
export interface CancelMessage {
  type: 'cancel';
  requestId: number;
}

export type WebviewToHostMessage = ReadyMessage | RenderedMessage | RequestMessage | SelectionMessage | ExportResultMessage | FirstViewMessage | CancelMessage;

// ---------------------------------------------------------------------------------------------
// Host → webview pushes

/** The model is being (re)read; show a loading state. */
export interface LoadingMessage {
  type: 'loading';
  fileName: string;
  /** The host's clock when sent, for the webview's marks of the open timeline (src/shared/openTimeline.ts). */
  hostNow?: number;
}

/** The model's summary, and with it the graph's details (types, shapes, costs) once shapes are inferred. */
export interface SummaryMessage {
  type: 'summary';
  summary: ViewSummary;
  /** encodeGraphDetails bytes (src/shared/payloadCodec.ts), merged into the graph sent before. */
  details?: ArrayBuffer;
}

/** The model could not be read. `message` is one sentence naming the file and the problem. */
export interface LoadErrorMessage {
  type: 'error';
  fileName: string;
  message: string;
}

/**
 * The main graph's structure for the graph view, sent first, as soon as it is built (the
 * `summary` with the details follows): encodeGraphPayload bytes (src/shared/payloadCodec.ts)
 * packed with raw deflate (webview/graph/packedGraph.ts), which VS Code moves as binary where a
 * GraphPayload object would go through JSON.
 */
export interface GraphMessage {
  type: 'graph';
  /** Raw-deflate-compressed encodeGraphPayload bytes. */
  graph: ArrayBuffer;
  /** How the model got here: the host's and the analysis process's marks (the webview adds its own). */
  timeline: OpenTimeline;
  /** The host's clock when sent (see LoadingMessage). */
  hostNow?: number;
}

/**
 * A first open's default first view, laid out by the analysis process (src/core/graphLayout/firstView.ts's
 * text), sent ahead of the graph as soon as it is, with where the last page drew its graph canvas:
 * the page draws the view there at once if it has that page's size (webview/graph/pagePreviews.ts),
 * and its layout worker takes the scene when the graph comes.
 */
export interface FirstLayoutMessage {
  type: 'firstLayout';
  layout: string;
  place: FirstViewGeometry | null;
  /** The host's clock when sent (see LoadingMessage). */
  hostNow?: number;
}

/** Select and show a node (command palette "Reveal Node by Name"). */
export interface RevealNodeMessage {
  type: 'revealNode';
  node: number;
}

/** Ask the webview to draw the graph for export; it answers with `exportResult`. */
export interface ExportGraphMessage {
  type: 'exportGraph';
  exportId: number;
  format: 'svg' | 'png';
}

/**
 * A per-node value channel that colours nodes (profile time, quantization error, a loaded file):
 * `values[i]` belongs to node i; NaN means no value (drawn neutral). Sending the same `channel`
 * replaces it. The data format behind it: docs/overlay-format.md.
 */
export interface OverlayMessage {
  type: 'overlay';
  channel: string;
  label: string;
  unit: string;
  scale: 'log' | 'linear';
  values: Float64Array;
  /** Node index → a note shown on hover ("fused into conv1: its time is there"). */
  notes?: Record<number, string>;
  /** Colour the graph by it now (a loaded file); otherwise it is only added to "Colour by". */
  select?: boolean;
  /** A collapsed group's value from its nodes': 'sum' (times, sizes) or 'max' (errors; the default). */
  aggregate?: 'sum' | 'max';
}

/** Progress of a long request (benchmark configurations, profile runs), for the request with this id. */
export interface ProgressMessage {
  type: 'progress';
  requestId: number;
  done: number;
  total: number;
  message: string;
}

/** Show a tab of the model editor (command palette "Run Model", "Benchmark Model"). */
export interface ShowTabMessage {
  type: 'showTab';
  tab: 'graph' | 'model' | 'run' | 'evaluate' | 'quantize';
  /** Within the Run tab: the section to scroll to and, for 'benchmark' and 'profile', start. */
  section?: 'run' | 'explain' | 'activations' | 'benchmark' | 'profile';
  /** Within the Evaluate tab: the view to show. */
  view?: EvalView;
}

/** The Evaluate tab's views. */
export type EvalView = 'metrics' | 'uncertainty' | 'robustness' | 'drift';

/** A robustness sweep finished outside the webview (command palette): show it in the Evaluate tab's Robustness view. */
export interface RobustnessMessage {
  type: 'robustness';
  result: RobustnessResult;
}

/** A drift comparison finished outside the webview (command palette): show it in the Evaluate tab's Drift view. */
export interface DriftMessage {
  type: 'drift';
  result: DriftResult;
}

/** An evaluation finished outside the webview (command palette): show it in the Evaluate tab. */
export interface EvaluationMessage {
  type: 'evaluation';
  result: EvaluationResult;
}

/** A quantization finished outside the webview (command palette): show it in the Quantize tab. */
export interface QuantizationMessage {
  type: 'quantization';
  result: QuantizationResult;
}

export type HostPushMessage =
  | LoadingMessage | SummaryMessage | LoadErrorMessage | FirstLayoutMessage | GraphMessage | RevealNodeMessage | ExportGraphMessage | OverlayMessage
  | ProgressMessage | ShowTabMessage | EvaluationMessage | QuantizationMessage | RobustnessMessage | DriftMessage;

export type HostToWebviewMessage = HostPushMessage | ResultMessage | RequestErrorMessage;

// ---------------------------------------------------------------------------------------------
// Narrowing helpers shared by both channels (messages come in as `unknown`).

function hasType(value: unknown): value is { type: unknown } {
  return typeof value === 'object' && value !== null && 'type' in value;
}

const webviewTypes: ReadonlySet<string> = new Set<WebviewToHostMessage['type']>(['ready', 'rendered', 'request', 'selection', 'exportResult', 'firstView', 'cancel']);
const hostTypes: ReadonlySet<string> = new Set<HostToWebviewMessage['type']>([
  'loading', 'summary', 'error', 'result', 'requestError', 'firstLayout', 'graph', 'revealNode', 'exportGraph', 'overlay', 'progress', 'showTab', 'evaluation', 'quantization',
  'robustness', 'drift',
]);

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  return hasType(value) && typeof value.type === 'string' && webviewTypes.has(value.type);
}

export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  return hasType(value) && typeof value.type === 'string' && hostTypes.has(value.type);
}

// The diff editor's page speaks its own small set of messages (a different page from the model
// editor's): src/shared/diffView.ts.
export type { DiffPageMessage, DiffPushMessage } from './diffView';
