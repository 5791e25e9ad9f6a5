/**
 * Execution providers: the user asks for one (setting `onnxLens.executionProvider`, `--ep` on the
 * CLI); a session gets it when this platform's onnxruntime-node has it and it starts, and runs on
 * the CPU otherwise. A fallback is never silent: the sentence saying so goes to the parent as a
 * notice (CLI stderr, the editor's log and a notification) and with the run's result (Run tab).
 *
 * What each build has is onnxruntime-node's own list (`listSupportedBackends`): 1.30 lists cpu,
 * webgpu, cuda and tensorrt on Linux x64 (cuda/tensorrt need the CUDA libraries, which
 * onnxruntime-node's install downloads separately), cpu, dml and webgpu on Windows, cpu, coreml
 * and webgpu on macOS. A provider that is listed can still fail to start (no GPU, no driver,
 * no Vulkan): session creation then fails fast and the CPU is used.
 */
import * as path from 'node:path';
import { platformLabel } from '../../../core/nativeModules';
import { loadOnnxRuntime } from './onnxruntime';
import { EXECUTION_PROVIDERS, PROVIDER_NAMES, type ExecutionProvider } from '../../../shared/runtimeTypes';

/** The providers this platform's onnxruntime-node build offers, among those ONNX Lens knows. */
export function availableProviders(): ExecutionProvider[] {
  const listed = new Set(loadOnnxRuntime().listSupportedBackends().map((b) => b.name));
  return EXECUTION_PROVIDERS.filter((p) => p === 'cpu' || listed.has(p));
}

/** The sentence for a session that runs on the CPU instead of `asked`. */
export function fallbackSentence(model: string, asked: ExecutionProvider, reason: string): string {
  return `${path.basename(model)} runs on the CPU: the ${PROVIDER_NAMES[asked]} execution provider ${reason}.`;
}

/** Why `asked` cannot be tried at all on this build, or undefined when it can. */
export function providerMissing(asked: ExecutionProvider, available: readonly ExecutionProvider[]): string | undefined {
  if (available.includes(asked)) return undefined;
  return `is not part of onnxruntime-node for ${platformLabel()} (it has ${available.map((p) => PROVIDER_NAMES[p]).join(', ')})`;
}

const noticed = new Set<string>();

/** True the first time a (model, provider, reason) fallback is seen in this process: one notice each, not one per run. */
export function firstNotice(sentence: string): boolean {
  if (noticed.has(sentence)) return false;
  noticed.add(sentence);
  return true;
}
