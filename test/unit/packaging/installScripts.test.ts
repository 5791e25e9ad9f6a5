/**
 * `npm install` needs nothing but the npm registry (docs/environment.md): onnxruntime-node's
 * install script, which downloads CUDA binaries from NuGet, must not run. npm 11 runs dependency
 * install scripts, so the project's .npmrc tells that script to skip the download; npm 12 runs only
 * those `allowScripts` in package.json approves, and onnxruntime-node's is denied there. Every other
 * dependency's install script is reviewed in the same field, so a new one cannot slip in unseen.
 * (This file itself runs under npm 10 too: Node 20's npm has no `allowScripts`.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };

/**
 * The installed packages (at any depth of node_modules) that run an install script: what
 * `npm install-scripts ls` lists, read here because npm 10 (Node 20's) has no such command. A
 * binding.gyp without its own install script is one too: npm runs `node-gyp rebuild` for it.
 */
function packagesWithInstallScripts(dir: string, found = new Set<string>()): Set<string> {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const at = path.join(dir, entry);
    if (entry.startsWith('@')) {
      packagesWithInstallScripts(at, found);
      continue;
    }
    const manifest = path.join(at, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const { name, scripts = {} } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; scripts?: Record<string, string> };
    const gyp = fs.existsSync(path.join(at, 'binding.gyp')) && !scripts.install && !scripts.preinstall;
    if (scripts.preinstall || scripts.install || scripts.postinstall || gyp) found.add(name);
    packagesWithInstallScripts(path.join(at, 'node_modules'), found);
  }
  return found;
}

describe('packaging: dependency install scripts', () => {
  it('skips onnxruntime-node\'s CUDA download under npm 11 (.npmrc) and npm 12 (allowScripts)', () => {
    assert.match(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8'), /^onnxruntime-node-install=skip$/m);
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  });

  it('has every installed dependency\'s install script reviewed in allowScripts', () => {
    const withScripts = [...packagesWithInstallScripts(path.join(ROOT, 'node_modules'))].sort();
    assert.ok(withScripts.includes('onnxruntime-node'), `found: ${withScripts.join(', ')}`);
    const unreviewed = withScripts.filter((name) => pkg.allowScripts?.[name] === undefined);
    assert.deepEqual(unreviewed, [], 'review them: `npm install-scripts approve <pkg>` or `deny <pkg>` (npm 11.16+), or edit allowScripts');
  });
});
