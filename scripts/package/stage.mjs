// A staging folder per target: the files a .vsix for that platform ships and nothing else, laid out
// like the repo so vsce (which asks `npm list --production` for the dependency tree) packages it
// unchanged. node_modules holds the production tree minus every platform's native files, then the
// target's own: onnxruntime-node's bin/napi-v6/<os>/<arch> and sharp's prebuilt packages. Files are
// hard-linked where the file system allows (staging six targets costs seconds, not copies of 300 MB).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withoutNpmEnv } from '../vscode/provision.mjs';
import { packageDir } from './npmPackages.mjs';

/** Top-level files and folders of the extension (the .vscodeignore allow-list filters them further). */
const EXTENSION_ENTRIES = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'dist', 'media', 'docs'];

/** Native files every target replaces with its own: all of them are excluded from the shared tree. */
const isPlatformSpecific = (rel) => rel.startsWith('node_modules/onnxruntime-node/bin/') || /^node_modules\/@img\/sharp-/.test(rel);

let productionTree;
/** Package folders of the production dependency tree (relative to the root), asked of npm once. */
function productionPackages(root) {
  productionTree ??= execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', env: withoutNpmEnv(), stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n').map((line) => path.relative(root, line.trim())).filter((rel) => rel.startsWith('node_modules/'));
  return productionTree;
}

function linkOrCopy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/** Mirrors `from` into `to` (files linked), skipping nested node_modules and paths `skip(rel)` refuses. */
function mirror(from, to, rel, skip) {
  const stat = fs.statSync(from);
  if (!stat.isDirectory()) {
    if (!skip(rel)) linkOrCopy(from, to);
    return;
  }
  for (const entry of fs.readdirSync(from)) {
    const childRel = rel ? `${rel}/${entry}` : entry;
    if (entry === 'node_modules' || skip(childRel)) continue;
    mirror(path.join(from, entry), path.join(to, entry), childRel, skip);
  }
}

/** (Re)creates `dir` as the staging folder for `contents` (scripts/package/targets.mjs targetContents). */
export async function stageTarget(root, dir, contents) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const none = () => false;
  for (const entry of EXTENSION_ENTRIES) {
    const from = path.join(root, entry);
    if (fs.existsSync(from)) mirror(from, path.join(dir, entry), entry, none);
  }
  for (const pkg of productionPackages(root)) {
    if (isPlatformSpecific(`${pkg}/`)) continue;
    mirror(path.join(root, pkg), path.join(dir, pkg), pkg, isPlatformSpecific);
  }
  for (const file of contents.ortFiles) {
    linkOrCopy(path.join(root, contents.ortDir, file), path.join(dir, contents.ortDir, file));
  }
  for (const { name, version } of contents.sharpPackages) {
    const from = await packageDir(root, name, version);
    mirror(from, path.join(dir, 'node_modules', name), `node_modules/${name}`, none);
  }
}
