/**
 * onnxruntime-node, loaded here and nowhere else: only the runtime process runs it, because an ORT
 * abort kills every thread of its process, the extension host included (README.md, Architecture).
 * Loading follows the rules of
 * src/core/nativeModules.ts (one sentence when it cannot load, ONNX_LENS_FAIL_NATIVE in tests).
 */
import type * as Ort from 'onnxruntime-node';
import { loadNative } from '../../../core/nativeModules';

/** onnxruntime-node, or a NativeModuleError saying that running is unavailable and why. */
export function loadOnnxRuntime(): typeof Ort {
  return loadNative('onnxruntime-node', () => require('onnxruntime-node') as typeof Ort);
}
