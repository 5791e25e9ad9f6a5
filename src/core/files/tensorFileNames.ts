/**
 * File names for saved tensors (`run --save DIR`, the Run tab's "Save as .npy"): a tensor name
 * is text from the model — '/encoder/layer.0/Add_output_0', '../../x', names that differ only in
 * punctuation — so it becomes a plain, distinct file name that stays in the chosen folder.
 */

/** `name` as a file stem: letters, digits, '.', '-', '_' kept, anything else '_'; never empty, hidden or a dot path. */
export function tensorFileStem(name: string): string {
  const stem = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 120);
  return stem === '' ? 'tensor' : stem;
}

/** One distinct file name per tensor, `<stem><ext>`, numbered (`-2`, `-3`, …) where stems collide (case-insensitively). */
export function tensorFileNames(names: readonly string[], ext: string): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const stem = tensorFileStem(name);
    let file = `${stem}${ext}`;
    for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${stem}-${n}${ext}`;
    taken.add(file.toLowerCase());
    return file;
  });
}
