// The packaging check's header reader (scripts/package/nativeHeaders.mjs), on the real binaries
// of every platform that onnxruntime-node installs into node_modules, and the per-target contents.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const ORT_BIN = path.join(ROOT, 'node_modules/onnxruntime-node/bin/napi-v6');

type Header = { format: string; os: string; archs: string[]; dylibs?: string[]; rpaths?: string[] } | null;
type Contents = { target: string; ortDir?: string; ortFiles: string[]; sharpPackages: { name: string; version: string }[] };

describe('packaging: native file headers', () => {
  let nativeHeader: (bytes: Uint8Array) => Header;
  let looksNative: (p: string) => boolean;
  let relativeLinks: (md: string) => string[];
  let targetContents: (root: string, target: string) => Contents;
  let TARGETS: string[];
  before(async () => {
    ({ nativeHeader, looksNative } = await import(path.join(ROOT, 'scripts/package/nativeHeaders.mjs')));
    ({ relativeLinks } = await import(path.join(ROOT, 'scripts/package/checkVsix.mjs')));
    ({ targetContents, TARGETS } = await import(path.join(ROOT, 'scripts/package/targets.mjs')));
  });

  it("reads the OS and CPU of every onnxruntime-node binary from its header, matching the folder it ships in", () => {
    let checked = 0;
    for (const os of fs.readdirSync(ORT_BIN)) {
      for (const arch of fs.readdirSync(path.join(ORT_BIN, os))) {
        for (const file of fs.readdirSync(path.join(ORT_BIN, os, arch))) {
          const header = nativeHeader(fs.readFileSync(path.join(ORT_BIN, os, arch, file)).subarray(0, 65536));
          assert.ok(header, `${os}/${arch}/${file} was not recognised`);
          assert.equal(header.os, os, `${os}/${arch}/${file}`);
          assert.deepEqual(header.archs, [arch], `${os}/${arch}/${file}`);
          assert.equal(header.format, { linux: 'elf', darwin: 'mach-o', win32: 'pe' }[os]);
          checked++;
        }
      }
    }
    assert.ok(checked >= 10, `only ${checked} binaries found`);
  });

  it("lists a Mach-O binding's @rpath dependency and rpath (what the .vsix check resolves)", () => {
    const header = nativeHeader(fs.readFileSync(path.join(ORT_BIN, 'darwin/arm64/onnxruntime_binding.node')));
    assert.ok(header?.dylibs?.includes('@rpath/libonnxruntime.1.dylib'), JSON.stringify(header));
    assert.deepEqual(header?.rpaths, ['@loader_path']);
  });

  it('tells a script, a truncated header and an unknown machine apart from a binary', () => {
    assert.equal(nativeHeader(Buffer.from('#!/usr/bin/env node\n')), null);
    assert.equal(nativeHeader(Buffer.from([0x7f, 0x45, 0x4c])), null);
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[5] = 1;
    elf.writeUInt16LE(0xf3, 18); // RISC-V
    assert.deepEqual(nativeHeader(elf), { format: 'elf', os: 'linux', archs: ['elf-machine-0xf3'] });
    const fat = Buffer.alloc(48);
    fat.writeUInt32BE(0xcafebabe, 0);
    fat.writeUInt32BE(2, 4);
    fat.writeUInt32BE(0x01000007, 8);
    fat.writeUInt32BE(0x0100000c, 28);
    assert.deepEqual(nativeHeader(fat), { format: 'mach-o', os: 'darwin', archs: ['x64', 'arm64'] });
  });

  it('treats .node, .so.N, .dylib and .dll files as native by name', () => {
    for (const p of ['a/b.node', 'lib/libonnxruntime.so.1', 'x.dylib', 'DirectML.dll']) assert.ok(looksNative(p), p);
    for (const p of ['a/b.js', 'libvips.so.txt', 'package.json']) assert.ok(!looksNative(p), p);
  });

  it('finds the relative links of a README, not URLs or anchors', () => {
    const md = '![shot](media/a.png) [docs](docs/x.md#part) [web](https://example.com) [top](#top) [cmd](command:foo)';
    assert.deepEqual(relativeLinks(md), ['media/a.png', 'docs/x.md']);
  });

  it("plans each target's onnxruntime and sharp files, and no onnxruntime for macOS on Intel (1.30 has no build)", () => {
    assert.deepEqual(TARGETS, ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64']);
    const linux = targetContents(ROOT, 'linux-x64');
    assert.deepEqual(linux.ortFiles, ['libonnxruntime.so.1', 'onnxruntime_binding.node']);
    assert.deepEqual(linux.sharpPackages.map((p) => p.name), ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64']);
    const mac = targetContents(ROOT, 'darwin-arm64');
    assert.deepEqual(mac.ortFiles, ['libonnxruntime.1.dylib', 'onnxruntime_binding.node'], 'the unused versioned dylib copy stays out');
    const intelMac = targetContents(ROOT, 'darwin-x64');
    assert.equal(intelMac.ortDir, undefined);
    assert.deepEqual(intelMac.sharpPackages.map((p) => p.name), ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64']);
    const win = targetContents(ROOT, 'win32-arm64');
    assert.deepEqual(win.sharpPackages.map((p) => p.name), ['@img/sharp-win32-arm64'], 'sharp bundles libvips in its Windows packages');
    const sharpVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/sharp/package.json'), 'utf8')).version;
    assert.equal(win.sharpPackages[0].version, sharpVersion, 'pinned to the installed sharp');
  });
});
