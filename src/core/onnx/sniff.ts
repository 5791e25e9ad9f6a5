/**
 * Recognises common non-ONNX files by their first bytes, so "model.onnx" that is really a
 * PyTorch checkpoint or a JSON file gets a sentence that says so instead of a protobuf error.
 */
const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (a PyTorch .pt/.pth checkpoint or an .npz?)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x89, 0x48, 0x44, 0x46], what: 'an HDF5 file (a Keras .h5 model?)' },
  { bytes: [0x47, 0x47, 0x55, 0x46], what: 'a GGUF file' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], what: 'a NumPy .npy array' },
  { bytes: [0x80, 0x02], what: 'a Python pickle' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)' },
];

/** Returns what the file looks like when it is clearly not ONNX, or undefined. */
export function sniffNonOnnx(head: Uint8Array): string | undefined {
  for (const sig of SIGNATURES) {
    if (sig.bytes.every((b, i) => head[i] === b)) return sig.what;
  }
  // A protobuf message starts with a field key; valid ONNX files never start with printable text.
  const sample = head.subarray(0, 512);
  let printable = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  if (sample.length >= 16 && printable === sample.length) {
    // What a `git:` URI (or a checkout without LFS) holds for a model stored in Git LFS.
    if (String.fromCharCode(...sample.subarray(0, 40)).startsWith('version https://git-lfs.github.com/spec/')) {
      return 'a Git LFS pointer (the model itself is in LFS storage: `git lfs pull` fetches it)';
    }
    const first = String.fromCharCode(sample.find((b) => b > 32) ?? 32);
    if (first === '{' || first === '[') return 'JSON text';
    if (first === '<') return 'an XML or HTML file';
    return 'a text file';
  }
  return undefined;
}
