// The platforms ONNX Lens ships a .vsix for (vsce's platform-specific extensions), and which native
// files each one must carry: onnxruntime-node's binaries for that platform (all of them sit in
// node_modules/onnxruntime-node/bin/napi-v6/, whatever machine installs the project) and sharp's
// prebuilt package (plus its libvips package where sharp has a separate one).
import fs from 'node:fs';
import path from 'node:path';

export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
export const DEFAULT_TARGET = 'linux-x64';

/**
 * onnxruntime-node files that are installed but never loaded, left out of the .vsix:
 * the darwin binding links `@rpath/libonnxruntime.1.dylib` (its LC_LOAD_DYLIB, checked by
 * scripts/package/checkVsix.mjs), so the identical `libonnxruntime.1.30.0.dylib` is 44 MB of dead weight.
 */
const ORT_UNUSED = [/^libonnxruntime\.\d+\.\d+\.\d+\.dylib$/];

export function parseTarget(target) {
  const [os, arch] = target.split('-');
  return { target, os, arch };
}

/**
 * What `target` needs from the installed packages. `ortDir` is absent when onnxruntime-node has
 * no build for the platform (1.30 dropped macOS on Intel): that .vsix views models but cannot
 * run them, and says so (src/runtime/ort/nativeModule.ts).
 */
export function targetContents(root, target) {
  const { os, arch } = parseTarget(target);
  const sharpPkg = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8'));
  const optional = sharpPkg.optionalDependencies ?? {};
  const sharpPackages = [`@img/sharp-${target}`, `@img/sharp-libvips-${target}`]
    .filter((name) => optional[name])
    .map((name) => ({ name, version: optional[name] }));
  const ortRel = `node_modules/onnxruntime-node/bin/napi-v6/${os}/${arch}`;
  const ortAbs = path.join(root, ortRel);
  const ortFiles = fs.existsSync(ortAbs) ? fs.readdirSync(ortAbs).filter((f) => !ORT_UNUSED.some((re) => re.test(f))).sort() : [];
  return {
    target, os, arch,
    ortDir: ortFiles.length ? ortRel : undefined,
    ortFiles,
    sharpVersion: sharpPkg.version,
    sharpPackages,
  };
}
