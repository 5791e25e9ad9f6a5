/** The Quantize tab's requests: run, the latest report, and the per-node error pushed to the graph as the 'quant-error' overlay. */
import type { QuantizationResult } from '../shared/protocol';
import { quantErrorOverlay } from './overlays';
import type { ModelPorts } from './ports';
import { latestQuantization, runQuantization } from './quantization';
import type { RequestHandlers } from './requestHandlers';

export type QuantizeMethodName = 'quantize' | 'latestQuantization';

export function quantizeRequests(ports: ModelPorts): Pick<RequestHandlers, QuantizeMethodName> {
  const overlay = (result: QuantizationResult) => {
    const payload = ports.payload();
    if (payload) ports.push(quantErrorOverlay(result.report, payload));
    return result;
  };
  return {
    quantize: async (request, { signal, progress }) => {
      // The webview never decides where to write (docs/security.md): the output is a fresh
      // `<model>.<tag>.onnx` in the reports folder, or a file the user picks in the host's wizard.
      if (request.output !== undefined || request.overwrite) {
        throw new Error('the Quantize tab cannot choose the output file; run "ONNX Lens: Quantize Model…" to pick where to write.');
      }
      return overlay(await runQuantization(ports, request, { signal, progress }));
    },
    latestQuantization: async () => {
      const latest = latestQuantization(ports);
      return latest && overlay(latest);
    },
  };
}
