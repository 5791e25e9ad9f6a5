/**
 * The two native modules, loaded on first use and never at start: onnxruntime-node (running,
 * evaluating, quantizing; loaded only in the runtime process, src/runtime/child/ort/onnxruntime.ts)
 * and sharp (decoding images). A platform where one cannot load — a .vsix
 * without a build for it (onnxruntime-node 1.30 has none for macOS on Intel), a C library too
 * old — loses only what needs that module; everything else (reading models, the graph, the
 * summary, every other data format) never touches them. The failure becomes one sentence saying
 * what is unavailable and why (NativeModuleError), the same in the editor and the CLI.
 *
 * Tests make a load fail on purpose with ONNX_LENS_FAIL_NATIVE=onnxruntime-node,sharp: the module
 * is then refused exactly as a missing binary would be (see docs/platforms.md).
 */
import type SharpModule from 'sharp';
import { NativeModuleError } from './errors';

export type NativeName = 'onnxruntime-node' | 'sharp';

const WHAT: Record<NativeName, { lost: string; kept: string; library: string }> = {
  'onnxruntime-node': {
    lost: 'Running, evaluating and quantizing models is unavailable here',
    kept: 'viewing and inspecting models works without it',
    library: 'onnxruntime',
  },
  sharp: {
    lost: 'Decoding images is unavailable here',
    kept: 'every other input and dataset format works without it',
    library: 'sharp (libvips)',
  },
};

const OS_NAMES: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** "macOS x64", "Linux arm64": the platform as people name it. */
export function platformLabel(platform: string = process.platform, arch: string = process.arch): string {
  return `${OS_NAMES[platform] ?? platform} ${arch}`;
}

/** Why `error` (thrown by require) means the module cannot load, in a few words. */
function reasonOf(name: NativeName, error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  const message = String(err?.message ?? error).split('\n')[0];
  // onnxruntime-node requires ../bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node; sharp @img/sharp-<platform>.
  if (err?.code === 'MODULE_NOT_FOUND' || /Cannot find module|Could not load the "sharp" module/.test(message)) {
    return `this installation has no ${name} build for ${platformLabel()}`;
  }
  return message.length > 160 ? `${message.slice(0, 157)}…` : message;
}

function failedOnPurpose(name: NativeName): boolean {
  return (process.env.ONNX_LENS_FAIL_NATIVE ?? '').split(',').map((s) => s.trim()).includes(name);
}

const loaded = new Map<NativeName, unknown>();
const failures = new Map<NativeName, NativeModuleError>();

/** The module `requireIt` returns, loaded once; or the NativeModuleError saying what is unavailable and why (also remembered). */
export function loadNative<T>(name: NativeName, requireIt: () => T): T {
  if (loaded.has(name)) return loaded.get(name) as T;
  const known = failures.get(name);
  if (known) throw known;
  try {
    if (failedOnPurpose(name)) {
      throw Object.assign(new Error(`Cannot find module '${name}' (ONNX_LENS_FAIL_NATIVE)`), { code: 'MODULE_NOT_FOUND' });
    }
    const module = requireIt();
    loaded.set(name, module);
    return module;
  } catch (error) {
    const what = WHAT[name];
    const failure = new NativeModuleError(name, `${what.lost} because ${what.library} cannot load: ${reasonOf(name, error)}; ${what.kept}.`);
    failures.set(name, failure);
    throw failure;
  }
}

/** sharp, or a NativeModuleError saying that images are unavailable and why. */
export function loadSharp(): typeof SharpModule {
  return loadNative('sharp', () => {
    const module = require('sharp') as typeof SharpModule & { default?: typeof SharpModule };
    return module.default ?? module;
  });
}

/** Loads a module now (`load`: loadSharp, loadOnnxRuntime); returns why it cannot load (its one sentence), or undefined when it loaded. */
export function nativeUnavailable(load: () => unknown): NativeModuleError | undefined {
  try {
    load();
    return undefined;
  } catch (error) {
    if (error instanceof NativeModuleError) return error;
    throw error;
  }
}
