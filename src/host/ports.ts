/**
 * What the host layer needs from whoever runs it — the VS Code extension (src/extension/host/modelPorts.ts),
 * the command line (src/cli/) or the webview's screenshot harness (scripts/webview-dev/devHost.ts) —
 * as narrow interfaces. The host layer itself (src/host/) never imports `vscode`: it holds the
 * orchestration a request triggers (runtime parameters, the runtime and analysis processes,
 * reports saved, overlays built, quantize-and-measure), and each front end implements these ports.
 */
import type { QuantReport } from '../shared/quantReport';
import type { EvalReport } from '../shared/evalReport';
import type { RuntimeRpc } from '../runtime/client/runtimeClient';
import type { BenchReport, SessionOptionsSpec } from '../shared/runtimeTypes';
import type { GraphPayload } from '../shared/graphPayload';
import type { BinaryPage, HostPushMessage, NodeDetails, TensorStats } from '../shared/protocol';

/** How far a long piece of work has got (`total` 0 or 1 when it cannot count). */
export type Progress = (done: number, total: number, message: string) => void;

/** Progress and cancellation of one piece of work; both optional (the CLI cancels by exiting). */
export interface Work {
  signal?: AbortSignal;
  progress?: Progress;
}

/** Where state that outlives a session goes (the extension: the workspace's Memento). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

/** A log with levels (the extension: the "ONNX Lens" LogOutputChannel). */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Kinds of file the host asks the user for (each front end decides the dialog's filters and wording). */
export type ReadFileKind = 'npy' | 'json' | 'image' | 'dataset' | 'dataset-or-folder' | 'overlay';

/** Picking files: what the webview may never name itself (docs/security.md). */
export interface FilePicker {
  /** A file (or, for 'dataset-or-folder', a folder) to read, near the model; null when cancelled. */
  pickToRead(kind: ReadFileKind, purpose: string): Promise<string | null>;
  /** A file to write, suggested beside the model; null when cancelled. The dialog asks before replacing. */
  pickToWrite(suggestedName: string, filter: { name: string; extensions: string[] }, title: string): Promise<string | null>;
}

/** Showing files the host produced or a request points at. */
export interface Viewer {
  /** A saved report: the HTML page in a panel, the JSON as text. */
  openReport(file: string): Promise<void>;
  /** Where a drill-down sample lives (its image, its line in the data file); returns what was opened. */
  openSample(data: string, source: number | string | null, index: number): Promise<string>;
}

/** The model's reports folder and the script its HTML reports inline. */
export interface ReportsPort {
  /** The folder reports of this model go to, or null when there is none (no workspace folder open). */
  folder(): string | null;
  /** The bundled HTML report script (dist/report/report.js). */
  script(): string;
}

/** Told when a report is produced (the extension: the status bar and hover's latest reports). */
export interface ReportListener {
  benchmarked(report: BenchReport): void;
  evaluated(report: EvalReport): void;
  quantized(report: QuantReport): void;
}

/** Session options the settings give a model, and the options as sent to the runtime process. */
export interface SessionSettings {
  /** What a model without a saved Run tab setup runs with. */
  defaults(): SessionOptionsSpec;
  /** `options` completed with what every request carries: the provider (unless chosen), labels file, log level. */
  complete(options: SessionOptionsSpec): SessionOptionsSpec;
}

/** The model as the analysis process has read it (the extension: RemoteModel). */
export interface AnalysedModel {
  readonly payload: GraphPayload;
  nodeDetails(node: number): Promise<NodeDetails> | NodeDetails;
  tensorStats(value: string): Promise<TensorStats> | TensorStats;
  tensorPage(value: string, offset: number, count: number): Promise<BinaryPage> | BinaryPage;
}

/** The model a view shows. */
export interface ModelRef {
  /** Identifies the model in stored state (the extension: its URI as text, as keys always were). */
  key: string;
  /** The file name shown in sentences. */
  name: string;
  /** Its path on the local disk; throws one sentence when it has none (a git: version, a virtual file). */
  path(): string;
}

/** The model's path on disk, or null for a model that has none (its reports cannot exist either). */
export function pathOnDisk(model: ModelRef): string | null {
  try {
    return model.path();
  } catch {
    return null;
  }
}

/** Everything one model view's requests need. */
export interface ModelPorts {
  model: ModelRef;
  runtime(): RuntimeRpc;
  /** The model as analysed; rejects with the load's sentence when it failed. */
  analysed(): Promise<AnalysedModel>;
  /** The graph payload the view shows now, if it has one (overlays go onto it). */
  payload(): GraphPayload | undefined;
  /** A message to the view (overlays, progress of work the host started). */
  push(message: HostPushMessage): void;
  /** Throws the refusal for `method` when the workspace may not run it (Restricted Mode). */
  guard(method: string): void;
  settings: SessionSettings;
  store: KeyValueStore;
  reports: ReportsPort;
  listener: ReportListener;
  files: FilePicker;
  viewer: Viewer;
}
