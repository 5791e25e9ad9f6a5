/**
 * The host behind the screenshot harness's pages (harness.mjs): the editor's own request handlers
 * (src/host/modelRequests.ts) and its evaluate-and-save and quantization (src/host/), on ports for
 * a page outside VS Code (test/fixtures/hostPorts.ts): the real runtime process forked from source,
 * the model analysed in this process by the analysis process's code, reports saved in a temp
 * folder, file dialogs answered by the script. What a screenshot shows is what the editor answers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OnnxModel } from '../../src/core/onnx/reader';
import { readReportScript } from '../../src/core/report/saveEval';
import { evaluateAndSave } from '../../src/host/evaluation';
import { modelRequests, type ModelRequestHandlers } from '../../src/host/modelRequests';
import type { ReadFileKind } from '../../src/host/ports';
import { runQuantization } from '../../src/host/quantization';
import { callHandler, type RequestContext } from '../../src/host/requestHandlers';
import type { EvaluateParams } from '../../src/runtime/methods';
import { createRuntimeClient, type RuntimeRpc } from '../../src/runtime/client/runtimeClient';
import { DEFAULT_SESSION_OPTIONS } from '../../src/shared/runtimeTypes';
import type { EvaluationResult, HostMethod, HostPushMessage, QuantizationResult, QuantizeRequest, ResultOf } from '../../src/shared/protocol';
import { analyseInProcess, standaloneModelPorts, type StandalonePorts, type InProcessModel } from '../../test/fixtures/hostPorts';

/** How the script wants one page's dialogs and saved state to look. */
export interface PageHost {
  /** What the open dialog answers, per kind (`pickInputFile`, `pickDataset`: 'dataset-or-folder'). */
  picks?: Partial<Record<ReadFileKind, string>>;
  /** True: the model has no saved evaluation or quantization (the tabs start empty), whatever this harness saved before. */
  noSavedReports?: boolean;
}

export class DevHost {
  private rpc: RuntimeRpc | undefined;
  /** Reports of this harness run: benchmarks, evaluations and quantizations, as in a workspace's reports folder. */
  readonly reportsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-harness-'));
  private reportScript: string | undefined;

  constructor(private readonly root: string) {}

  /** The runtime process, started on the first request that needs it (forked from source under tsx). */
  runtime = (): RuntimeRpc => (this.rpc ??= createRuntimeClient(path.join(this.root, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']));

  /** Analyses a model as the analysis process would; `name` tags its layout cache key. */
  prepare(model: OnnxModel, name: string): InProcessModel & { hostMs: number } {
    const started = performance.now();
    const prepared = analyseInProcess(model, { displayPath: `/models/${model.file}`, modelHash: `dev-${name}` });
    return { ...prepared, hostMs: performance.now() - started };
  }

  private ports(model: string, more: Partial<Parameters<typeof standaloneModelPorts>[0]> = {}): StandalonePorts {
    return standaloneModelPorts({
      model, runtime: this.runtime, reportsFolder: this.reportsFolder,
      reportScript: (this.reportScript ??= readReportScript(path.join(this.root, 'dist'))), ...more,
    });
  }

  /** The request handlers of one page showing `prepared` (a model at `modelPath`), pushing to it with `push`. */
  pageHandlers(modelPath: string, prepared: InProcessModel, push: (message: HostPushMessage) => void, page: PageHost = {}): ModelRequestHandlers {
    const handlers = modelRequests(this.ports(modelPath, {
      analysed: async () => prepared.analysed, payload: () => prepared.payload, push, picks: page.picks,
    }));
    return page.noSavedReports ? { ...handlers, latestEvaluation: () => null, latestQuantization: () => null } : handlers;
  }

  /** A request as the webview sends it: parameters checked, then the handler. */
  request<M extends HostMethod>(handlers: ModelRequestHandlers, method: M, params: unknown, context: RequestContext): Promise<ResultOf<M>> {
    return callHandler(handlers, method, params, context);
  }

  /** Evaluate-and-save as the editor does it, on the runtime's own parameters (so a script can also ask for `compareModel`). */
  evaluateModel(params: Omit<EvaluateParams, 'options'> & { options?: EvaluateParams['options'] }, progress?: RequestContext['progress']): Promise<EvaluationResult> {
    return evaluateAndSave(this.ports(params.model), { options: DEFAULT_SESSION_OPTIONS, ...params }, { progress });
  }

  /** A quantization as the Quantize tab runs it: the output and the report in the reports folder. */
  quantize(model: string, request: QuantizeRequest): Promise<QuantizationResult> {
    return runQuantization(this.ports(model), request, {});
  }

  dispose(): void {
    this.rpc?.dispose();
    fs.rmSync(this.reportsFolder, { recursive: true, force: true });
  }
}
