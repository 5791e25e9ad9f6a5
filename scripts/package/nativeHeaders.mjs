// What a native file is built for, read from its own header: ELF (e_machine), Mach-O (cputype,
// thin or universal) and PE (COFF Machine). The packaging check uses it to prove that each .vsix
// holds binaries for its target and nothing else; a file name alone proves nothing.
//   ELF:    https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
//   Mach-O: <mach-o/loader.h>, <mach-o/fat.h>, <mach/machine.h>
//   PE:     https://learn.microsoft.com/windows/win32/debug/pe-format#machine-types

const ELF_MACHINES = { 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'arm', 0x03: 'ia32' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x00000007: 'ia32', 0x0000000c: 'arm' };
const PE_MACHINES = { 0x8664: 'x64', 0xaa64: 'arm64', 0x014c: 'ia32', 0x01c4: 'arm' };

const LC_LOAD_DYLIB = 0x0c;
const LC_LOAD_WEAK_DYLIB = 0x80000018;
const LC_REEXPORT_DYLIB = 0x8000001f;
const LC_RPATH = 0x8000001c;

/**
 * `{ format: 'elf' | 'mach-o' | 'pe', os, archs, dylibs? }` for a native binary, or null when the
 * bytes are not one of the three formats. `os` is Node's process.platform name; `archs` lists
 * every architecture in the file (a universal Mach-O has several); `dylibs` are a Mach-O's
 * LC_LOAD_DYLIB names (what it needs at load time) and `rpaths` its LC_RPATH entries.
 */
export function nativeHeader(bytes) {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const le = b[5] === 1;
    const machine = le ? b.readUInt16LE(18) : b.readUInt16BE(18);
    return { format: 'elf', os: 'linux', archs: [ELF_MACHINES[machine] ?? `elf-machine-0x${machine.toString(16)}`] };
  }
  if (b.length >= 8) {
    const magic = b.readUInt32LE(0);
    if (magic === 0xfeedfacf || magic === 0xfeedface) {
      const cpu = b.readUInt32LE(4);
      return { format: 'mach-o', os: 'darwin', archs: [MACHO_CPUS[cpu] ?? `mach-o-cpu-0x${cpu.toString(16)}`], ...machoLoads(b) };
    }
    if (b.readUInt32BE(0) === 0xcafebabe && b.readUInt32BE(4) < 32) {
      // Universal binary: big-endian fat_arch entries of 20 bytes after the 8-byte header.
      const count = b.readUInt32BE(4);
      const archs = [];
      for (let i = 0; i < count && 8 + 20 * (i + 1) <= b.length; i++) {
        const cpu = b.readUInt32BE(8 + 20 * i);
        archs.push(MACHO_CPUS[cpu] ?? `mach-o-cpu-0x${cpu.toString(16)}`);
      }
      return { format: 'mach-o', os: 'darwin', archs };
    }
  }
  if (b.length >= 0x40 && b.toString('latin1', 0, 2) === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = b.readUInt16LE(pe + 4);
      return { format: 'pe', os: 'win32', archs: [PE_MACHINES[machine] ?? `pe-machine-0x${machine.toString(16)}`] };
    }
  }
  return null;
}

/** The dylibs a thin 64-bit little-endian Mach-O loads and its rpaths (load commands follow the 32-byte header). */
function machoLoads(b) {
  const dylibs = [];
  const rpaths = [];
  if (b.readUInt32LE(0) !== 0xfeedfacf) return { dylibs, rpaths };
  const ncmds = b.readUInt32LE(16);
  let at = 32;
  for (let i = 0; i < ncmds && at + 12 <= b.length; i++) {
    const cmd = b.readUInt32LE(at);
    const size = b.readUInt32LE(at + 4);
    if (size < 12 || at + size > b.length) break;
    // Both commands hold an lc_str: the offset of a NUL-terminated string inside the command.
    const text = () => {
      const from = at + b.readUInt32LE(at + 8);
      const end = b.indexOf(0, from);
      return b.toString('utf8', from, end < 0 || end > at + size ? at + size : end);
    };
    if (cmd === LC_LOAD_DYLIB || cmd === LC_LOAD_WEAK_DYLIB || cmd === LC_REEXPORT_DYLIB) dylibs.push(text());
    else if (cmd === LC_RPATH) rpaths.push(text());
    at += size;
  }
  return { dylibs, rpaths };
}

/** True for paths that hold native code by name (what the packaging check must account for). */
export function looksNative(path) {
  return /\.(node|so(\.\d+)*|dylib|dll|exe)$/i.test(path);
}
