/**
 * NumPy `.npz` archives: a ZIP of `.npy` members (np.savez stores them, np.savez_compressed deflates
 * them; numpy ≥ 1.16 also writes ZIP64 extra fields). Decoded with fflate, which handles all three.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { DatasetError, readDataFile } from './errors';
import type { NdArray } from './ndarray';
import { encodeNpy, parseNpy } from './npy';
import { encodeNpyStrings, parseNpyAny, type AnyArray } from './npyStrings';

/** Member name without '.npy' → array, in archive order. */
export type NpzArrays<A = NdArray> = Map<string, A>;

/**
 * Parses a whole `.npz` held in memory. `only` restricts decoding to some keys (the rest of the
 * archive is not even inflated), which matters for large archives of which a dataset needs two arrays.
 */
export function parseNpz<A = NdArray>(bytes: Uint8Array, file: string, only?: readonly string[], parseMember: (bytes: Uint8Array, name: string) => A = parseNpy as unknown as (b: Uint8Array, n: string) => A): NpzArrays<A> {
  if (bytes.length === 0) throw new DatasetError(file, 'is empty (0 bytes), not a .npz archive');
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new DatasetError(file, 'is not a .npz archive (it is not a ZIP file)');
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, { filter: (f) => only === undefined || only.includes(keyOf(f.name)) });
  } catch (err) {
    throw new DatasetError(file, `is not a readable .npz archive: ${String((err as Error).message ?? err).replace(/\.$/, '')}`);
  }
  const out: NpzArrays<A> = new Map();
  for (const [name, member] of Object.entries(members)) {
    if (name.endsWith('/')) continue;
    try {
      out.set(keyOf(name), parseMember(member, name));
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      throw new DatasetError(file, `member ${name} ${err.reason.replace(/\.$/, '')}`);
    }
  }
  return out;
}

/** Lists the keys of a `.npz` without inflating any member. */
export function npzKeys(bytes: Uint8Array, file: string): string[] {
  const keys: string[] = [];
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new DatasetError(file, 'is not a .npz archive (it is not a ZIP file)');
  try {
    unzipSync(bytes, { filter: (f) => (keys.push(keyOf(f.name)), false) });
  } catch (err) {
    throw new DatasetError(file, `is not a readable .npz archive: ${String((err as Error).message ?? err).replace(/\.$/, '')}`);
  }
  return keys;
}

export async function readNpz(file: string, only?: readonly string[]): Promise<NpzArrays> {
  return parseNpz(await readDataFile(file), file, only);
}

/** A `.npz` whose members may hold strings (tensor inputs). */
export async function readNpzAny(file: string): Promise<NpzArrays<AnyArray>> {
  return parseNpz(await readDataFile(file), file, undefined, parseNpyAny);
}

/** Encodes arrays (numbers or strings) as a `.npz` (for tests and saving); `compress` deflates members like np.savez_compressed. */
export function encodeNpz(arrays: Record<string, AnyArray>, compress = false): Uint8Array {
  const files: Zippable = {};
  for (const [key, array] of Object.entries(arrays)) files[`${key}.npy`] = array.dtype === 'string' ? encodeNpyStrings(array) : encodeNpy(array);
  return zipSync(files, { level: compress ? 6 : 0 });
}

function keyOf(memberName: string): string {
  return memberName.endsWith('.npy') ? memberName.slice(0, -4) : memberName;
}
