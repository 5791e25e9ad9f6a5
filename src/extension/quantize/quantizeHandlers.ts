/** The model editor's quantization requests (Quantize tab): run, latest report, and the error overlay pushed to the graph. */
import type * as vscode from 'vscode';
import type { GraphPayload } from '../../shared/graphPayload';
import type { HostPushMessage } from '../../shared/protocol';
import type { RequestHandlers } from '../webviewChannel';
import { latestQuantization, quantErrorOverlay, runQuantization, type QuantizationDeps } from './quantization';

export type QuantizeMethodName = 'quantize' | 'latestQuantization';

export interface QuantizeHandlerDeps extends QuantizationDeps {
  uri: vscode.Uri;
  payload(): GraphPayload | undefined;
  push(message: HostPushMessage): void;
}

export function quantizeHandlers(deps: QuantizeHandlerDeps): Pick<RequestHandlers, QuantizeMethodName> {
  const overlay = (result: Awaited<ReturnType<typeof runQuantization>>) => {
    const payload = deps.payload();
    if (payload) deps.push(quantErrorOverlay(result.report, payload));
    return result;
  };
  return {
    quantize: async (request, { signal, progress }) => {
      // The webview never decides where to write (docs/security.md): the output is a fresh
      // `<model>.<tag>.onnx` beside the model, or a file the user picks in the host's wizard.
      if (request.output !== undefined || request.overwrite) {
        throw new Error('the Quantize tab cannot choose the output file; run "ONNX Lens: Quantize Model…" to pick where to write.');
      }
      return overlay(await runQuantization(deps, deps.uri, request, signal, progress));
    },
    latestQuantization: async () => {
      const latest = latestQuantization(deps.uri);
      return latest && overlay(latest);
    },
  };
}
