// The content test of a platform-specific .vsix: unpack it and check that it is the extension for
// its target and only for it. Every native file (by name or by header) must be one of the target's
// onnxruntime-node or sharp files, and its ELF/Mach-O/PE header must name the target's OS and CPU;
// the target's own files must all be there (and a Mach-O binding's @rpath dylibs beside it); nothing
// from node_modules beyond the allow-list; the bundles present; README links resolve inside the package.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { looksNative, nativeHeader } from './nativeHeaders.mjs';

/** node_modules entries a .vsix may hold: the ORT runtime, sharp (image inputs) and their runtime dependencies. */
const ALLOWED_MODULES = ['onnxruntime-node', 'onnxruntime-common', 'sharp', '@img/colour', 'detect-libc', 'semver'];

const REQUIRED = [
  'dist/extension.js', 'dist/analysisChild.js', 'dist/modelThread.js', 'dist/ortChild.js', 'dist/datasetWorker.js', 'dist/laneWorker.js', 'dist/report/report.js',
  'dist/webview/layoutWorker.js', 'dist/webview/firstViewLoader.js', 'dist/webview/main.js', 'dist/webview/main.css', 'dist/webview/diff/diffMain.js', 'dist/codicons/codicon.css',
  'package.json',
];
/** vsce renames these (readme.md, changelog.md, LICENSE.txt); compared without case and extension. */
const REQUIRED_DOCS = ['readme', 'changelog', 'license'];

function walk(dir, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? walk(dir, r) : [r];
  });
}

function head(file, bytes = 64 * 1024) {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** Relative link targets in markdown: [text](target) and ![alt](target), anchors and URLs left out. */
export function relativeLinks(markdown) {
  const out = [];
  for (const m of markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.split('#')[0]);
  }
  return out;
}

/** Where dyld would look for a Mach-O's `@rpath/…`, `@loader_path/…` dependency, as package paths. */
function machoCandidates(rel, lib, rpaths) {
  const dir = path.posix.dirname(rel);
  const expand = (p) => path.posix.normalize(p.replace(/^@(loader|executable)_path/, dir));
  const rpath = /^@rpath\/(.+)$/.exec(lib);
  if (rpath) return rpaths.filter((r) => r.startsWith('@loader_path')).map((r) => expand(path.posix.join(r, rpath[1])));
  return lib.startsWith('@loader_path') ? [expand(lib)] : [];
}

/**
 * Checks `vsix` against `contents` (scripts/package/targets.mjs targetContents). Returns
 * `{ problems: string[], natives: { path, format, os, archs }[], files: number, bytes: number }`.
 */
export function checkVsix(vsix, contents) {
  const { target, os: wantOs, arch: wantArch } = contents;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `onnx-lens-vsix-${target}-`));
  const problems = [];
  const natives = [];
  try {
    execFileSync('unzip', ['-q', vsix, '-d', tmp]);
    const manifest = fs.readFileSync(path.join(tmp, 'extension.vsixmanifest'), 'utf8');
    const declared = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
    if (declared !== target) problems.push(`the manifest declares target ${declared ?? '(none)'}, not ${target}`);

    const ext = path.join(tmp, 'extension');
    const files = walk(ext);
    const has = new Set(files);
    const ortDir = contents.ortDir ?? `node_modules/onnxruntime-node/bin/napi-v6/${wantOs}/${wantArch}`;
    const sharpDirs = contents.sharpPackages.map((p) => `node_modules/${p.name}/`);
    let bytes = 0;
    for (const rel of files) {
      const abs = path.join(ext, rel);
      bytes += fs.statSync(abs).size;
      const module = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel)?.[1];
      if (module && !ALLOWED_MODULES.includes(module) && !sharpDirs.some((d) => rel.startsWith(d))) problems.push(`unexpected package file ${rel}`);
      const header = nativeHeader(head(abs));
      if (!header && !looksNative(rel)) continue;
      if (!header) {
        problems.push(`${rel} is named like a native file but is not ELF, Mach-O or PE`);
        continue;
      }
      natives.push({ path: rel, ...header });
      const ours = rel.startsWith(`${ortDir}/`) || sharpDirs.some((d) => rel.startsWith(d));
      if (!ours) problems.push(`${rel} is a native file of no ${target} package`);
      if (header.os !== wantOs || !header.archs.includes(wantArch)) {
        problems.push(`${rel} is ${header.format} for ${header.os}-${header.archs.join('+')}, not ${target}`);
      }
      for (const lib of header.dylibs ?? []) {
        if (!lib.startsWith('@')) continue; // a system library (/usr/lib/…)
        const candidates = machoCandidates(rel, lib, header.rpaths ?? []);
        if (!candidates.some((c) => has.has(c))) problems.push(`${rel} loads ${lib}, which is not in the package (looked in ${candidates.join(', ') || 'no rpath'})`);
      }
    }
    for (const file of contents.ortFiles) if (!has.has(`${ortDir}/${file}`)) problems.push(`missing ${ortDir}/${file}`);
    for (const { name, version } of contents.sharpPackages) {
      const main = name.includes('libvips') ? null : `node_modules/${name}/lib/sharp-${target}-${version}.node`;
      if (main && !has.has(main)) problems.push(`missing ${main}`);
      if (!files.some((f) => f.startsWith(`node_modules/${name}/`) && looksNative(f))) problems.push(`${name} holds no native file`);
    }
    if (contents.sharpPackages.length === 0) problems.push(`sharp has no prebuilt package for ${target}`);
    for (const file of REQUIRED) if (!has.has(file)) problems.push(`missing ${file}`);
    // The model page's stylesheets and the chunks its HTML preloads (scripts/build.mjs writes the list).
    const pageAssets = 'dist/webview/main.assets.json';
    if (!has.has(pageAssets)) problems.push(`missing ${pageAssets}`);
    else {
      const { styles, preload } = JSON.parse(fs.readFileSync(path.join(ext, pageAssets), 'utf8'));
      for (const file of [...styles, ...preload].map((f) => `dist/webview/${f}`)) if (!has.has(file)) problems.push(`missing ${file} (named by ${pageAssets})`);
    }
    const doc = (name) => files.find((f) => !f.includes('/') && f.toLowerCase().replace(/\.(md|txt)$/, '') === name);
    for (const name of REQUIRED_DOCS) if (!doc(name)) problems.push(`missing the ${name} file`);
    const readme = doc('readme');
    for (const link of readme ? relativeLinks(fs.readFileSync(path.join(ext, readme), 'utf8')) : []) {
      const resolved = path.posix.normalize(decodeURIComponent(link));
      if (!has.has(resolved) && !files.some((f) => f.startsWith(`${resolved.replace(/\/$/, '')}/`))) problems.push(`README.md links to ${link}, which is not in the package`);
    }
    return { problems, natives, files: files.length, bytes };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
